"""Routes behind the sandbox Slack pages: the message box, message fragments, the live stream and static files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web

from sandbox.slack import compose, messages, ui_interact
from sandbox.slack.socket import HUB
from sandbox.slack.state import SlackError, SlackState
from sandbox.slack.stream import Streams

STREAMS = web.AppKey("ui_streams", Streams)
STATIC = Path(__file__).parent / "static"
_STATIC_TYPES = {"ui.js": "text/javascript", "interact.js": "text/javascript", "ui.css": "text/css"}
# Outcomes where the text stays in the box so the person can send it again once the cause is fixed.
_KEEP_TEXT = {"no_bot", "operation_timeout", "dispatch_failed", "http_client_error", "http_service_error"}


def humans(s: SlackState):
    return [u for u in s.users.values() if not u.is_bot]


def choosable(s: SlackState, c) -> list:
    """Who may type here: anyone in a public channel (typing joins it), only members in a private one."""
    return [u for u in humans(s) if not c.private or u.id in c.members]


def default_typist(s: SlackState, c):
    people = choosable(s, c)
    return next((u for u in people if u.id in c.members), people[0] if people else None)


def _viewer(s: SlackState, request: web.Request) -> str:
    uid = request.query.get("as", "")
    return uid if uid in s.users else ""


def _channel(s: SlackState, ref: str):
    c = s.channels.get(ref)
    if c is None:
        raise web.HTTPNotFound(text="No such channel in this sandbox workspace.")
    return c


def add_routes(app: web.Application, s: SlackState) -> None:
    hub = app[HUB]
    streams = app[STREAMS] = Streams(s)

    async def fragment(request: web.Request) -> web.Response:
        """GET /ui/messages?channel=&as=&thread_ts=&hl=: the inner HTML of #messages for that view and viewer."""
        c = _channel(s, request.query.get("channel", ""))
        thread, viewer, hl = request.query.get("thread_ts", ""), _viewer(s, request), request.query.get("hl", "")
        if thread:
            if thread not in c.by_ts:
                raise web.HTTPNotFound(text="No such thread.")
            body = messages.thread_items(s, c, thread, viewer, hl)
        else:
            body = messages.channel_items(s, c, viewer, hl)
        return web.Response(text=body, content_type="text/html", headers={"Cache-Control": "no-store"})

    async def one(request: web.Request) -> web.Response:
        """GET /ui/message?channel=&ts=&thread_ts=&hl=: one message as the view shows it (after an edit)."""
        c = _channel(s, request.query.get("channel", ""))
        m = c.by_ts.get(request.query.get("ts", ""))
        if m is None:
            raise web.HTTPNotFound(text="No such message.")
        html = messages.message(s, c, m, request.query.get("hl", ""), bool(request.query.get("thread_ts")))
        return web.Response(text=html, content_type="text/html", headers={"Cache-Control": "no-store"})

    async def send(request: web.Request) -> web.Response:
        """POST /ui/send (channel, thread_ts, user, text): what the message box does; JSON, or a redirect back."""
        form = await request.post()
        c = _channel(s, str(form.get("channel", "")))
        thread = str(form.get("thread_ts", "")) or None
        u = s.users.get(str(form.get("user", "")))
        text = str(form.get("text", "")).strip()
        if u is None or u not in choosable(s, c):
            out = {"error": "cant_post", "notice": f"Only members of #{c.name} can post in it."}
        elif not text:
            out = {"error": "no_text", "notice": "Type a message first."}
        elif thread and thread not in c.by_ts:
            out = {"error": "thread_not_found", "notice": "That thread no longer exists."}
        else:
            try:
                out = await compose.submit(hub, c, u, text, thread)
            except SlackError as err:
                out = {"error": err.error, "notice": f"Slack refused the message ({err.error})."}
        out["clear"] = bool(out.get("posted")) or out.get("error") not in _KEEP_TEXT | {"cant_post", "no_text"}
        if "application/json" in request.headers.get("Accept", ""):
            return web.json_response(out)
        back = f"/archives/{c.id}" + (f"/p{messages.digits(thread)}?" + urlencode({"thread_ts": thread}) if thread
                                      else "")
        raise web.HTTPSeeOther(back)  # a browser without JavaScript posts the form and comes back

    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in _STATIC_TYPES:
            raise web.HTTPNotFound()
        return web.Response(body=(STATIC / name).read_bytes(), content_type=_STATIC_TYPES[name],
                            headers={"Cache-Control": "no-cache"})

    app.router.add_get("/ui/messages", fragment)
    app.router.add_get("/ui/message", one)
    app.router.add_post("/ui/send", send)
    app.router.add_get("/ui/stream", streams.handle)
    app.router.add_get("/ui/static/{name}", static)
    app.on_shutdown.append(streams.close_all)
    ui_interact.add_routes(app, s)  # buttons, menus and modals
