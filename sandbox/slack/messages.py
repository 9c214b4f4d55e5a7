"""Messages as the Slack client draws them: author, time, Block Kit or mrkdwn, files, reactions, thread summaries."""

from __future__ import annotations

import hashlib
import html
from datetime import UTC, datetime

from sandbox.slack import blockkit, mrkdwn
from sandbox.slack.emoji import EMOJI
from sandbox.slack.state import Chan, Msg, SlackState

SLACKBOT = "USLACKBOT"
WINDOW = 100  # top-level messages a channel page shows (around a highlighted one, else the newest)


def when(ts: str) -> datetime:
    return datetime.fromtimestamp(float(ts), UTC)


def digits(ts: str) -> str:
    return ts.replace(".", "")


def thread_url(c: Chan, parent_ts: str, ts: str | None = None) -> str:
    """Slack's own form for a message in a thread: the reply's permalink with the parent's thread_ts."""
    return f"/archives/{c.id}/p{digits(ts or parent_ts)}?thread_ts={parent_ts}&amp;cid={c.id}"


def _stamp(ts: str, href: str) -> str:
    t = when(ts)
    full = t.strftime("%A, %B %-d, %Y at %H:%M:%S UTC")
    return f'<a class="at" href="{href}" title="{full}"><time datetime="{t.isoformat()}">{t:%H:%M}</time></a>'


def avatar(s: SlackState, uid: str) -> str:
    """Slack shows a photo; the sandbox draws initials on a colour derived from the id."""
    if uid == SLACKBOT:
        return '<span class="avatar slackbot" aria-hidden="true">💬</span>'
    name = display(s, uid)
    initials = "".join(p[0] for p in name.split()[:2]).upper() or "?"
    hue = int(hashlib.sha256(uid.encode()).hexdigest()[:4], 16) % 360
    cls = "avatar bot" if uid == s.bot_user_id else "avatar"
    return f'<span class="{cls}" style="background:hsl({hue} 45% 42%)" aria-hidden="true">{html.escape(initials)}</span>'


def display(s: SlackState, uid: str) -> str:
    if uid == SLACKBOT:
        return "Slackbot"
    u = s.users.get(uid)
    return (u.real_name or u.name) if u else uid


def _author(s: SlackState, uid: str, bot: bool) -> str:
    badge = '<span class="badge">APP</span>' if bot and uid != SLACKBOT else ""  # Slackbot wears no badge
    return f'<span class="who">{html.escape(display(s, uid))}</span>{badge}'


def _body(s: SlackState, text: str, blocks, at: str = "") -> str:
    inner = blockkit.render(s, blocks, at) if blocks else mrkdwn.render(s, text)
    return f'<div class="body">{inner}</div>'


def _extras(m: Msg) -> str:
    out = [f'<div class="file">📎 {html.escape(f.get("title") or f.get("name") or "file")}</div>' for f in m.files]
    if m.reactions:
        chips = "".join(f'<span class="reaction" title=":{html.escape(r["name"])}:">'
                        f'{EMOJI.get(r["name"], ":" + html.escape(r["name"]) + ":")} {r["count"]}</span>'
                        for r in m.reactions)
        out.append(f'<div class="reactions">{chips}</div>')
    return "".join(out)


def _summary(s: SlackState, c: Chan, m: Msg) -> str:
    """The fold under a thread parent in the channel: faces, "3 replies", "Last reply …", linking to the thread."""
    n = len(m.replies)
    faces: list[str] = []
    for t in m.replies:
        uid = c.by_ts[t].user
        if uid not in faces:
            faces.append(uid)
    last = when(m.replies[-1])
    count = "1 reply" if n == 1 else f"{n} replies"
    return (f'<a class="thread-summary" href="{thread_url(c, m.ts)}" data-thread="{m.ts}">'
            f'<span class="faces">{"".join(avatar(s, u) for u in faces[:5])}</span>'
            f'<span class="count">{count}</span><span class="last">Last reply {last:%b %-d} at {last:%H:%M}</span></a>')


