"""Modals in the sandbox Slack: each user's view stack, view objects as Slack returns them, and trigger_ids."""

from __future__ import annotations

import random
import re
import secrets
import string
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.slack import viewstate
from sandbox.slack.state import SlackError

TRIGGER_TTL_S = 3.0  # Slack: a trigger_id expires three seconds after the interaction, and works once
MAX_STACK = 3  # a modal holds its root view and at most two pushed ones
_TRIGGER = re.compile(r"\d+\.\d+\.[0-9a-f]+\Z")
_ID_CHARS = string.ascii_uppercase + string.digits


@dataclass
class Trigger:
    user: str
    issued: float
    view_id: str | None  # the open view the interaction came from: views.push stacks onto its modal
    channel: str | None = None  # where the interaction happened (pages showing that channel hear of the modal)
    used: bool = False


@dataclass
class View:
    id: str
    user: str
    spec: dict  # the view as the app sent it, after viewstate.check_modal
    root_id: str
    previous_id: str | None
    hash: str
    values: dict = field(default_factory=dict)  # state.values: what the person has entered so far
    errors: dict = field(default_factory=dict)  # block_id -> message, from the app's response_action errors
    channel: str | None = None  # the channel of the interaction that opened the modal


def _hash() -> str:
    return f"{int(time.time())}.{secrets.token_hex(4)}"


class Views:
    """Open modals per user (top of the stack last) and the trigger_ids handed out; lives on the sandbox loop."""

    def __init__(self, state):
        self.state = state
        self.stacks: dict[str, list[View]] = {}
        self.triggers: dict[str, Trigger] = {}
        self.clock = time.monotonic  # tests replace it to age triggers without sleeping
        self.trigger_ttl = TRIGGER_TTL_S
        # Called with {kind: "view", channel, ts: view id, thread_ts: None, user} whenever a modal opens, changes or
        # closes; apart from SlackState.watchers, whose pages refetch their messages on every change.
        self.watchers: list[Callable[[dict], None]] = []

    # --- trigger_ids -----------------------------------------------------------------------------------
    def issue_trigger(self, user: str, view_id: str | None = None, channel: str | None = None) -> str:
        team = int(self.state.team.id.encode().hex()[:8], 16)
        tid = f"{int(time.time() * 1000) % 10**13}.{team}.{secrets.token_hex(16)}"
        self.triggers[tid] = Trigger(user, self.clock(), view_id, channel)
        return tid

    def redeem(self, trigger_id: str) -> Trigger:
        """Exchange a trigger_id once, within its lifetime."""
        trig = self.triggers.get(trigger_id) if _TRIGGER.match(trigger_id or "") else None
        if trig is None:
            raise SlackError("invalid_trigger_id")
        if trig.used:
            raise SlackError("exchanged_trigger_id")
        if self.clock() - trig.issued > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        trig.used = True
        return trig

    # --- the stacks ------------------------------------------------------------------------------------
    def stack(self, user: str) -> list[View]:
        return self.stacks.get(user, [])

    def top(self, user: str) -> View | None:
        stack = self.stack(user)
        return stack[-1] if stack else None

    def find(self, view_id: str | None = None, external_id: str | None = None) -> View:
        for stack in self.stacks.values():
            for v in stack:
                if (view_id and v.id == view_id) or (external_id and v.spec.get("external_id") == external_id):
                    return v
        raise SlackError("not_found")

    def _unique_external(self, spec: dict, replacing: View | None = None) -> None:
        ext = spec.get("external_id")
        if not ext:
            return
        try:
            other = self.find(external_id=ext)
        except SlackError:
            return
        if other is not replacing:
            raise SlackError("duplicate_external_id")

    def _new(self, user: str, spec: dict, under: View | None, channel: str | None = None) -> View:
        vid = "V" + "".join(random.choices(_ID_CHARS, k=10))
        return View(vid, user, spec, under.root_id if under else vid, under.id if under else None, _hash(),
                    channel=under.channel if under else channel)

    def announce(self, view: View) -> None:
        """Tell the watchers that the person's modal changed (channel: where the interaction that opened it was)."""
        change = {"kind": "view", "channel": view.channel, "ts": view.id, "thread_ts": None, "user": view.user}
        for watcher in list(self.watchers):
            watcher(change)

    def open(self, trigger: Trigger, spec: dict) -> View:
        """A new modal for the trigger's person; one already open gives way, as the client shows one at a time."""
        self._unique_external(spec)
        view = self._new(trigger.user, spec, None, trigger.channel)
        self.stacks[trigger.user] = [view]
        self.announce(view)
        return view

    def push(self, on: View, spec: dict) -> View:
        stack = self.stack(on.user)
        if on not in stack:
            raise SlackError("not_found")
        if len(stack) >= MAX_STACK:
            raise SlackError("push_limit_reached")
        self._unique_external(spec)
        view = self._new(on.user, spec, stack[-1])
        stack.append(view)
        self.announce(view)
        return view

    def update(self, view: View, spec: dict, expected_hash: str | None = None) -> View:
        """Replace a view's content in place (same id, new hash); entries in inputs that stay are kept."""
        if expected_hash and expected_hash != view.hash:
            raise SlackError("hash_conflict")
        if view.spec.get("external_id") and not spec.get("external_id"):
            spec = {**spec, "external_id": view.spec["external_id"]}  # an id the app gave stays with the view
        self._unique_external(spec, view)
        keep = {(b.get("block_id"), el.get("action_id")) for b, el in viewstate.stateful(spec.get("blocks"))}
        view.values = {bid: kept for bid, acts in view.values.items()
                       if (kept := {aid: v for aid, v in acts.items() if (bid, aid) in keep})}
        view.spec, view.hash, view.errors = spec, _hash(), {}
        self.announce(view)
        return view

    def close(self, view: View) -> None:
        """Close one view: the ones pushed above it go too, and the one below (if any) shows again."""
        stack = self.stack(view.user)
        if view in stack:
            del stack[stack.index(view):]
        if not stack:
            self.stacks.pop(view.user, None)
        self.announce(view)

    def clear(self, user: str) -> None:
        for view in self.stacks.pop(user, [])[:1]:
            self.announce(view)

    # --- as the Web API and payloads show a view -------------------------------------------------------
    def render(self, view: View) -> dict:
        s, spec = self.state, view.spec
        return {
            "id": view.id, "team_id": s.team.id, "type": spec.get("type", "modal"), "blocks": spec.get("blocks", []),
            "private_metadata": spec.get("private_metadata", ""), "callback_id": spec.get("callback_id", ""),
            "state": {"values": view.values}, "hash": view.hash, "title": spec.get("title"),
            "clear_on_close": bool(spec.get("clear_on_close")), "notify_on_close": bool(spec.get("notify_on_close")),
            "close": spec.get("close"), "submit": spec.get("submit"), "previous_view_id": view.previous_id,
            "root_view_id": view.root_id, "app_id": s.app_id, "external_id": spec.get("external_id", ""),
            "app_installed_team_id": s.team.id, "bot_id": s.bot_id,
        }


_VIEWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def views_of(state) -> Views:
    """The modal state of one sandbox Slack (a SlackState), made on first use."""
    views = _VIEWS.get(state)
    if views is None:
        views = _VIEWS[state] = Views(state)
    return views
