"""Human pages of the sandbox Slack: the channel index and message permalinks, so evidence links open."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from aiohttp import web

from sandbox.slack.state import Msg, SlackState

_TOKEN = re.compile(r"<([@#!]?)([^>|]+)(?:\|([^>]*))?>")
_STYLE = ("body{font:15px/1.45 -apple-system,Segoe UI,sans-serif;max-width:760px;margin:2em auto;color:#1d1c1d}"
          ".m{padding:.5em .8em;border-radius:6px}.hl{background:#fff6d5}.who{font-weight:700}"
          ".at{color:#616061;font-size:12px;margin-left:.5em}.thread{margin-left:2em;border-left:3px solid #ddd}"
          ".text{white-space:pre-wrap}")


def render_mrkdwn(s: SlackState, text: str) -> str:
    """Slack mrkdwn to safe HTML: <@U..> becomes @Real Name, <#C..> #name, <url|label> a link."""
    out, pos = [], 0
    for m in _TOKEN.finditer(text):
        out.append(html.escape(text[pos:m.start()]))
        kind, target, label = m.groups()
        if kind == "@":
            u = s.users.get(target) or s.user_by_name(target)  # hand-written workspaces may use names
            out.append(f"<b>@{html.escape((u.real_name or u.name) if u else (label or target))}</b>")
        elif kind == "#":
            c = s.channels.get(target)
            out.append(f"<b>#{html.escape(c.name if c else label or target)}</b>")
        elif kind == "!":
            out.append(f"<b>@{html.escape(label or target)}</b>")
        else:
            out.append(f'<a href="{html.escape(target, quote=True)}">{html.escape(label or target)}</a>')
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _when(ts: str) -> str:
    return datetime.fromtimestamp(float(ts), UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _msg(s: SlackState, m: Msg, highlight: str) -> str:
    u = s.users.get(m.user)
    who = html.escape((u.real_name or u.name) if u else m.user)
    edited = " (edited)" if m.edited else ""
    cls = "m hl" if m.ts == highlight else "m"
    return (f'<div class="{cls}" id="p{m.ts.replace(".", "")}"><span class="who">{who}</span>'
            f'<span class="at">{_when(m.ts)}{edited}</span><div class="text">{render_mrkdwn(s, m.text)}</div></div>')


def _page(title: str, body: str) -> web.Response:
    doc = (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
           f"<style>{_STYLE}</style></head><body>{body}</body></html>")
    return web.Response(text=doc, content_type="text/html")


def add_routes(app: web.Application, s: SlackState) -> None:
    async def index(_request: web.Request) -> web.Response:
        rows = [f'<li><a href="/archives/{c.id}">#{html.escape(c.name)}</a> — {len(c.top)} messages'
                f'{" (private)" if c.private else ""}</li>'
                for c in s.channels.values() if s.bot_user_id in c.members]
        return _page(s.team.name, f"<h1>{html.escape(s.team.name)} (sandbox Slack)</h1><ul>{''.join(rows)}</ul>")

    async def channel(request: web.Request) -> web.Response:
        c = s.channels.get(request.match_info["channel"])
        if c is None:
            raise web.HTTPNotFound(text="No such channel in this sandbox workspace.")
        recent = [_msg(s, c.by_ts[t], "") for t in c.top[-50:]]
        return _page(f"#{c.name}", f"<h1>#{html.escape(c.name)}</h1><p>Latest {len(recent)} messages.</p>"
                     + "".join(recent))

    async def permalink(request: web.Request) -> web.Response:
        c = s.channels.get(request.match_info["channel"])
        digits = request.match_info["digits"]
        ts = f"{digits[:-6]}.{digits[-6:]}" if len(digits) > 6 else ""
        msg = c.by_ts.get(ts) if c else None
        if msg is None:
            raise web.HTTPNotFound(text="No such message in this sandbox workspace.")
        thread = s.thread(c.id, ts) if msg.thread_ts else [msg]
        parts = [_msg(s, thread[0], ts)]
        if len(thread) > 1:
            parts.append('<div class="thread">' + "".join(_msg(s, r, ts) for r in thread[1:]) + "</div>")
        head = f'<h1><a href="/archives/{c.id}">#{html.escape(c.name)}</a></h1>'
        return _page(f"#{c.name} — {_when(ts)}", head + "".join(parts))

    app.router.add_get("/", index)
    app.router.add_get("/archives/{channel}", channel)
    app.router.add_get(r"/archives/{channel}/p{digits:\d+}", permalink)
