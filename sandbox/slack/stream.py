"""Server-Sent Events for open sandbox pages: each post, edit or ephemeral in a channel is announced as it happens."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

from aiohttp import web

QUEUE_MAX = 256  # past this a slow page gets one "reset" (refetch everything) instead of an unbounded backlog
POLL_S = 1.0  # how often a quiet stream checks that its browser is still there
PING_S = 15.0  # keeps proxies and the browser from timing the stream out


@dataclass(eq=False)
class _Sub:
    channel: str
    thread_ts: str | None
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_MAX))
    overflow: bool = False

    def wants(self, change: dict) -> bool:
        if change["channel"] != self.channel:
            return False
        return self.thread_ts is None or self.thread_ts in (change["ts"], change["thread_ts"])


class Streams:
    """Subscribers of one sandbox Slack; SlackState calls `on_change` from whichever thread wrote."""

    def __init__(self, state):
        self.state, self.subs = state, set()
        self.loop: asyncio.AbstractEventLoop | None = None  # the serving loop, known once a page subscribes
        state.watchers.append(self.on_change)

    def on_change(self, change: dict) -> None:
        if not self.subs or self.loop is None:
            return
        try:
            here = asyncio.get_running_loop() is self.loop
        except RuntimeError:
            here = False
        if here:
            self._fan_out(change)
        elif not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._fan_out, change)  # queues belong to the sandbox loop

    def _fan_out(self, change: dict) -> None:
        for sub in list(self.subs):
            if not sub.wants(change):
                continue
            try:
                sub.queue.put_nowait(change)
            except asyncio.QueueFull:
                sub.overflow = True

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """GET /ui/stream?channel=C…[&thread_ts=…]: `change` events with {kind, channel, ts, thread_ts, user}."""
        channel = request.query.get("channel", "")
        if channel not in self.state.channels:
            raise web.HTTPNotFound(text="No such channel in this sandbox workspace.")
        self.loop = asyncio.get_running_loop()
        sub = _Sub(channel, request.query.get("thread_ts") or None)
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})
        await resp.prepare(request)
        self.subs.add(sub)
        try:
            await resp.write(f"retry: 1000\nevent: ready\ndata: {json.dumps({'channel': channel})}\n\n".encode())
            last_write = time.monotonic()
            while True:
                try:
                    change = await asyncio.wait_for(sub.queue.get(), POLL_S)
                except TimeoutError:
                    if request.transport is None or request.transport.is_closing():
                        break  # the browser went away; aiohttp does not cancel us, so look
                    if time.monotonic() - last_write >= PING_S:
                        await resp.write(b": ping\n\n")
                        last_write = time.monotonic()
                    continue
                if change is None:
                    break  # the sandbox is stopping
                if sub.overflow:
                    sub.overflow = False
                    _drain(sub.queue)
                    await resp.write(b"event: reset\ndata: {}\n\n")
                else:
                    await resp.write(f"event: change\ndata: {json.dumps(change)}\n\n".encode())
                last_write = time.monotonic()
            await resp.write_eof()
        except ConnectionError:
            pass  # the browser disconnected mid-write
        finally:
            self.subs.discard(sub)
        return resp

    async def close_all(self, _app: web.Application) -> None:
        """On shutdown: end every stream, or the server would wait out its grace period for them."""
        for sub in list(self.subs):
            _drain(sub.queue)
            sub.queue.put_nowait(None)


def _drain(queue: asyncio.Queue) -> None:
    while not queue.empty():
        queue.get_nowait()
