"""Slack's deliveries to the bot, on the sandbox loop: slash commands and events over Socket Mode or signed HTTP."""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass, field

import aiohttp

from sandbox.slack import payloads

_STALE_S = 6 * 60  # older than the 5 minutes Bolt's verifier tolerates
_USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


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
    message_ts: str | None = None  # mention: the ts of the user's message
    event_id: str | None = None
    retries: list[Delivery] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """An HTTP delivery's Request URL and Slack's ack timeout; the tampering flags exist for verifier tests."""

    url: str | None = None
    timeout: float = 3.0
    bad_signature: bool = False
    stale: bool = False


async def choose(hub) -> tuple[str, Target] | None:
    """How Slack would reach the bot now: an open Socket Mode connection wins, then the HTTP Request URL."""
    if hub.tickets:  # a bot opened a connection URL and may still be dialling in: give it Slack's grace period
        await hub.wait_connected(hub.connect_timeout)
    if hub.connections:
        return "socket", Target()
    if hub.ctx.bot_url:
        return "http", Target(hub.ctx.bot_url)
    return None


async def slash_command(hub, user, chan, command: str, text: str, via: str, target: Target) -> Delivery:
    """Send a slash command; its ack body or ack payload is shown to the invoker, as Slack's client does."""
    url = hub.responses.new_url(chan.id, user.id, command, text)
    rid = hub.responses.rid_of(url)
    payload = payloads.slash_command(hub.state, user, chan, command, text, url)
    if via == "socket":
        return await _socket(hub, "slash_commands", payload, True,
                             on_ack=lambda ack: hub.responses.show(rid, ack["payload"], "ack"))
    body = urllib.parse.urlencode(payload).encode()
    d = await http(hub, target, payload, body, "application/x-www-form-urlencoded")
    if d.acked and d.body.strip():  # Slack shows a command's response body to its invoker
        answer = json.loads(d.body) if d.content_type == "application/json" else d.body
        hub.responses.show(rid, answer, "ack")
    return d


async def slash_command_retried(hub, user, chan, command: str, text: str, targets: list[Target]) -> list[Delivery]:
    """One slash command delivered to each target in turn, the same body each time: what a Slack retry does when a
    load balancer sends it to another instance of the app."""
    url = hub.responses.new_url(chan.id, user.id, command, text)
    body = urllib.parse.urlencode(payloads.slash_command(hub.state, user, chan, command, text, url)).encode()
    payload = dict(urllib.parse.parse_qsl(body.decode()))
    return [await http(hub, target, payload, body, "application/x-www-form-urlencoded") for target in targets]


async def app_mention(hub, user, chan, msg, via: str, target: Target, retry: int = 0) -> Delivery:
    """Tell the app about a message that mentions it (msg is already posted); only where the bot is a member."""
    if hub.state.bot_user_id not in chan.members:
        return Delivery(via, {}, error="bot_not_in_channel", message_ts=msg.ts)
    parent = hub.state.message(chan.id, msg.thread_ts) if msg.thread_ts else None
    event = payloads.app_mention(hub.state, user, chan, msg, parent.user if parent else None)
    d = await event_callback(hub, event, via, target, retry)
    d.message_ts = msg.ts
    return d


async def event_callback(hub, event: dict, via: str, target: Target, retry: int = 0) -> Delivery:
    """Deliver an event in an event_callback; retry=N sends it N more times as Slack's retries would."""
    body = payloads.event_callback(hub.state, event)
    first = prev = await _event_attempt(hub, body, via, target, 0, "")
    for attempt in range(1, retry + 1):
        reason = "timeout" if via == "socket" else \
            "http_error" if prev.status is not None and not 200 <= prev.status < 300 else "http_timeout"
        prev = await _event_attempt(hub, body, via, target, attempt, reason)
        first.retries.append(prev)
    first.event_id = body["event_id"]
    return first


async def _event_attempt(hub, body: dict, via: str, target: Target, attempt: int, reason: str) -> Delivery:
    if via == "socket":
        return await _socket(hub, "events_api", body, False, retry_attempt=attempt, retry_reason=reason)
    headers = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": reason} if attempt else {}
    d = await http(hub, target, body, json.dumps(body).encode(), "application/json", headers)
    d.retry_attempt = attempt  # over Socket Mode it is the attempt that was acked
    return d


async def _socket(hub, type_: str, payload: dict, accepts: bool, **kw) -> Delivery:
    try:
        ack = await hub.send(type_, payload, accepts_response_payload=accepts, **kw)
    except TimeoutError:
        return Delivery("socket", payload, error="no_socket_connection")
    if ack is None:
        return Delivery("socket", payload, timed_out=True, error="not_acked")
    return Delivery("socket", payload, latency=ack["latency"], acked=True, ack_payload=ack["payload"],
                    envelope_id=ack["envelope_id"], retry_attempt=ack["retry_attempt"])


async def http(hub, target: Target, payload: dict, body: bytes, content_type: str,
               extra: dict | None = None) -> Delivery:
    """POST to the bot's Request URL signed with the app's signing secret, waiting at most Slack's ack timeout."""
    ts = str(int(time.time()) - (_STALE_S if target.stale else 0))
    secret = hub.ctx.tokens.slack_signing_secret + ("-wrong" if target.bad_signature else "")
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": payloads.signature(secret, ts, body), "User-Agent": _USER_AGENT,
               **(extra or {})}
    d = Delivery("http", payload)
    start = time.perf_counter()
    try:
        # trust_env off: the bot is on loopback and must not be reached through a proxy.
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=target.timeout)) as session, \
                session.post(target.url, data=body, headers=headers, allow_redirects=False) as resp:
            d.status, d.content_type = resp.status, resp.content_type
            d.body = (await resp.read()).decode("utf-8", "replace")
    except TimeoutError:
        d.timed_out, d.error = True, "http_timeout"
    except aiohttp.ClientError as err:
        d.error = f"connection_failed: {err}"
    d.latency = time.perf_counter() - start
    d.acked = d.status is not None and 200 <= d.status < 300
    return d
