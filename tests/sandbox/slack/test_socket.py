"""The sandbox's Socket Mode toward a bot through slack_sdk/slack_bolt: connections.open, envelopes, acks, retries."""

from __future__ import annotations

import threading
import urllib.parse

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.response import SocketModeResponse

from sandbox.slack.events import SlackDriver
from sandbox.slack.socket import hub_of
from tests.support.bolt_app import _bolt, _wait, workspace

WORKSPACE = workspace  # served by conftest.py's `sb`


# --- apps.connections.open ------------------------------------------------------------------------------
def test_connections_open_takes_only_the_app_token(sb, web):
    url = web.apps_connections_open(app_token=sb.env["SLACK_APP_TOKEN"])["url"]
    parsed = urllib.parse.urlparse(url)
    assert (parsed.scheme, parsed.netloc, parsed.path) == ("ws", sb.urls["slack"][7:], "/link/")
    assert set(urllib.parse.parse_qs(parsed.query)) == {"ticket", "app_id"}
    with pytest.raises(SlackApiError) as bot_token:
        web.apps_connections_open(app_token=sb.env["SLACK_BOT_TOKEN"])
    assert bot_token.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as wrong:
        web.apps_connections_open(app_token="xapp-1-nope")
    assert wrong.value.response["error"] == "invalid_auth"


# --- Socket Mode ----------------------------------------------------------------------------------------
@pytest.fixture
def socket_client(sb, web):
    client = SocketModeClient(app_token=sb.env["SLACK_APP_TOKEN"], web_client=web, auto_reconnect_enabled=False)
    client.received = []
    yield client
    SlackDriver(sb).close_sockets()  # a server-side close wakes the client's blocking read at once
    client.close()


def test_socket_client_gets_hello_then_a_slash_command_it_acks(sb, socket_client):
    hello = threading.Event()
    socket_client.message_listeners.append(lambda c, msg, raw: msg.get("type") == "hello" and hello.set())

    def on_request(client, req):
        socket_client.received.append(req)
        client.send_socket_mode_response(SocketModeResponse(req.envelope_id, {"text": "Working on summer25"}))

    socket_client.socket_mode_request_listeners.append(on_request)
    socket_client.connect()
    assert hello.wait(5)

    d = SlackDriver(sb).slash_command("ana", "incidents", "summer25", via="socket")
    assert d.acked and d.envelope_id
    [req] = socket_client.received
    assert (req.type, req.envelope_id, req.accepts_response_payload) == ("slash_commands", d.envelope_id, True)
    ana, chan = sb.state("slack").user_by_name("ana"), sb.state("slack").channel("incidents")
    assert {k: req.payload[k] for k in ("command", "text", "user_id", "user_name", "channel_id", "channel_name",
                                        "team_id", "team_domain", "is_enterprise_install")} == {
        "command": "/postmortem", "text": "summer25", "user_id": ana.id, "user_name": "ana",
        "channel_id": chan.id, "channel_name": "incidents", "team_id": "T0TINY0001", "team_domain": "tiny",
        "is_enterprise_install": "false"}
    assert req.payload["response_url"].startswith(sb.urls["slack"] + "/response_url/")
    assert [a["envelope_id"] for a in SlackDriver(sb).acks] == [d.envelope_id]
    # The ack's payload is what Slack shows the invoker, and only the invoker.
    assert [e["text"] for e in SlackDriver(sb).ephemerals("ana")] == ["Working on summer25"]
    assert SlackDriver(sb).ephemerals("ben") == []


def test_unacked_event_is_redelivered_with_the_same_event_id(sb, socket_client):
    hub_of(sb).ack_timeout = 0.3

    def on_request(client, req):
        socket_client.received.append(req)
        if req.retry_attempt:  # ignore the first delivery, as a bot that was busy would
            client.send_socket_mode_response(SocketModeResponse(req.envelope_id))

    socket_client.socket_mode_request_listeners.append(on_request)
    socket_client.connect()
    d = SlackDriver(sb).mention("ana", "incidents", "summer25", via="socket")
    assert d.acked and d.retry_attempt == 1
    first, second = socket_client.received
    assert [r.type for r in (first, second)] == ["events_api", "events_api"]
    assert (first.retry_attempt, first.retry_reason, second.retry_attempt, second.retry_reason) == (0, "", 1, "timeout")
    assert first.payload["event_id"] == second.payload["event_id"] == d.event_id
    assert first.envelope_id != second.envelope_id


def test_unacked_slash_command_times_out_without_redelivery(sb, socket_client):
    hub_of(sb).ack_timeout = hub_of(sb).connect_timeout = 0.2
    assert SlackDriver(sb).slash_command("ana", "incidents", "summer25", via="socket").error == "no_socket_connection"
    socket_client.socket_mode_request_listeners.append(lambda client, req: socket_client.received.append(req))
    socket_client.connect()
    d = SlackDriver(sb).slash_command("ana", "incidents", "summer25", via="socket")
    assert d.timed_out and not d.acked
    assert [r.type for r in socket_client.received] == ["slash_commands"]  # Slack never retries a command
    assert hub_of(sb).timeouts[0]["type"] == "slash_commands"


def test_bolt_socket_mode_app_answers_through_response_url(sb, web):
    app = _bolt(sb, web)
    handler = SocketModeHandler(app, sb.env["SLACK_APP_TOKEN"])
    handler.connect()
    try:
        d = SlackDriver(sb).slash_command("ben", "incidents", "summer25", via="socket")
        assert d.acked and d.ack_payload == {"text": "Working on summer25"}
        mention = SlackDriver(sb).mention("ben", "incidents", "what happened?", via="socket")
        assert mention.acked
        replies = _wait(lambda: SlackDriver(sb).thread_messages("incidents", mention.message_ts)[1:])
    finally:
        SlackDriver(sb).close_sockets()
        handler.close()
    assert [m["text"] for m in replies] == ["On it"] and replies[0]["bot_id"] == sb.state("slack").bot_id
    texts = [r["body"]["text"] for r in _wait(lambda: SlackDriver(sb).response_url_messages())]
    assert texts == ["Started summer25"]
    # respond() runs beside the ack, so either may land first.
    assert sorted(e["text"] for e in SlackDriver(sb).ephemerals("ben")) == ["Started summer25", "Working on summer25"]
