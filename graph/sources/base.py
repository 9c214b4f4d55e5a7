"""The interface every source implements: gather by plan, fetch referenced items."""

from __future__ import annotations

import re
from typing import Protocol

from graph.evidence import Evidence

JIRA_KEY = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-[1-9][0-9]*)\b")
NOTION_ID = re.compile(r"notion[^\s|>)]*?([0-9a-f]{32})\b")
SLACK_PERMALINK = re.compile(r"/archives/([CG][A-Z0-9]{8,})/p(\d{10})(\d{6})(?:\?thread_ts=(\d{10}\.\d{6}))?")


class SourceError(RuntimeError):
    """A source that could not be read; the message says so in words a person understands."""


class Source(Protocol):
    name: str

    def gather(self, plan: dict) -> list[Evidence]:
        """Everything in the window that matches the plan's terms (plus its context, e.g. whole threads)."""

    def fetch(self, refs: list[str]) -> list[Evidence]:
        """Items referenced from other evidence (Jira keys, Notion page ids, Slack CHANNEL/TS)."""


def find_references(text: str) -> dict[str, set[str]]:
    """Jira keys, Notion page ids and Slack message refs mentioned in a text."""
    return {
        "jira": set(JIRA_KEY.findall(text)),
        "notion": set(NOTION_ID.findall(text)),
        "slack": {f"{c}/{s}.{us}" + (f"@{t}" if t else "") for c, s, us, t in SLACK_PERMALINK.findall(text)},
    }
