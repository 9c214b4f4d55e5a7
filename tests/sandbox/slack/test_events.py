"""The sandbox delivering to a bot over signed HTTP: slash commands, app_mention, url_verification, response_url."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from http.server import ThreadingHTTPServer

import pytest
from slack_sdk.signature import SignatureVerifier

from sandbox.slack.events import SlackDriver
from tests.support.bolt_app import _bolt, _wait, workspace
from tests.support.bolt_http import BoltEndpoint

WORKSPACE = workspace  # served by conftest.py's `sb`


@pytest.fixture
def bot_http(sb, web):
    server = ThreadingHTTPServer(("127.0.0.1", 0), BoltEndpoint)
    server.app, server.requests = _bolt(sb, web), []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sb.ctx.bot_url = f"http://127.0.0.1:{server.server_port}/slack/events"
    yield server
    server.shutdown()
    server.server_close()


def _mention_texts(sb, web, channel="incidents") -> list[str]:
    cid = sb.state("slack").channel(channel).id
    return [m["text"] for m in web.conversations_history(channel=cid)["messages"]]


# --- HTTP -----------------------------------------------------------------------------------------------
def test_slash_command_over_http_is_signed_like_slack(sb, bot_http):
    d = SlackDriver(sb).slash_command("ana", "incidents", "summer25")
    assert d.status == 200 and d.acked
    (headers, raw), = bot_http.requests
    verifier = SignatureVerifier(sb.env["SLACK_SIGNING_SECRET"])
    assert verifier.is_valid_request(raw, headers)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = dict(urllib.parse.parse_qsl(raw))
    assert list(form) == ["token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
                          "command", "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id"]
    assert bot_http.app.seen[0]["text"] == "summer25"
    # The HTTP answer body is shown to the invoker, like the Socket Mode ack payload.
    assert "Working on summer25" in [e["text"] for e in SlackDriver(sb).ephemerals("ana")]


@pytest.mark.parametrize("tamper", ["bad_signature", "stale"])
def test_tampered_requests_are_rejected_by_the_verifier(sb, bot_http, tamper):
    d = SlackDriver(sb).slash_command("ana", "incidents", "summer25", **{tamper: True})
    assert d.status == 401 and not d.acked
    (headers, raw), = bot_http.requests
    assert not SignatureVerifier(sb.env["SLACK_SIGNING_SECRET"]).is_valid_request(raw, headers)
    assert bot_http.app.seen == []


def test_mention_posts_the_message_and_sends_app_mention(sb, web, bot_http):
    s = sb.state("slack")
    d = SlackDriver(sb).mention("ben", "incidents", "summer25", retry=1)
    assert d.acked and d.retries[0].acked
    assert f"<@{s.bot_user_id}> summer25" in _mention_texts(sb, web)
    (h1, raw1), (h2, raw2) = bot_http.requests
    first, again = json.loads(raw1), json.loads(raw2)
    ev = first["event"]
    assert (first["type"], first["event_id"], first["team_id"], first["api_app_id"]) == (
        "event_callback", d.event_id, "T0TINY0001", s.app_id)
    assert first["authorizations"] == [{"enterprise_id": None, "team_id": "T0TINY0001", "user_id": s.bot_user_id,
                                        "is_bot": True, "is_enterprise_install": False}]
    assert (ev["type"], ev["user"], ev["channel"], ev["ts"], ev["event_ts"], ev["team"]) == (
        "app_mention", s.user_by_name("ben").id, s.channel("incidents").id, d.message_ts, d.message_ts, "T0TINY0001")
    assert ev["text"] == f"<@{s.bot_user_id}> summer25" and "thread_ts" not in ev
    assert ev["blocks"][0]["elements"][0]["elements"][0] == {"type": "user", "user_id": s.bot_user_id}
    assert SignatureVerifier(sb.env["SLACK_SIGNING_SECRET"]).is_valid_request(raw1, h1)
    assert "X-Slack-Retry-Num" not in h1
    assert (h2["X-Slack-Retry-Num"], h2["X-Slack-Retry-Reason"], again["event_id"]) == ("1", "http_timeout", d.event_id)


def test_mention_in_a_thread_carries_thread_ts_and_the_bot_replies_there(sb, bot_http):
    parent = sb.state("slack").messages(sb.state("slack").channel("incidents").id)[0]
    d = SlackDriver(sb).mention("ben", "incidents", "write it up", thread_ts=parent.ts)
    ev = json.loads(bot_http.requests[0][1])["event"]
    assert (ev["thread_ts"], ev["parent_user_id"]) == (parent.ts, sb.state("slack").user_by_name("ana").id)
    texts = [m["text"] for m in _wait(lambda: SlackDriver(sb).thread_messages("incidents", parent.ts)[2:]
                                      and SlackDriver(sb).thread_messages("incidents", parent.ts))]
    assert texts[0] == "Checkout is down" and texts[1].endswith("write it up") and texts[2] == "On it"
    assert d.message_ts != parent.ts


def test_mention_where_the_bot_is_not_a_member_reaches_no_bot(sb, web, bot_http):
    d = SlackDriver(sb).mention("ana", "random", "summer25")
    assert d.error == "bot_not_in_channel" and bot_http.requests == []
    assert sb.state("slack").message(sb.state("slack").channel("random").id, d.message_ts) is not None


def test_url_verification_challenge_is_echoed_by_bolt(sb, bot_http):
    assert SlackDriver(sb).url_verification().acked


def test_response_url_in_channel_and_replace_original(sb, web, bot_http):
    d = SlackDriver(sb).slash_command("ana", "incidents", "summer25")
    url = dict(urllib.parse.parse_qsl(bot_http.requests[0][1]))["response_url"]

    def post(body):
        req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req) as resp:
            return resp.status

    # The app's own respond() runs after its ack; let it land first, or "original" would be that ephemeral.
    _wait(lambda: [e for e in SlackDriver(sb).ephemerals("ana") if e["text"] == "Started summer25"])
    assert d.acked and post({"text": "Report published", "response_type": "in_channel"}) == 200
    assert _mention_texts(sb, web)[:2] == ["Report published", "/postmortem summer25"]
    post({"text": "Report updated", "response_type": "in_channel", "replace_original": True})
    assert _mention_texts(sb, web)[0] == "Report updated"
    assert [m["body"]["text"] for m in SlackDriver(sb).response_url_messages()][-2:] == [
        "Report published", "Report updated"]