def message(s: SlackState, c: Chan, m: Msg, hl: str = "", in_thread: bool = False) -> str:
    """One message; in a channel view a thread parent gets its reply fold, a broadcast reply its label."""
    cls = "msg" + (" bot" if m.bot else "") + (" hl" if m.ts == hl else "")
    is_reply = bool(m.thread_ts and m.thread_ts != m.ts)
    href = thread_url(c, m.thread_ts, m.ts) if is_reply else f"/archives/{c.id}/p{digits(m.ts)}"
    edited = '<span class="edited">(edited)</span>' if m.edited else ""
    note = ('<div class="note">replied to a thread</div>' if is_reply and m.broadcast and not in_thread else "")
    fold = _summary(s, c, m) if m.replies and not in_thread else ""
    if not (in_thread or is_reply or m.replies):
        edited += f'<a class="reply-link" href="{thread_url(c, m.ts)}">Reply in thread</a>'
    body = _body(s, m.text, m.blocks, blockkit.where(channel=c.id, ts=m.ts))
    return (f'<div class="{cls}" id="p{digits(m.ts)}" data-ts="{m.ts}" data-thread="{m.thread_ts or ""}">'
            f'{avatar(s, m.user)}<div class="content">{note}<div class="meta">{_author(s, m.user, m.bot)}'
            f'{_stamp(m.ts, href)}{edited}</div>{body}{_extras(m)}{fold}</div></div>')


def ephemeral(s: SlackState, c: Chan, eph: dict) -> str:
    """What only one person sees, marked the way Slack marks it."""
    uid = eph.get("from") or s.bot_user_id
    at = blockkit.where(channel=c.id, ts=eph["ts"], ephemeral=1)
    return (f'<div class="msg ephemeral" id="e{digits(eph["ts"])}" data-ts="{eph["ts"]}">{avatar(s, uid)}'
            f'<div class="content"><div class="only">👁 Only visible to you</div><div class="meta">'
            f'{_author(s, uid, True)}{_stamp(eph["ts"], "#")}</div>'
            f'{_body(s, eph.get("text") or "", eph.get("blocks"), at)}</div></div>')


def _day(t: datetime) -> str:
    return f'<div class="day"><span>{t:%A, %B %-d}</span></div>'


def _merge(s: SlackState, c: Chan, msgs: list[Msg], ephs: list[dict], hl: str, in_thread: bool) -> str:
    items = [(m.ts, "m", m) for m in msgs] + [(e["ts"], "e", e) for e in ephs]
    items.sort(key=lambda it: float(it[0]))
    out, last_day = [], None
    for ts, kind, obj in items:
        day = when(ts).date()
        if day != last_day and not in_thread:  # Slack's thread pane has no day dividers
            out.append(_day(when(ts)))
            last_day = day
        out.append(message(s, c, obj, hl, in_thread) if kind == "m" else ephemeral(s, c, obj))
    return "".join(out)


def window(c: Chan, hl: str) -> list[str]:
    """The newest WINDOW top-level messages, or WINDOW around a highlighted one that is older."""
    top = c.top
    if hl in c.by_ts and hl not in top[-WINDOW:]:
        parent = c.by_ts[hl].thread_ts or hl
        i = next((k for k, t in enumerate(top) if t >= parent), len(top) - 1)
        return top[max(0, i - WINDOW // 2):i + WINDOW // 2]
    return top[-WINDOW:]


def channel_items(s: SlackState, c: Chan, viewer: str, hl: str = "") -> str:
    msgs = [c.by_ts[t] for t in window(c, hl)]
    since = msgs[0].ts if msgs else "0"
    ephs = [e for e in s.ephemeral if e["channel"] == c.id and e["user"] == viewer and not e.get("thread_ts")
            and float(e["ts"]) >= float(since)]
    return _merge(s, c, msgs, ephs, hl, False)


def thread_items(s: SlackState, c: Chan, parent_ts: str, viewer: str, hl: str = "") -> str:
    """Parent, a reply-count divider, then every reply (and this person's ephemerals in the thread)."""
    parent, *replies = s.thread(c.id, parent_ts)
    n = len(replies)
    ephs = [e for e in s.ephemeral if e["channel"] == c.id and e["user"] == viewer
            and e.get("thread_ts") == parent.ts]
    divider = f'<div class="replies-divider"><span>{n} {"reply" if n == 1 else "replies"}</span></div>'
    return message(s, c, parent, hl, True) + divider + _merge(s, c, replies, ephs, hl, True)
