"""Graph state: what a caller passes in, what nodes share, and what comes out."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from graph.http_counts import most


def merge(left: dict | None, right: dict | None) -> dict:
    return {**(left or {}), **(right or {})}


def add_usage(left: dict | None, right: dict | None) -> dict:
    out = dict(left or {})
    for k, v in (right or {}).items():
        out[k] = out.get(k, 0) + v
    return out


class InputState(TypedDict, total=False):
    incident: str  # what the person typed: "summer25", "checkout outage 2025-08-04"
    since: str | None  # ISO time or date; default: `lookback_days` before now
    until: str | None  # default: now
    channels: list[str] | None  # Slack channel names/ids; default POSTMORTEM_SLACK_CHANNELS or all the bot is in
    offline: bool  # force the analyzer that needs no model
    new_page: bool  # publish a new page even when one exists for this incident
    force: bool  # update the page even when this run read fewer sources than its last version was made from
    seed_thread: dict | None  # {"channel": id, "ts": ts}: the Slack thread the request came from
    requester: str | None  # the Slack user id of who asked (the bot sets it): a database row's owner if none is named
    allowed_channels: list[str] | None  # channel ids the requesting person may read (None = no restriction)
    # Who will see the answer: {"kind": "public"} (default: public channels only), or {"kind": "private",
    # "channel": id, "name": name} when it is posted in a private conversation, whose content it may then use.
    audience: dict | None
    sandbox: dict | None  # {"workspace", "ports"} of a --workspace run, so `resume` can serve it again


class State(InputState, total=False):
    plan: dict  # terms, phrases, window {oldest, latest}
    slack: dict  # SourceResult
    notion: dict
    jira: dict
    people: dict[str, str]  # Slack user id -> display name
    evidence: list[dict]  # ranked, capped, numbered E1…
    dropped: int  # evidence items left out by the token budget
    scope: dict  # terms, window and the incident's core range the evidence was chosen by (graph/scope.py)
    report: dict  # Report
    analyzer: str  # offline | llm:<model>
    page: dict | None  # {id, url, title, action}
    publish_error: str | None
    outcome: dict | None  # why nothing was published on purpose: {status: kept | no_evidence, message, …}
    markdown: str
    usage: Annotated[dict[str, int], add_usage]
    redactions: Annotated[dict[str, int], add_usage]  # credential type -> how many were replaced (graph/redact)
    timings: Annotated[dict[str, float], merge]
    requests: Annotated[dict[str, int], most]  # HTTP requests the run made so far, per service (graph/http_counts)
    log: Annotated[list[str], operator.add]  # human-readable notes (fallbacks, skipped references)
    drafts: dict  # redrafts of one section waiting for Approve/Discard in Slack: id -> {section, report, by, …}


class OutputState(TypedDict, total=False):
    report: dict
    evidence: list[dict]
    page: dict | None
    markdown: str
    analyzer: str
    usage: dict[str, int]
    redactions: dict[str, int]
    timings: dict[str, float]
    requests: dict[str, int]
    slack: dict
    notion: dict
    jira: dict
    plan: dict
    scope: dict
    publish_error: str | None
    outcome: dict | None
    log: list[str]


Json = dict[str, Any]
