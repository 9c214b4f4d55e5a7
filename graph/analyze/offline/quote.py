"""How the offline analyzer quotes the evidence: who said it and when, after the words taken from it."""

from __future__ import annotations

from datetime import datetime

from graph.analyze.offline.cues import SOURCE_RANK, Item

NOT_ESTABLISHED = "Not established from the evidence."


def who(it: Item) -> str:
    return it.e.author or "someone"


def when(it: Item) -> str:
    return it.dt.strftime("%Y-%m-%d %H:%M UTC") if it.dt else it.e.at


def attribute(it: Item, text: str) -> str:
    """'Quote (Author, 2025-08-04 09:07 UTC).': who said it and when, after the words taken from the evidence."""
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]} ({who(it)}, {when(it)})."


def source_first(it: Item) -> tuple:
    """Slack before Jira before Notion, then time: first-hand talk before retellings."""
    return (SOURCE_RANK.get(it.e.source, 3), *it.sort_key())


def after(it: Item, since: datetime | None) -> bool:
    return since is None or (it.dt is not None and it.dt >= since)
