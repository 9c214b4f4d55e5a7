"""Buttons and modals end to end with a Bolt app as the bot, over signed HTTP and over Socket Mode."""

from __future__ import annotations

import threading
import urllib.parse
from http.server import ThreadingHTTPServer

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from sandbox.slack.events import SlackDriver
from sandbox.slack.socket import hub_of
from tests.support.bolt_app import _wait, workspace
from tests.support.bolt_http import BoltEndpoint

WORKSPACE = workspace  # served by conftest.py's `sb`


def opt(value: str) -> dict:
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def button(action_id: str, label: str, value: str = "run-1") -> dict:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label}, "value": value}


RESULT = [{"type": "section", "block_id": "head", "text": {"type": "mrkdwn", "text": "*Post-mortem ready*"}},
          {"type": "actions", "block_id": "result_actions",
           "elements": [{**button("create_tickets", "Create Jira tickets"), "style": "primary"},
                        button("approve", "Approve"), button("discard", "Discard")]}]
FORM = {"type": "modal", "callback_id": "tickets", "private_metadata": "run-1",
        "title": {"type": "plain_text", "text": "Create Jira tickets"},
        "submit": {"type": "plain_text", "text": "Create"},
        "blocks": [
            {"type": "input", "block_id": "summary", "label": {"type": "plain_text", "text": "Summary"},
             "element": {"type": "plain_text_input", "action_id": "text", "initial_value": "Add LB alerts"}},
            {"type": "input", "block_id": "project", "label": {"type": "plain_text", "text": "Project"},
             "element": {"type": "static_select", "action_id": "key", "options": [opt("OPS"), opt("WEB")],
                         "initial_option": opt("OPS")}},
            {"type": "input", "block_id": "assignee", "optional": True, "label": {"type": "plain_text", "text": "Who"},
             "element": {"type": "users_select", "action_id": "user"}},
            {"type": "input", "block_id": "include", "optional": True, "label": {"type": "plain_text", "text": "Items"},
             "element": {"type": "checkboxes", "action_id": "items", "options": [opt("a1"), opt("a2")],
                         "initial_options": [opt("a1")]}}]}


def _bolt(sb, web) -> App:
    """The bot side: the result buttons open the form, approve/discard answer through response_url, and the
    form's submission is checked the way the real bot will."""
    app = App(client=web, signing_secret=sb.env["SLACK_SIGNING_SECRET"])
    app.opened, app.submissions = [], []

    @app.action("create_tickets")
    def open_form(ack, body, client):
        ack()
        app.opened.append(client.views_open(trigger_id=body["trigger_id"], view=FORM)["view"])

    @app.action("approve")
    def approve(ack, body, respond):
        ack()
        respond(text=f"Approved by <@{body['user']['id']}>", replace_original=True)

    @app.action("discard")
    def discard(ack, respond):
        ack()
        respond(delete_original=True)

    @app.view("tickets")
    def submitted(ack, view):
        app.submissions.append(view)
        text = view["state"]["values"]["summary"]["text"]["value"]
        if text == "vague":
            ack(response_action="errors", errors={"summary": "Say what to fix"})
        elif text == "more":
            ack(response_action="update", view={**FORM, "title": {"type": "plain_text", "text": "Check tickets"}})
        else:
            ack()

    return app


@pytest.fixture(params=["http", "socket"])
def bot(request, sb, web):
    """The Bolt app, reached the way the test's parameter says; yields (app, via, raw HTTP requests)."""
    app = _bolt(sb, web)
    if request.param == "socket":
        handler = SocketModeHandler(app, sb.env["SLACK_APP_TOKEN"])
        handler.connect()
        yield app, "socket", []
        SlackDriver(sb).close_sockets()
        handler.close()
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), BoltEndpoint)
    server.app, server.requests = app, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sb.ctx.bot_url = f"http://127.0.0.1:{server.server_port}/slack/events"
    yield app, "http", server.requests
    server.shutdown()
    server.server_close()


def _result_message(sb, web) -> str:
    return web.chat_postMessage(channel="incidents", text="Post-mortem ready", blocks=RESULT)["ts"]


