"""Evidence: one message, page or ticket event the analysis may use, with the link a person can open."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

SourceName = Literal["slack", "notion", "jira"]


def iso(dt: datetime) -> str:
    """UTC ISO-8601 with a Z, the one time format of results and reports."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class Evidence(BaseModel):
    """An item as run-result.md shows it, plus ranking fields the result may carry (keys may be added)."""

    id: str = Field("", description="E1, E2, … stable within one result")
    source: SourceName
    ref: str = Field(description="slack: CHANNEL_ID/TS, notion: page id, jira: issue key")
    channel: str | None = None
    thread_ts: str | None = None
    title: str | None = None
    key: str | None = None
    url: str
    at: str = Field(description="UTC ISO-8601 time it was written")
    edited: str | None = Field(None, description="notion: when the page was last edited (UTC ISO-8601)")
    author: str | None = None
    text: str
    kind: str = Field("message", description="message | reply | page | issue | comment | change")
    matched: bool = Field(False, description="matches the incident's terms itself (not only through a thread/link)")
    score: float = 0.0
    app: bool = Field(False, description="posted by an app (a monitoring bot, a deploy tool), not a person")
    context: bool = Field(False, description="read for the incident's time range only (an alert, an ack, a rollout "
                          "note): no term matched it and no thread or link led to it")

    def dedupe_key(self) -> str:
        return f"{self.source}:{self.ref}:{self.kind}:{self.at}:{hash(self.text) & 0xffff}"


class SourceResult(BaseModel):
    """What one gather node got from its source."""

    status: Literal["ok", "failed", "skipped"] = "ok"
    items: list[Evidence] = Field(default_factory=list)
    error: str | None = None
    scope: list[str] = Field(default_factory=list, description="what was read, e.g. the Slack channels")
    via: Literal["api", "mcp"] = Field("api", description="read through the vendor's API or an MCP server")
    gaps: list[str] = Field(default_factory=list, description="what could not be reached, e.g. history an MCP "
                            "tool cannot page back to")
