"""What Slack shows for a slash command's or a click's answer: its ack body, ack payload or response_url posts."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from aiohttp import web

from sandbox.slack.state import SlackError

MAX_USES, LIFETIME_S = 5, 30 * 60  # Slack: a response_url works five times within thirty minutes


@dataclass
class Invocation:
    """One slash command run or click: where its answers go and what they replace (replace_original)."""

    channel: str
    user: str
    command: str
    text: str
    created: float = field(default_factory=time.monotonic)
    uses: int = 0
    echoed: bool = False
    last: tuple[str, object] | None = None  # ("ephemeral", dict) or ("in_channel", ts)
    thread_ts: str | None = None  # a click in a thread answers in that thread
    clicked: bool = False  # a click's "original" stays the clicked message, whatever else the app posts


class Responses:
    def __init__(self, state, ctx):
        self.state, self.ctx = state, ctx
        self.invocations: dict[str, Invocation] = {}
        self.log: list[dict] = []  # every answer received: {source, invocation, body}

    def new_url(self, channel: str, user: str, command: str, text: str) -> str:
        rid = uuid.uuid4().hex
        self.invocations[rid] = Invocation(channel, user, command, text)
        return f"{self.ctx.urls['slack']}/response_url/{rid}"

    def new_action_url(self, channel: str, user: str, original: tuple[str, object],
                       thread_ts: str | None = None) -> str:
        """The response_url of a click on `original` (("in_channel", ts) or ("ephemeral", the ephemeral dict)):
        replace_original and delete_original act on that message."""
        rid = uuid.uuid4().hex
        self.invocations[rid] = Invocation(channel, user, "", "", echoed=True, last=original, thread_ts=thread_ts,
                                           clicked=True)
        return f"{self.ctx.urls['slack']}/response_url/{rid}"

    def rid_of(self, url: str) -> str:
        return url.rstrip("/").rsplit("/", 1)[-1]

    def show(self, rid: str, body: dict | str, source: str) -> None:
        """Display an answer like the Slack client would: ephemeral to the invoker, or in the channel."""
        inv = self.invocations[rid]
        if isinstance(body, str):
            body = {"text": body}
        self.log.append({"source": source, "response_url_id": rid, "channel": inv.channel, "user": inv.user,
                         "body": body})
        text, blocks = str(body.get("text") or ""), body.get("blocks")
        if body.get("delete_original") and inv.last:
            kind, ref = inv.last
            if kind == "ephemeral" and ref in self.state.ephemeral:
                self.state.ephemeral.remove(ref)
                self.state.changed("ephemeral", ref["channel"], ref["ts"], None, ref["user"])
            elif kind == "in_channel":
                _delete(self.state, inv.channel, ref)
            inv.last = None
            return
        if body.get("replace_original") and inv.last:
            kind, ref = inv.last
            if kind == "ephemeral":
                ref.update(text=text, blocks=blocks)
                self.state.changed("ephemeral", ref["channel"], ref["ts"], None, ref["user"])
            else:
                msg = self.state.update(inv.channel, ref, self.state.bot_user_id, self.ctx.now(), text, blocks)
                msg.blocks = blocks  # the answer replaces the whole message: a text-only one drops the old blocks
            return
        if body.get("response_type") == "in_channel":
            if not inv.echoed:  # in_channel answers make the invocation itself visible too
                self.state.post(inv.channel, inv.user, f"{inv.command} {inv.text}".strip(), self.ctx.now(), bot=False)
                inv.echoed = True
            msg = self.state.post(inv.channel, self.state.bot_user_id, text, self.ctx.now(), blocks=blocks,
                                  thread_ts=body.get("thread_ts") or inv.thread_ts, bot=True)
            if not inv.clicked:
                inv.last = ("in_channel", msg.ts)
            return
        c = self.state.channels[inv.channel]
        eph = {"channel": inv.channel, "user": inv.user, "ts": self.state.next_ts(c, self.ctx.now()), "text": text,
               "blocks": blocks, "thread_ts": inv.thread_ts, "from": self.state.bot_user_id, "via": source}
        self.state.ephemeral.append(eph)
        if not inv.clicked:
            inv.last = ("ephemeral", eph)

    async def handle(self, request: web.Request) -> web.Response:
        rid = request.match_info["id"]
        inv = self.invocations.get(rid)
        if inv is None or inv.uses >= MAX_USES or time.monotonic() - inv.created > LIFETIME_S:
            return web.Response(status=404, text="expired_url" if inv else "no_service")
        try:
            raw = await request.text()
            if request.content_type == "application/x-www-form-urlencoded":  # webhook-style payload=<json>
                raw = parse_qs(raw).get("payload", ["{}"])[0]
            body = json.loads(raw)
        except json.JSONDecodeError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(body, dict):
            return web.Response(status=400, text="invalid_payload")
        if not (body.get("text") or body.get("blocks") or body.get("delete_original")):
            return web.Response(status=400, text="no_text")
        inv.uses += 1
        try:
            self.show(rid, body, "response_url")
        except SlackError as err:
            return web.Response(status=400, text=err.error)
        return web.Response(text="ok")


def _delete(state, channel_id: str, ts: str) -> None:
    """Remove a message as chat.delete would (a thread reply leaves its thread too)."""
    c = state.channels[channel_id]
    msg = c.by_ts.pop(ts, None)
    if msg is None:
        return
    if ts in c.top:
        c.top.remove(ts)
    parent = c.by_ts.get(msg.thread_ts) if msg.thread_ts and msg.thread_ts != ts else None
    if parent is not None and ts in parent.replies:
        parent.replies.remove(ts)
    state.changed("delete", channel_id, ts, msg.thread_ts)
