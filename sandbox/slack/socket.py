"""Slack's Socket Mode for the sandbox: apps.connections.open, the /link/ websocket, envelopes, acks and retries."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from sandbox.slack import respond as slack_respond

HUB = web.AppKey("socket_mode", object)
HOST = "applink-sandbox-1"


@dataclass
class _Delivery:
    """One payload Slack wants acknowledged; each attempt goes out as a fresh envelope."""

    type: str
    payload: dict
    accepts: bool
    on_ack: Callable[[dict], None] | None
    done: asyncio.Future
    sent_at: dict[str, float] = field(default_factory=dict)  # envelope_id -> monotonic send time
    attempt: dict[str, int] = field(default_factory=dict)  # envelope_id -> retry_attempt
    timer: asyncio.TimerHandle | None = None


class SocketHub:
    """Connected Socket Mode clients and what was sent to them; every method runs on the sandbox loop."""

    def __init__(self, state, ctx):
        self.state, self.ctx = state, ctx
        self.ack_timeout = 3.0  # Slack waits 3 s for an ack
        self.max_retries = 3
        self.connect_timeout = 5.0  # how long a delivery waits for a bot that is still connecting
        # Slack redelivers Events API envelopes only; a late slash command just fails with operation_timeout.
        self.retry_types = {"events_api"}
        self.app_hash = hashlib.sha256(state.app_id.encode()).hexdigest()
        self.tickets: set[str] = set()
        self.connections: list[web.WebSocketResponse] = []
        self.sent: list[dict] = []  # every envelope as sent, retries included
        self.acks: list[dict] = []  # {envelope_id, type, retry_attempt, latency, payload}
        self.timeouts: list[dict] = []  # deliveries nobody acked after the last attempt
        self.responses = slack_respond.Responses(state, ctx)
        self._pending: dict[str, _Delivery] = {}
        self._connected = asyncio.Event()

    def open_url(self) -> str:
        ticket = str(uuid.uuid4())
        self.tickets.add(ticket)
        return f"{self.ctx.urls['slack'].replace('http', 'ws', 1)}/link/?ticket={ticket}&app_id={self.app_hash}"

    async def send(self, type_: str, payload: dict, *, accepts_response_payload: bool = False, wait: bool = True,
                   retry_attempt: int = 0, retry_reason: str = "",
                   on_ack: Callable[[dict], None] | None = None) -> dict | str | None:
        """Deliver an envelope; with wait, the ack record (None if never acked), else the first envelope_id."""
        if not self.connections:
            await asyncio.wait_for(self._connected.wait(), self.connect_timeout)
        d = _Delivery(type_, payload, accepts_response_payload, on_ack, asyncio.get_running_loop().create_future())
        eid = await self._transmit(d, retry_attempt, retry_reason)
        if not wait:
            return eid
        return await d.done

    async def wait_connected(self, timeout: float) -> bool:
        """Wait up to `timeout` for a client to be connected; True when one is."""
        if not self.connections:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._connected.wait(), timeout)
        return bool(self.connections)

    async def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict | None:
        d = self._pending.get(envelope_id)
        if d is None:
            return next((a for a in self.acks if a["envelope_id"] == envelope_id), None)
        return await asyncio.wait_for(asyncio.shield(d.done), timeout)

    async def _transmit(self, d: _Delivery, attempt: int, reason: str) -> str:
        eid = str(uuid.uuid4())
        env = {"envelope_id": eid, "payload": d.payload, "type": d.type, "accepts_response_payload": d.accepts}
        if d.type == "events_api":
            env.update(retry_attempt=attempt, retry_reason=reason)
        self._pending[eid] = d
        d.sent_at[eid], d.attempt[eid] = time.monotonic(), attempt
        self.sent.append(env)
        if self.connections:
            try:
                await self.connections[-1].send_json(env)
            except ConnectionError:
                pass  # the timer below retries on whichever connection is left
        d.timer = asyncio.get_running_loop().call_later(self.ack_timeout, self._expire, d, attempt)
        return eid

    def _expire(self, d: _Delivery, attempt: int) -> None:
        if d.done.done():
            return
        if d.type in self.retry_types and attempt < self.max_retries:
            asyncio.ensure_future(self._transmit(d, attempt + 1, "timeout"))
            return
        self.timeouts.append({"type": d.type, "payload": d.payload, "attempts": attempt + 1})
        d.done.set_result(None)

    def _on_text(self, raw: str) -> None:
        try:
            msg = json.loads(raw)
        except json.JSONDecodeError:
            return
        eid = msg.get("envelope_id") if isinstance(msg, dict) else None
        d = self._pending.get(eid)
        if d is None:
            return
        ack = {"envelope_id": eid, "type": d.type, "retry_attempt": d.attempt[eid],
               "latency": time.monotonic() - d.sent_at[eid], "payload": msg.get("payload")}
        self.acks.append(ack)
        if d.done.done():
            return  # a late ack for an attempt that was already retried or acknowledged
        if d.timer:
            d.timer.cancel()
        d.done.set_result(ack)
        if d.on_ack and d.accepts and ack["payload"]:
            d.on_ack(ack)

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask clients to reconnect, as Slack does before recycling a connection."""
        for ws in list(self.connections):
            await ws.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": HOST}})

    async def link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.tickets:
            return web.Response(status=401, text="invalid ticket")
        self.tickets.discard(ticket)  # a ticket opens one connection
        ws = web.WebSocketResponse(autoping=True)  # aiohttp answers the client's pings with pongs
        await ws.prepare(request)
        self.connections.append(ws)
        self._connected.set()
        await ws.send_json({"type": "hello", "num_connections": len(self.connections),
                            "debug_info": {"host": HOST, "build_number": 1, "approximate_connection_time": 18060},
                            "connection_info": {"app_id": self.state.app_id}})
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_text(msg.data)
        finally:
            self.connections.remove(ws)
            if not self.connections:
                self._connected.clear()
        return ws

    async def connections_open(self, request: web.Request) -> web.Response:
        token = request.headers.get("Authorization", "")[7:].strip() if request.headers.get(
            "Authorization", "").lower().startswith("bearer ") else ""
        if not token and request.method == "POST" and request.content_type != "application/json":
            token = str((await request.post()).get("token", ""))
        token = token or request.query.get("token", "")
        t = self.ctx.tokens
        if not token:
            body = {"ok": False, "error": "not_authed"}
        elif token in (t.slack_bot, t.slack_user):
            body = {"ok": False, "error": "not_allowed_token_type"}
        elif token != t.slack_app:
            body = {"ok": False, "error": "invalid_auth"}
        else:
            body = {"ok": True, "url": self.open_url()}
        return web.json_response(body, headers={"X-Slack-Req-Id": "sandbox"})

    async def close_all(self, _app: web.Application) -> None:
        for ws in list(self.connections):
            await ws.close(code=1001, message=b"sandbox shutting down")


def add_routes(app: web.Application, state, ctx) -> SocketHub:
    """Register Socket Mode and response_url routes; call before the catch-all /api/{method} route."""
    hub = SocketHub(state, ctx)
    app[HUB] = hub
    app.router.add_route("*", "/api/apps.connections.open", hub.connections_open)
    app.router.add_get("/link/", hub.link)
    app.router.add_post("/response_url/{id}", hub.responses.handle)
    app.on_shutdown.append(hub.close_all)
    return hub


def hub_of(sandbox) -> SocketHub:
    return sandbox.apps["slack"][HUB]
