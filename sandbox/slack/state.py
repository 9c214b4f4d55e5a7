"""In-memory Slack workspace for the sandbox: users, channels and ts-indexed messages, readable and writable."""

from __future__ import annotations

import gc
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox import ids
from sandbox.workspace.loader import Workspace


class SlackError(Exception):
    """A Slack error code, answered as HTTP 200 {"ok": false, "error": code} like Slack does."""

    def __init__(self, error: str, **extra: Any):
        super().__init__(error)
        self.error, self.extra = error, extra


def ts_to_micros(ts: str) -> int:
    sec, _, frac = ts.partition(".")
    return int(sec) * 1_000_000 + int((frac + "000000")[:6])


def micros_to_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


@dataclass(slots=True)
class Msg:
    """One message or thread reply; `user` is a user id, `replies` the reply ts list of a thread parent."""

    ts: str
    user: str
    text: str
    thread_ts: str | None = None
    replies: list[str] = field(default_factory=list)
    edited: dict | None = None
    reactions: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    blocks: list | None = None
    bot: bool = False  # posted through the API by the bot: carries bot_id/app_id/bot_profile
    broadcast: bool = False  # a reply also shown in the channel (reply_broadcast)


@dataclass(slots=True)
class Chan:
    id: str
    name: str
    private: bool
    members: set[str]
    created: int
    creator: str
    topic: str = ""
    purpose: str = ""
    top: list[str] = field(default_factory=list)  # ts of messages shown in history, ascending (bisect on it)
    by_ts: dict[str, Msg] = field(default_factory=dict)  # every message and reply
    last: int = 0  # newest ts in micros, so new posts sort strictly after


class _Ephemerals(list):
    """Ephemeral posts are appended from several places (chat.postEphemeral, command answers); watchers hear of each."""

    def __init__(self, state: SlackState):
        super().__init__()
        self._state = state

    def append(self, eph: dict) -> None:
        super().append(eph)
        self._state.changed("ephemeral", eph["channel"], eph["ts"], eph.get("thread_ts"), eph["user"])


