"""The sandbox's views.* methods, trigger_ids and interaction payloads, against a raw HTTP bot that answers as told."""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk.errors import SlackApiError

from sandbox.slack.events import SlackDriver
from sandbox.slack.views import views_of
from tests.sandbox.slack.test_interactive import FORM, RESULT
from tests.support.bolt_app import workspace
from tests.support.openapi_check import raw_spec, validate_response

WORKSPACE = workspace  # served by conftest.py's `sb`


class _Raw(BaseHTTPRequestHandler):
    """A bot that records each interaction payload and acks with whatever `server.answer` says."""

    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
        form = urllib.parse.parse_qs(raw)
        payload = json.loads(form["payload"][0]) if "payload" in form else {k: v[0] for k, v in form.items()}
        self.server.payloads.append(payload)
        body = self.server.answer(payload)
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/json" if body not in (None, b"") else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def raw_bot(sb):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Raw)
    server.payloads, server.answer = [], lambda payload: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sb.ctx.bot_url = f"http://127.0.0.1:{server.server_port}/slack/events"
    yield server
    server.shutdown()
    server.server_close()


def _error(call) -> dict:
    with pytest.raises(SlackApiError) as exc:
        call()
    return exc.value.response.data


def _click(sb, web, user="ana") -> dict:
    ts = web.chat_postMessage(channel="incidents", text="ready", blocks=RESULT)["ts"]
    return SlackDriver(sb).click(user, "incidents", ts, "create_tickets").payload


def test_block_actions_payload_is_what_slack_sends_for_a_message_button(sb, web, raw_bot):
    ts = web.chat_postMessage(channel="incidents", text="ready", blocks=RESULT)["ts"]
    d = SlackDriver(sb).click("ana", "incidents", ts, "approve")
    s, p = sb.state("slack"), raw_bot.payloads[0]
    ana, chan = s.user_by_name("ana"), s.channel("incidents")
    assert d.acked and p == d.payload
    assert list(p) == ["type", "user", "api_app_id", "token", "container", "trigger_id", "team", "enterprise",
                       "is_enterprise_install", "channel", "message", "state", "response_url", "actions"]
    assert p["user"] == {"id": ana.id, "username": "ana", "name": "ana", "team_id": "T0TINY0001"}
    assert p["container"] == {"type": "message", "message_ts": ts, "channel_id": chan.id, "is_ephemeral": False}
    assert (p["team"], p["channel"]) == ({"id": "T0TINY0001", "domain": "tiny"}, {"id": chan.id, "name": "incidents"})
    history = web.conversations_history(channel=chan.id, latest=ts, inclusive=True, limit=1)["messages"][0]
    assert p["message"] == history and p["state"] == {"values": {}}
    [action] = p["actions"]
    assert {k: v for k, v in action.items() if k != "action_ts"} == {
        "type": "button", "action_id": "approve", "block_id": "result_actions",
        "text": {"type": "plain_text", "text": "Approve"}, "value": "run-1"}
    assert re.fullmatch(r"\d+\.\d{6}", action["action_ts"])
    assert re.fullmatch(r"\d+\.\d+\.[0-9a-f]{32}", p["trigger_id"])
    assert p["response_url"].startswith(sb.urls["slack"] + "/response_url/")
    with pytest.raises(ValueError, match="no button 'nope'"):
        SlackDriver(sb).click("ana", "incidents", ts, "nope")


