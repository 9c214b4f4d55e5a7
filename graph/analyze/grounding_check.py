"""Checks a whole run result against the grounding rules of docs/run-result.md (and a few stricter ones)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graph.analyze.grounding import ISO_UTC, RAW_SLACK, dump, mentions_key
from graph.analyze.markup import RAW_USER_ID
from graph.evidence import parse_iso


def check_grounding(result: dict[str, Any]) -> list[str]:
    """Violations of run-result.md's grounding rules in a result (evidence + report); empty means grounded."""
    problems: list[str] = []
    at_by_id: dict[str, str] = {}
    for i, item in enumerate(result.get("evidence") or []):
        item = dump(item)
        ref, at, author = item.get("id"), item.get("at"), item.get("author")
        if ref in at_by_id:
            problems.append(f"evidence[{i}]: duplicate id {ref}")
        at_by_id[ref] = at
        if not ISO_UTC.match(str(at)):
            problems.append(f"evidence[{i}] ({ref}): at {at!r} is not UTC ISO-8601")
        if author and (RAW_USER_ID.match(author) or RAW_SLACK.search(author)):
            problems.append(f"evidence[{i}] ({ref}): author {author!r} is a raw user id")
    report = dump(result.get("report"))
    if not report:
        return problems
    for path, value in walk(report, "report"):
        if not isinstance(value, str):
            continue
        if re.search(r"evidence(\[\d+\])?$", path) and value not in at_by_id:
            problems.append(f"{path}: cites {value}, which is not in evidence")
        if RAW_SLACK.search(value):
            problems.append(f"{path}: raw Slack markup {RAW_SLACK.search(value).group(0)!r}")
    for i, event in enumerate(report.get("timeline") or []):
        at, cited = event.get("at"), [at_by_id.get(r) for r in event.get("evidence") or []]
        if at not in cited:
            problems.append(f"report.timeline[{i}].at {at!r} is not the time of an evidence item it cites")
        if not ISO_UTC.match(str(at)):
            problems.append(f"report.timeline[{i}].at {at!r} is not UTC ISO-8601")
    problems += check_metrics(report.get("metrics") or {}, set(at_by_id.values()))
    for i, action in enumerate(report.get("action_items") or []):
        key = action.get("jira")
        if key and not any(mentions_key(key, dump(e)) for e in result.get("evidence") or []):
            problems.append(f"report.action_items[{i}].jira {key} appears in no evidence")
    return problems


def check_metrics(metrics: dict, ats: set[str]) -> list[str]:
    problems = []
    for name in ("started", "detected", "resolved"):
        value = metrics.get(name)
        if value is not None and (not ISO_UTC.match(str(value)) or value not in ats):
            problems.append(f"report.metrics.{name} {value!r} is not the UTC time of an evidence item")
    for name, end in (("time_to_detect_s", "detected"), ("time_to_resolve_s", "resolved")):
        start, stop, given = metrics.get("started"), metrics.get(end), metrics.get(name)
        if given is not None and start and stop and ISO_UTC.match(start) and ISO_UTC.match(stop):
            if given != int((parse_iso(stop) - parse_iso(start)).total_seconds()):
                problems.append(f"report.metrics.{name} {given} does not match started..{end}")
    return problems


def walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, f"{path}[{i}]")
    else:
        yield path, value