class SlackState:
    """The Slack side of a sandbox. Other code (event delivery, tests) reads and posts through these helpers."""

    def __init__(self, ws: Workspace, base_url: str = ""):
        s = ws.slack
        self.base_url = base_url.rstrip("/")
        self.team = s.team
        self.users = {u.id: u for u in s.users}
        self._user_names = {u.name: u.id for u in s.users}
        self.bot_user_id = self._user_names["postmortem"]
        self.bot_id = ids.slack_id("B", f"{s.team.id}:postmortem")
        self.app_id = "A" + ids.slack_id("", f"{s.team.id}:app")
        self.channels: dict[str, Chan] = {}
        self._chan_names: dict[str, str] = {}
        self.watchers: list[Callable[[dict], None]] = []  # change hook for live pages: {kind, channel, ts, ...}
        self.ephemeral: list[dict] = _Ephemerals(self)  # chat.postEphemeral posts: seen by one user, never in history
        self.listeners: list[Callable[[dict], None]] = []  # event hook: called with a Slack `message` event
        # Generational GC passes over 100k fresh objects cost more than building them; pause it meanwhile.
        paused = gc.isenabled()
        gc.disable()
        try:
            self._build(ws)
        finally:
            if paused:
                gc.enable()

    def _build(self, ws: Workspace) -> None:
        everyone = set(self.users)
        for ch in ws.slack.channels:
            members = {self._user_names[m] for m in ch.members} if ch.members is not None else set(everyone)
            first = min((m.at for m in ch.messages), default=ws.now)
            creator = self._user_names.get(ch.messages[0].user, self.bot_user_id) if ch.messages else self.bot_user_id
            c = Chan(ch.id, ch.name, ch.private, members, int(first.timestamp()) - 86400, creator,
                     ch.topic or "", ch.purpose or "")
            for m in ch.messages:
                parent = self._load(c, m, None)
                c.top.append(parent.ts)
                for r in m.replies:
                    parent.replies.append(self._load(c, r, parent.ts).ts)
                if parent.replies:
                    parent.replies.sort()
                    parent.thread_ts = parent.ts
            c.top.sort()
            c.last = max((ts_to_micros(t) for t in c.by_ts), default=0)
            self.channels[c.id] = c
            self._chan_names[c.name] = c.id

    def _load(self, c: Chan, m, thread_ts: str | None) -> Msg:
        uid = self._user_names[m.user]
        msg = Msg(m.ts, uid, m.text, thread_ts)
        if m.edited:
            msg.edited = {"user": uid, "ts": micros_to_ts(int(m.edited.timestamp() * 1_000_000))}
        msg.reactions = [{"name": r.name, "users": [self._user_names[u] for u in r.users], "count": len(r.users)}
                         for r in m.reactions]
        msg.files = [self._file(c, m.ts, f.name, f.title, uid) for f in m.files]
        c.by_ts[m.ts] = msg
        return msg

    def _file(self, c: Chan, ts: str, name: str, title: str | None, uid: str) -> dict:
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return {"id": ids.slack_id("F", f"{c.id}:{ts}:{name}"), "name": name, "title": title or name,
                "mimetype": mime, "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "binary",
                "user": uid, "created": int(float(ts)), "size": 0, "mode": "hosted", "is_external": False}

    # --- lookups ---------------------------------------------------------------------------------------
    def user_by_name(self, name: str):
        uid = self._user_names.get(name)
        return self.users.get(uid) if uid else None

    def channel_by_name(self, name: str) -> Chan | None:
        cid = self._chan_names.get(name.lstrip("#"))
        return self.channels.get(cid) if cid else None

    def channel(self, ref: str) -> Chan | None:
        """By id, name or #name (chat.postMessage accepts all three)."""
        return self.channels.get(ref) or self.channel_by_name(ref)

    def message(self, channel_id: str, ts: str) -> Msg | None:
        c = self.channels.get(channel_id)
        return c.by_ts.get(ts) if c else None

    def messages(self, channel_id: str) -> list[Msg]:
        """History messages of a channel, oldest first (thread replies are in thread())."""
        c = self.channels[channel_id]
        return [c.by_ts[t] for t in c.top]

    def thread(self, channel_id: str, ts: str) -> list[Msg]:
        """Parent then replies oldest first; ts may be the parent's or any reply's; [] if no such message."""
        m = self.message(channel_id, ts)
        if m is None:
            return []
        if m.thread_ts and m.thread_ts != m.ts:
            m = self.channels[channel_id].by_ts[m.thread_ts]
        c = self.channels[channel_id]
        return [m, *(c.by_ts[t] for t in m.replies)]

    def permalink(self, channel_id: str, msg: Msg) -> str:
        link = f"{self.base_url}/archives/{channel_id}/p{msg.ts.replace('.', '')}"
        if msg.thread_ts and msg.thread_ts != msg.ts:
            link += f"?thread_ts={msg.thread_ts}&cid={channel_id}"
        return link

    # --- writes ----------------------------------------------------------------------------------------
    def next_ts(self, c: Chan, now: datetime) -> str:
        micros = max(int(now.timestamp()) * 1_000_000 + now.microsecond, c.last + 1)
        c.last = micros
        return micros_to_ts(micros)

    def post(self, channel_id: str, user: str, text: str, now: datetime, *, thread_ts: str | None = None,
             blocks: list | None = None, broadcast: bool = False, bot: bool | None = None) -> Msg:
        """Store a new message (or thread reply) and tell the listeners, as Slack would deliver the event."""
        c = self.channels[channel_id]
        parent = None
        if thread_ts:
            parent = c.by_ts.get(thread_ts)
            if parent is None:
                raise SlackError("thread_not_found")
            if parent.thread_ts and parent.thread_ts != parent.ts:
                parent = c.by_ts[parent.thread_ts]  # replying to a reply lands in the same thread
        ts = self.next_ts(c, now)
        is_bot = (user == self.bot_user_id) if bot is None else bot
        msg = Msg(ts, user, text, parent.ts if parent else None, blocks=blocks, bot=is_bot,
                  broadcast=bool(parent and broadcast))
        c.by_ts[ts] = msg
        if parent:
            parent.replies.append(ts)
            parent.thread_ts = parent.ts
        if not parent or msg.broadcast:
            c.top.append(ts)  # newest ts in the channel, so appending keeps `top` sorted
        self.emit(c, msg)
        self.changed("post", c.id, ts, msg.thread_ts)
        return msg

    def update(self, channel_id: str, ts: str, editor: str, now: datetime, text: str | None,
               blocks: list | None) -> Msg:
        msg = self.message(channel_id, ts)
        if msg is None:
            raise SlackError("message_not_found")
        if msg.user != editor:
            raise SlackError("cant_update_message")
        if text is not None:
            msg.text = text
        if blocks is not None:
            msg.blocks = blocks
        msg.edited = {"user": editor, "ts": self.next_ts(self.channels[channel_id], now)}
        self.changed("update", channel_id, ts, msg.thread_ts)
        return msg

    def changed(self, kind: str, channel_id: str, ts: str, thread_ts: str | None = None,
                user: str | None = None) -> None:
        """Tell the watchers (open browser pages) what changed; `user` is set when only that person sees it."""
        if not self.watchers:
            return
        change = {"kind": kind, "channel": channel_id, "ts": ts, "thread_ts": thread_ts, "user": user}
        for watcher in list(self.watchers):
            watcher(change)

    def emit(self, c: Chan, msg: Msg) -> None:
        if not self.listeners:
            return
        event = {"type": "message", "channel": c.id, "user": msg.user, "text": msg.text, "ts": msg.ts,
                 "event_ts": msg.ts, "channel_type": "group" if c.private else "channel", "team": self.team.id}
        if msg.thread_ts:
            event["thread_ts"] = msg.thread_ts
        if msg.bot:
            event["bot_id"] = self.bot_id
        for listener in list(self.listeners):
            listener(event)