def test_click_opens_the_form_and_each_answer_to_the_submission_does_what_slack_does(sb, web, bot):
    app, via, requests = bot
    driver, ts = SlackDriver(sb), _result_message(sb, web)
    d = driver.click("ana", "incidents", ts, "create_tickets", via=via)
    assert d.acked and d.payload["type"] == "block_actions"
    [opened] = _wait(lambda: app.opened)
    [shown] = driver.views("ana")
    assert shown["id"] == opened["id"] and shown["title"]["text"] == "Create Jira tickets"
    if via == "http":  # a form with one `payload` field, signed like every other request
        headers, raw = requests[0]
        assert SignatureVerifier(sb.env["SLACK_SIGNING_SECRET"]).is_valid_request(raw, headers)
        assert list(urllib.parse.parse_qs(raw)) == ["payload"]
    else:
        env = hub_of(sb).sent[-1]
        assert (env["type"], env["accepts_response_payload"], env["payload"]) == ("interactive", False, d.payload)

    # The trigger was exchanged by the app: a second use fails.
    with pytest.raises(SlackApiError) as again:
        web.views_open(trigger_id=d.payload["trigger_id"], view=FORM)
    assert again.value.response["error"] == "exchanged_trigger_id"

    ben = sb.state("slack").user_by_name("ben").id
    d = driver.submit_view("ana", {"summary": {"text": "vague"}, "assignee": {"user": ben}}, via=via)
    assert d.acked and d.error is None
    sent = app.submissions[-1]
    assert sent["id"] == opened["id"] and sent["private_metadata"] == "run-1"
    assert sent["state"]["values"] == {
        "summary": {"text": {"type": "plain_text_input", "value": "vague"}},
        "project": {"key": {"type": "static_select", "selected_option": opt("OPS")}},
        "assignee": {"user": {"type": "users_select", "selected_user": ben}},
        "include": {"items": {"type": "checkboxes", "selected_options": [opt("a1")]}}}
    assert driver.view_errors("ana") == {"summary": "Say what to fix"}
    [kept] = driver.views("ana")  # the modal stays, with what the person typed
    assert kept["errors"] == {"summary": "Say what to fix"}
    assert kept["state"]["values"]["summary"]["text"]["value"] == "vague"

    d = driver.submit_view("ana", {"summary": {"text": "more"}}, via=via)
    [updated] = driver.views("ana")
    assert d.error is None and updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    assert updated["title"]["text"] == "Check tickets" and "errors" not in updated
    assert app.submissions[-1]["state"]["values"]["assignee"]["user"]["selected_user"] == ben

    d = driver.submit_view("ana", {"summary": {"text": "Alert on 5xx"}, "include": {"items": ["a1", "a2"]}}, via=via)
    assert d.acked and d.error is None and driver.views("ana") == []  # an empty ack closes the modal
    assert app.submissions[-1]["state"]["values"]["include"]["items"]["selected_options"] == [opt("a1"), opt("a2")]
    if via == "socket":
        assert [e["accepts_response_payload"] for e in hub_of(sb).sent if e["type"] == "interactive"][-1] is True


def test_response_url_replaces_then_deletes_the_clicked_message(sb, web, bot):
    app, via, _ = bot
    driver, ts = SlackDriver(sb), _result_message(sb, web)
    assert driver.click("ben", "incidents", ts, "approve", via=via).acked
    ben = sb.state("slack").user_by_name("ben").id

    def shown():
        cid = sb.state("slack").channel("incidents").id
        return next((m for m in web.conversations_history(channel=cid)["messages"] if m["ts"] == ts), None)

    edited = _wait(lambda: (m := shown()) and m["text"].startswith("Approved") and m)
    assert edited["text"] == f"Approved by <@{ben}>" and "blocks" not in edited and edited["edited"]
    # The approve button is gone with the old blocks, so the same message has nothing left to click.
    with pytest.raises(ValueError, match="no button"):
        driver.click("ben", "incidents", ts, "approve", via=via)

    ts2 = _result_message(sb, web)
    assert driver.click("ben", "incidents", ts2, "discard", via=via).acked
    _wait(lambda: all(m["ts"] != ts2 for m in driver.channel_messages("incidents")))
    assert ts2 not in [m["ts"] for m in driver.channel_messages("incidents")]
    assert driver.response_url_messages()[-1]["body"]["delete_original"] is True