def test_a_trigger_opens_one_modal_within_three_seconds(sb, web, raw_bot):
    views, now = views_of(sb.state("slack")), [1000.0]
    views.clock = lambda: now[0]
    first, second = _click(sb, web)["trigger_id"], _click(sb, web)["trigger_id"]
    now[0] += 2.9
    body = web.views_open(trigger_id=first, view=FORM).data
    validate_response("slack", "POST", "/views.open", body)
    assert set(raw_spec("slack")["paths"]["/views.open"]["get"]["responses"]["200"]["examples"]["application/json"][
        "view"]) <= set(body["view"])  # every field of Slack's own example
    assert body["view"]["id"] == SlackDriver(sb).views("ana")[0]["id"]
    assert _error(lambda: web.views_open(trigger_id=first, view=FORM))["error"] == "exchanged_trigger_id"
    now[0] += 0.2
    expired = _error(lambda: web.views_open(trigger_id=second, view=FORM))
    assert expired["error"] == "expired_trigger_id"
    validate_response("slack", "POST", "/views.open", expired)
    for bad in ("nope", "1.2.abc"):
        assert _error(lambda b=bad: web.views_open(trigger_id=b, view=FORM))["error"] == "invalid_trigger_id"


def test_a_slash_command_trigger_opens_a_modal_for_its_invoker(sb, web, raw_bot):
    SlackDriver(sb).slash_command("ben", "incidents", "summer25")
    web.views_open(trigger_id=raw_bot.payloads[0]["trigger_id"], view=FORM)
    assert [v["title"]["text"] for v in SlackDriver(sb).views("ben")] == ["Create Jira tickets"]
    assert SlackDriver(sb).views("ana") == []


def test_a_bad_view_is_refused_without_spending_the_trigger(sb, web, raw_bot):
    trigger = _click(sb, web)["trigger_id"]
    long_title = {**FORM, "title": {"type": "plain_text", "text": "Create Jira tickets now!!"}}
    no_submit = {k: v for k, v in FORM.items() if k != "submit"}
    twice = {**FORM, "blocks": FORM["blocks"] + FORM["blocks"][:1]}
    for view, says in [({"type": "modal", "blocks": []}, "missing required field: title"),
                       (long_title, "must be less than 25 characters [json-pointer:/view/title/text]"),
                       (no_submit, "submit is required"), (twice, "duplicate block_id: summary"),
                       ({**FORM, "type": "home"}, "must be 'modal'")]:
        body = _error(lambda v=view: web.views_open(trigger_id=trigger, view=v))
        assert body["error"] == "invalid_arguments" and says in " ".join(body["response_metadata"]["messages"])
    assert web.views_open(trigger_id=trigger, view=json.dumps(FORM))["ok"]  # form posts send it as a string


def test_views_update_checks_the_hash_and_finds_views_by_external_id(sb, web, raw_bot):
    opened = web.views_open(trigger_id=_click(sb, web)["trigger_id"], view={**FORM, "external_id": "run-1"})["view"]
    stale = _error(lambda: web.views_update(view_id=opened["id"], hash="1.stale", view=FORM))
    assert stale["error"] == "hash_conflict"
    validate_response("slack", "POST", "/views.update", stale)
    body = web.views_update(view_id=opened["id"], hash=opened["hash"], view={**FORM, "private_metadata": "v2"}).data
    validate_response("slack", "POST", "/views.update", body)
    assert (body["view"]["id"], body["view"]["private_metadata"]) == (opened["id"], "v2")
    assert body["view"]["hash"] != opened["hash"]
    again = web.views_update(external_id="run-1", view={**FORM, "external_id": "run-1", "callback_id": "x"})
    assert again["view"]["id"] == opened["id"] and again["view"]["callback_id"] == "x"
    other = _click(sb, web, "ben")["trigger_id"]
    assert _error(lambda: web.views_open(trigger_id=other, view={**FORM, "external_id": "run-1"}))[
        "error"] == "duplicate_external_id"
    SlackDriver(sb).close_view("ana")
    assert _error(lambda: web.views_update(view_id=opened["id"], view=FORM))["error"] == "not_found"


