"""Human pages of the sandbox Slack: channel index, channel and thread pages with a message box, and permalinks."""

from __future__ import annotations

import html

from aiohttp import web

from sandbox.slack import messages, mrkdwn, ui
from sandbox.slack.state import Chan, SlackState

_PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
         '<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>'
         '<link rel="icon" href="data:,"><link rel="stylesheet" href="/ui/static/ui.css"></head><body{data}><div class="app">{side}'
         '<section class="main">{main}</section></div><script src="/ui/static/ui.js"></script>'
         '<script src="/ui/static/interact.js"></script></body></html>')


def visible(s: SlackState) -> list[Chan]:
    """Channels listed in the sidebar: public ones, and private ones the app is in (others stay unseen)."""
    return [c for c in s.channels.values() if not c.private or s.bot_user_id in c.members]


def _label(c: Chan) -> str:
    return ("🔒 " if c.private else "# ") + html.escape(c.name)


def _side(s: SlackState, active: str = "") -> str:
    links = "".join(f'<a class="ch{" active" if c.id == active else ""}" href="/archives/{c.id}">{_label(c)}</a>'
                    for c in visible(s))
    return (f'<nav class="side"><div class="team"><a href="/" style="color:inherit">{html.escape(s.team.name)}'
            f'</a><small>sandbox Slack</small></div><div class="side-h">Channels</div>{links}'
            '<div class="sb-note">A local copy of Slack: nothing leaves this machine.</div></nav>')


def _page(s: SlackState, title: str, main: str, active: str = "", data: dict | None = None) -> web.Response:
    attrs = "".join(f' data-{k}="{html.escape(str(v), quote=True)}"' for k, v in (data or {}).items())
    doc = _PAGE.format(title=html.escape(title), data=attrs, side=_side(s, active), main=main)
    return web.Response(text=doc, content_type="text/html", headers={"Cache-Control": "no-store"})


def _audience(s: SlackState, c: Chan) -> str:
    names = [messages.display(s, u) for u in s.users if u in c.members and u != s.bot_user_id]
    app = " and the postmortem app" if s.bot_user_id in c.members else ""
    if c.private:
        return (f'<div class="audience private">🔒 Private channel: only its members can see it — '
                f'{html.escape(", ".join(names))}{app}.</div>')
    return (f'<div class="audience">{len(names)} members{app} · public: anyone in {html.escape(s.team.name)} '
            'can read it</div>')


def _composer(s: SlackState, c: Chan, thread_ts: str = "") -> str:
    people, default = ui.choosable(s, c), ui.default_typist(s, c)
    if not people:
        return '<div class="composer-wrap"><div id="notice">Nobody can type here.</div></div>'
    options = "".join(f'<option value="{u.id}"{" selected" if u is default else ""}>{html.escape(u.real_name or u.name)}'
                      f'{"" if u.id in c.members else " (not in channel: sending joins)"}</option>' for u in people)
    where = "Reply…" if thread_ts else f"Message #{c.name}"
    hint = f"@{s.users[s.bot_user_id].name}" if thread_ts else "/postmortem summer25"  # commands don't work in threads
    return ('<div class="composer-wrap"><div id="notice" role="status" hidden></div>'
            '<form id="composer" class="composer" method="post" action="/ui/send">'
            f'<input type="hidden" name="channel" value="{c.id}">'
            f'<input type="hidden" name="thread_ts" value="{html.escape(thread_ts)}">'
            f'<textarea id="box" name="text" rows="1" placeholder="{html.escape(where)}" '
            f'aria-label="{html.escape(where)}" autofocus></textarea><div class="bar">'
            f'<label>Typing as <select id="as" name="user">{options}</select></label>'
            f'<span class="hint">Enter sends · Shift+Enter new line · try <code>{hint}</code></span>'
            '<button id="send" type="submit">Send</button></div></form></div>')


def channel_page(s: SlackState, c: Chan, hl: str = "") -> web.Response:
    topic = f'<div class="topic">{mrkdwn.render(s, c.topic)}</div>' if c.topic else ""
    head = f'<header class="top"><h1>{_label(c)}</h1>{topic}{_audience(s, c)}</header>'
    viewer = ui.default_typist(s, c)
    items = messages.channel_items(s, c, viewer.id if viewer else "", hl)
    main = f'{head}<div id="messages" class="messages" aria-live="polite">{items}</div>{_composer(s, c)}'
    return _page(s, f"#{c.name} — {s.team.name}", main, c.id,
                 {"team": s.team.id, "channel": c.id, "thread": "", "hl": hl})


def thread_page(s: SlackState, c: Chan, parent_ts: str, hl: str = "") -> web.Response:
    back = f'<a href="/archives/{c.id}">{_label(c)}</a>'
    head = f'<header class="top"><h1>Thread <small style="font-weight:400">in {back}</small></h1>{_audience(s, c)}</header>'
    viewer = ui.default_typist(s, c)
    items = messages.thread_items(s, c, parent_ts, viewer.id if viewer else "", hl)
    main = f'{head}<div id="messages" class="messages thread" aria-live="polite">{items}</div>' + \
        _composer(s, c, parent_ts)
    when = messages.when(hl or parent_ts)
    return _page(s, f"Thread in #{c.name} — {when:%Y-%m-%d %H:%M:%S} UTC", main, c.id,
                 {"team": s.team.id, "channel": c.id, "thread": parent_ts, "hl": hl})


def add_routes(app: web.Application, s: SlackState) -> None:
    async def index(_request: web.Request) -> web.Response:
        rows = "".join(f'<li><a href="/archives/{c.id}">#{html.escape(c.name)}</a> — {len(c.top)} messages'
                       f'{" (private)" if c.private else ""}</li>' for c in visible(s))
        main = (f'<header class="top"><h1>{html.escape(s.team.name)} (sandbox Slack)</h1></header>'
                f'<div class="index"><ul>{rows}</ul></div>')
        return _page(s, s.team.name, main)

    async def channel(request: web.Request) -> web.Response:
        c = s.channels.get(request.match_info["channel"])
        if c is None:
            raise web.HTTPNotFound(text="No such channel in this sandbox workspace.")
        return channel_page(s, c)

    async def permalink(request: web.Request) -> web.Response:
        """A reply, or a message opened with ?thread_ts=, opens its thread; any other message the channel."""
        c = s.channels.get(request.match_info["channel"])
        digits = request.match_info["digits"]
        ts = f"{digits[:-6]}.{digits[-6:]}" if len(digits) > 6 else ""
        msg = c.by_ts.get(ts) if c else None
        if msg is None:
            raise web.HTTPNotFound(text="No such message in this sandbox workspace.")
        if msg.thread_ts and msg.thread_ts != msg.ts:
            return thread_page(s, c, msg.thread_ts, ts)
        if request.query.get("thread_ts") == ts:  # how Slack opens a thread from its parent: nothing to point at
            return thread_page(s, c, ts)
        return channel_page(s, c, ts)

    app.router.add_get("/", index)
    app.router.add_get("/archives/{channel}", channel)
    app.router.add_get(r"/archives/{channel}/p{digits:\d+}", permalink)
    ui.add_routes(app, s)
