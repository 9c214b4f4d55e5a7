"""Acting as Slack toward the bot: slash commands and app mentions, signed, over HTTP or Socket Mode."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from sandbox.slack import payloads
from sandbox.slack.render import render_message
from sandbox.slack.socket import hub_of

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # the bot is on loopback
_STALE_S = 6 * 60  # older than the 5 minutes Bolt's verifier tolerates


@dataclass
class Delivery:
    """What happened to one request Slack sent the bot."""

    via: str  # "http" | "socket"
    payload: dict
    status: int | None = None  # HTTP status; None over Socket Mode or when no answer came
    body: str = ""
    content_type: str = ""
    latency: float | None = None  # seconds until the ack (HTTP answer or Socket Mode ack)
    acked: bool = False  # Slack saw a timely 2xx / ack (url_verification: the challenge came back)
    ack_payload: dict | None = None
    envelope_id: str | None = None
    retry_attempt: int = 0
    timed_out: bool = False
    error: str | None = None
    message_ts: str | None = None  # mention(): the ts of the user's message
    event_id: str | None = None
    retries: list[Delivery] = field(default_factory=list)


class SlackDriver:
    """Plays Slack (and its users) toward a bot. `bot_url` is the bot's Request URL, e.g. .../slack/events."""

    def __init__(self, sandbox, bot_url: str | None = None, ack_timeout: float = 3.0):
        self.sb, self.bot_url, self.ack_timeout = sandbox, bot_url, ack_timeout
        self.state = sandbox.state("slack")
        self.hub = hub_of(sandbox)

    # --- what users do ---------------------------------------------------------------------------------
    def slash_command(self, user: str, channel: str, text: str, command: str = "/postmortem", via: str = "http",
                      bot_url: str | None = None, bad_signature: bool = False, stale: bool = False) -> Delivery:
        u, c = self._user(user), self._chan(channel)
        url = self._on_loop(self.hub.responses.new_url, c.id, u.id, command, text)
        rid = self.hub.responses.rid_of(url)
        payload = payloads.slash_command(self.state, u, c, command, text, url)
        if via == "socket":
            d = self._socket("slash_commands", payload, True, on_ack=lambda ack: self.hub.responses.show(
                rid, ack["payload"], "ack"))
        else:
            body = urllib.parse.urlencode(payload).encode()
            d = self._http(payload, body, "application/x-www-form-urlencoded", bot_url, bad_signature, stale)
            if d.acked and d.body.strip():  # Slack shows a command's response body to its invoker
                answer = json.loads(d.body) if d.content_type == "application/json" else d.body
                self._on_loop(self.hub.responses.show, rid, answer, "ack")
        return d

    def mention(self, user: str, channel: str, text: str, thread_ts: str | None = None, via: str = "http",
                retry: int = 0, bot_url: str | None = None, bad_signature: bool = False,
                stale: bool = False) -> Delivery:
        """Post the user's message (prefixed with the bot's <@mention> if missing), then send app_mention."""
        u, c = self._user(user), self._chan(channel)
        if u.id not in c.members:
            raise ValueError(f"{u.name} is not a member of #{c.name} and cannot post there")
        tag = f"<@{self.state.bot_user_id}>"
        text = text if tag in text else f"{tag} {text}"
        msg = self._on_loop(lambda: self.state.post(c.id, u.id, text, self.sb.ctx.now(), thread_ts=thread_ts,
                                                    bot=False))
        if self.state.bot_user_id not in c.members:  # Slack only tells an app about mentions where it is a member
            return Delivery(via, {}, error="bot_not_in_channel", message_ts=msg.ts)
        parent = self.state.message(c.id, msg.thread_ts) if msg.thread_ts else None
        event = payloads.app_mention(self.state, u, c, msg, parent.user if parent else None)
        d = self.event(event, via=via, retry=retry, bot_url=bot_url, bad_signature=bad_signature, stale=stale)
        d.message_ts = msg.ts
        return d

    def event(self, event: dict, via: str = "http", retry: int = 0, bot_url: str | None = None,
              bad_signature: bool = False, stale: bool = False) -> Delivery:
        """Deliver any event in an event_callback; retry=N sends it N more times as Slack's retries would."""
        body = payloads.event_callback(self.state, event)
        first = prev = self._deliver_event(body, via, 0, "", bot_url, bad_signature, stale)
        for attempt in range(1, retry + 1):
            reason = "timeout" if via == "socket" else \
                "http_error" if prev.status is not None and not 200 <= prev.status < 300 else "http_timeout"
            prev = self._deliver_event(body, via, attempt, reason, bot_url, bad_signature, stale)
            first.retries.append(prev)
        first.event_id = body["event_id"]
        return first

    def url_verification(self, bot_url: str | None = None) -> Delivery:
        """The challenge Slack sends when a Request URL is saved; acked means the bot echoed it back."""
        payload = payloads.url_verification()
        d = self._http(payload, json.dumps(payload).encode(), "application/json", bot_url, False, False)
        challenge = payload["challenge"]
        try:
            echoed = json.loads(d.body).get("challenge") if d.content_type == "application/json" else d.body.strip()
        except (json.JSONDecodeError, AttributeError):
            echoed = None
        d.acked = d.acked and echoed == challenge
        return d

    # --- what the bot did ------------------------------------------------------------------------------
    def thread_messages(self, channel: str, ts: str) -> list[dict]:
        """The thread as conversations.replies shows it: parent first ([] if no such message)."""
        c = self._chan(channel)
        return self._on_loop(lambda: [render_message(self.state, c, m, in_thread=True)
                                      for m in self.state.thread(c.id, ts)])

    def channel_messages(self, channel: str) -> list[dict]:
        """Channel history, oldest first."""
        c = self._chan(channel)
        return self._on_loop(lambda: [render_message(self.state, c, m) for m in self.state.messages(c.id)])

    def ephemerals(self, user: str | None = None) -> list[dict]:
        """Ephemeral messages (chat.postEphemeral, command answers), optionally only those one user saw."""
        uid = self._user(user).id if user else None
        return self._on_loop(lambda: [dict(e) for e in self.state.ephemeral if uid is None or e["user"] == uid])

    def response_url_messages(self) -> list[dict]:
        """Every body the bot posted to a response_url: {source, response_url_id, channel, user, body}."""
        return self._on_loop(lambda: [dict(r) for r in self.hub.responses.log if r["source"] == "response_url"])

    @property
    def acks(self) -> list[dict]:
        """Socket Mode acks received: {envelope_id, type, retry_attempt, latency, payload}."""
        return list(self.hub.acks)

    def close_sockets(self) -> None:
        """Close every Socket Mode connection from Slack's side (stops a client's blocking read at once)."""
        self.sb.call(lambda: self.hub.close_all(None))

    # --- transport -------------------------------------------------------------------------------------
    def _deliver_event(self, body: dict, via: str, attempt: int, reason: str, bot_url, bad_sig, stale) -> Delivery:
        if via == "socket":
            d = self._socket("events_api", body, False, retry_attempt=attempt, retry_reason=reason)
        else:
            headers = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": reason} if attempt else {}
            d = self._http(body, json.dumps(body).encode(), "application/json", bot_url, bad_sig, stale, headers)
            d.retry_attempt = attempt  # over Socket Mode it is the attempt that was acked
        return d

    def _socket(self, type_: str, payload: dict, accepts: bool, **kw) -> Delivery:
        try:
            ack = self.sb.call(lambda: self.hub.send(type_, payload, accepts_response_payload=accepts, **kw))
        except TimeoutError:
            return Delivery("socket", payload, error="no_socket_connection")
        if ack is None:
            return Delivery("socket", payload, timed_out=True, error="not_acked")
        return Delivery("socket", payload, latency=ack["latency"], acked=True, ack_payload=ack["payload"],
                        envelope_id=ack["envelope_id"], retry_attempt=ack["retry_attempt"])

    def _http(self, payload: dict, body: bytes, content_type: str, bot_url, bad_sig: bool, stale: bool,
              extra: dict | None = None) -> Delivery:
        url = bot_url or self.bot_url or self.sb.ctx.bot_url
        if not url:
            raise ValueError("no bot URL: pass bot_url or set sandbox.ctx.bot_url")
        ts = str(int(time.time()) - (_STALE_S if stale else 0))
        secret = self.sb.ctx.tokens.slack_signing_secret + ("-wrong" if bad_sig else "")
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": payloads.signature(secret, ts, body),
                   "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)", **(extra or {})}
        d = Delivery("http", payload)
        start = time.perf_counter()
        try:
            with _NO_PROXY.open(urllib.request.Request(url, body, headers, method="POST"),
                                timeout=self.ack_timeout) as resp:
                d.status, d.body, d.content_type = resp.status, resp.read().decode(), resp.headers.get_content_type()
        except urllib.error.HTTPError as err:
            d.status, d.body, d.content_type = err.code, err.read().decode(), err.headers.get_content_type()
        except (TimeoutError, urllib.error.URLError) as err:
            reason = getattr(err, "reason", err)
            d.timed_out = isinstance(reason, TimeoutError)
            d.error = "http_timeout" if d.timed_out else f"connection_failed: {reason}"
        d.latency = time.perf_counter() - start
        d.acked = d.status is not None and 200 <= d.status < 300
        return d

    def _on_loop(self, fn, *args):
        async def run():
            return fn(*args)

        return self.sb.call(run)

    def _user(self, ref: str):
        u = self.state.users.get(ref) or self.state.user_by_name(ref.lstrip("@"))
        if u is None:
            raise ValueError(f"no Slack user {ref!r}")
        return u

    def _chan(self, ref: str):
        c = self.state.channel(ref)
        if c is None:
            raise ValueError(f"no Slack channel {ref!r}")
        return c