def test_views_push_needs_a_trigger_from_inside_the_modal_and_stops_at_three(sb, web, raw_bot):
    driver, small = SlackDriver(sb), {**FORM, "blocks": FORM["blocks"][:1]}
    click = _click(sb, web)["trigger_id"]
    web.views_open(trigger_id=click, view=FORM)
    assert _error(lambda: web.views_push(trigger_id=_click(sb, web)["trigger_id"], view=small))["error"] == "not_found"
    raw_bot.answer = lambda p: {"response_action": "errors", "errors": {"summary": "keep it open"}}
    for _ in range(2):
        driver.submit_view("ana")
        body = web.views_push(trigger_id=raw_bot.payloads[-1]["trigger_id"], view=small).data
        validate_response("slack", "POST", "/views.push", body)
    root, middle, top = driver.views("ana")
    assert (top["root_view_id"], top["previous_view_id"], middle["previous_view_id"]) == (root["id"], middle["id"],
                                                                                          root["id"])
    driver.submit_view("ana")
    full = _error(lambda: web.views_push(trigger_id=raw_bot.payloads[-1]["trigger_id"], view=small))
    assert full["error"] == "push_limit_reached"
    raw_bot.answer = lambda p: None  # an empty ack closes the submitted view only
    driver.submit_view("ana")
    assert [v["id"] for v in driver.views("ana")] == [root["id"], middle["id"]]
    raw_bot.answer = lambda p: {"response_action": "clear"}
    driver.submit_view("ana")
    assert driver.views("ana") == []


def test_a_click_inside_a_modal_carries_the_view_and_a_trigger_that_can_push(sb, web, raw_bot):
    more = {"type": "section", "block_id": "more", "text": {"type": "mrkdwn", "text": "Another item?"},
            "accessory": {"type": "button", "action_id": "add_item", "text": {"type": "plain_text", "text": "Add"}}}
    opened = web.views_open(trigger_id=_click(sb, web)["trigger_id"], view={**FORM, "blocks": [more]})["view"]
    p = SlackDriver(sb).click_view("ana", "add_item").payload
    assert p["container"] == {"type": "view", "view_id": opened["id"]} and p["view"]["id"] == opened["id"]
    assert "response_url" not in p and "channel" not in p and p["actions"][0]["block_id"] == "more"
    web.views_push(trigger_id=p["trigger_id"], view=FORM)
    assert len(SlackDriver(sb).views("ana")) == 2


def test_answers_slack_refuses_leave_the_view_as_it_was(sb, web, raw_bot):
    driver = SlackDriver(sb)
    web.views_open(trigger_id=_click(sb, web)["trigger_id"], view=FORM)
    for answer, says in [({"response_action": "errors", "errors": {"project_actions": "x"}}, "not input blocks"),
                         (b"ok", "not JSON"), ({"response_action": "update", "view": {"type": "modal"}}, "title"),
                         ({"response_action": "explode"}, "unknown response_action")]:
        raw_bot.answer = lambda p, a=answer: a
        d = driver.submit_view("ana")
        assert d.acked and says in d.error and len(driver.views("ana")) == 1 and driver.view_errors("ana") == {}
    before = len(raw_bot.payloads)
    d = driver.submit_view("ana", {"summary": {"text": ""}})  # the client will not send an empty required input
    assert d.error == "required: summary" and len(raw_bot.payloads) == before
    with pytest.raises(ValueError, match="no such input"):
        driver.submit_view("ana", {"summary": {"nope": "x"}})


def test_closing_a_view_tells_the_app_only_when_asked(sb, web, raw_bot):
    driver, s, changes = SlackDriver(sb), sb.state("slack"), []
    views_of(s).watchers.append(changes.append)
    vid = web.views_open(trigger_id=_click(sb, web)["trigger_id"], view=FORM)["view"]["id"]
    assert driver.close_view("ana") is None and driver.views("ana") == []
    opened_closed = [c for c in changes if c["kind"] == "view"]
    assert opened_closed == [{"kind": "view", "channel": s.channel("incidents").id, "ts": vid, "thread_ts": None,
                              "user": s.user_by_name("ana").id}] * 2
    web.views_open(trigger_id=_click(sb, web)["trigger_id"], view={**FORM, "notify_on_close": True})
    d = driver.close_view("ana")
    assert d.acked and d.payload["type"] == "view_closed" and d.payload["is_cleared"] is False
    assert d.payload["view"]["callback_id"] == "tickets" and driver.views("ana") == []
