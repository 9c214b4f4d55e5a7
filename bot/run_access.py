"""A finished run, as the buttons under its reply see it: its saved state, and who may act on it."""

from __future__ import annotations

import json
import re

from bot.config import Settings
from graph.runner import saved_state

RUN_IN_TEXT = re.compile(r"Run `([a-z0-9-]+)`")


class RunRefused(RuntimeError):
    """This person may not act on this run; the message says who may."""


def load_run(settings: Settings, run_id: str) -> dict:
    state = saved_state(run_id, overrides=settings.graph_overrides)
    if not state.get("report"):
        raise LookupError(f"I can't find the saved run `{run_id}` any more, so I can't act on it.")
    return state


def participants(state: dict) -> set[str]:
    """Slack user ids of the requester and of everyone whose messages are the report's evidence."""
    people = state.get("people") or {}
    authors = {e.get("author") for e in state.get("evidence") or [] if e.get("source") == "slack"}
    return {uid for uid, name in people.items() if name in authors} | ({state["requester"]} - {None})


def check_may_act(state: dict, user: str, what: str) -> None:
    if user in participants(state):
        return
    who = f"<@{state['requester']}>" if state.get("requester") else "the person who asked"
    raise RunRefused(f"Only {who} or someone whose messages are part of this incident can {what}.")


def run_in_thread(messages: list[dict]) -> str | None:
    """The run id of the latest post-mortem reply in a thread ('Run `summer25-1a2b3c4d`' in its context line)."""
    for m in reversed(messages):
        if m.get("bot_id"):
            found = RUN_IN_TEXT.search(json.dumps(m.get("blocks") or []) + (m.get("text") or ""))
            if found:
                return found.group(1)
    return None
