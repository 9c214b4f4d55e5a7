"""The sandbox acting as Slack toward a bot: Socket Mode through slack_sdk/slack_bolt, signed HTTP deliveries."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.response import SocketModeResponse

from sandbox.slack.events import SlackDriver
from sandbox.slack.socket import hub_of
from tests.support.workspaces import workspace_dict

USERS = [{"name": "ana", "real_name": "Ana Lopez"}, {"name": "ben", "real_name": "Ben Ode"}]
CHANNELS = [
    {"name": "incidents", "members": ["ana", "ben", "postmortem"],
     "messages": [{"at": "2025-08-04T10:00:00Z", "user": "ana", "text": "Checkout is down"}]},
    {"name": "random", "members": ["ana", "ben"]},
]


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(workspace_dict(slack={"team": {"id": "T0TINY0001", "name": "Tiny", "domain": "tiny"},
                                              "users": USERS, "channels": CHANNELS}))


@pytest.fixture
def web(sb):
    return WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_BOT_TOKEN"])


def _bolt(sb, web) -> App:
    """A trivial Bolt app, the kind the real bot is, answering the command and mentions."""
    app = App(client=web, signing_secret=sb.env["SLACK_SIGNING_SECRET"])
    app.seen = []

    @app.command("/postmortem")
    def command(ack, command, respond):
        ack(f"Working on {command['text']}")
        app.seen.append(command)
        respond(text=f"Started {command['text']}", response_type="ephemeral")

    @app.event("app_mention")
    def mentioned(ack, event, say):
        ack()
        app.seen.append(event)
        say(text="On it", thread_ts=event.get("thread_ts") or event["ts"])

    return app


class _Recorder(BaseHTTPRequestHandler):
    """The bot's HTTP endpoint: records each raw request, then lets Bolt (with its signature check) answer."""

    def do_POST(self):
        raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.requests.append((dict(self.headers), raw))
        resp = self.server.app.dispatch(BoltRequest(body=raw, headers={k.lower(): v for k, v in self.headers.items()}))
        body = resp.body.encode()
        self.send_response(resp.status)
        for name, values in resp.headers.items():
            for v in values:
                self.send_header(name, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def bot_http(sb, web):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.app, server.requests = _bolt(sb, web), []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sb.ctx.bot_url = f"http://127.0.0.1:{server.server_port}/slack/events"
    yield server
    server.shutdown()
    server.server_close()


def _mention_texts(sb, web, channel="incidents") -> list[str]:
    cid = sb.state("slack").channel(channel).id
    return [m["text"] for m in web.conversations_history(channel=cid)["messages"]]


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


def _wait(read, tries: int = 100):
    """Poll until the bot's asynchronous write shows up (a count, not a time limit, bounds it)."""
    for _ in range(tries):
        if out := read():
            return out
        threading.Event().wait(0.05)
    return read()


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

    assert d.acked and post({"text": "Report published", "response_type": "in_channel"}) == 200
    assert _mention_texts(sb, web)[:2] == ["Report published", "/postmortem summer25"]
    post({"text": "Report updated", "response_type": "in_channel", "replace_original": True})
    assert _mention_texts(sb, web)[0] == "Report updated"
    assert [m["body"]["text"] for m in SlackDriver(sb).response_url_messages()][-2:] == [
        "Report published", "Report updated"]
