"""Grounding: a report may cite only real evidence, take every time from it, and carry no raw Slack markup."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from graph.analyze.report import Metrics, Report
from graph.evidence import Evidence, iso, parse_iso

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
RAW_SLACK = re.compile(r"<[@#!][^>]*>")
SLACK_REF = re.compile(r"<([@#!])([^>|]*)(?:\|([^>]*))?>")
SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
RAW_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")


def ground_report(
    report: Report, evidence: list[Evidence | dict], names: dict[str, str] | None = None
) -> tuple[Report, list[str]]:
    """A corrected copy of `report` that obeys the grounding rules, and notes on what was corrected."""
    items = {e.id: e for e in map(as_evidence, evidence)}
    notes: list[str] = []
    data, replaced = clean_markup_tree(report.model_dump(), names or {})
    if replaced:
        notes.append(f"Replaced {replaced} raw Slack mention(s) or link(s) with readable text.")
    out = Report.model_validate(data)
    unknown: dict[str, list[str]] = {}

    def keep(ids: list[str], where: str) -> list[str]:
        valid: list[str] = []
        for raw in ids:
            ref = normalize_id(raw)
            if ref not in items:
                unknown.setdefault(str(raw), []).append(where)
            elif ref not in valid:
                valid.append(ref)
        return valid

    out.summary_evidence = keep(out.summary_evidence, "summary")
    out.impact_evidence = keep(out.impact_evidence, "impact")
    out.detection_evidence = keep(out.detection_evidence, "detection")
    claims = [("root cause", out.root_cause), ("resolution", out.resolution)]
    claims += [(f"contributing factor {i + 1}", c) for i, c in enumerate(out.contributing_factors)]
    for where, claim in claims:
        claim.evidence = keep(claim.evidence, where)
        if not claim.evidence and claim.verified:
            claim.verified = False
            notes.append(f"The {where} cites no existing evidence; marked unverified.")
    out.timeline = ground_timeline(out, items, keep, notes)
    for i, action in enumerate(out.action_items):
        action.evidence = keep(action.evidence, f"action item {i + 1}")
        action.jira = ground_jira(action.jira, items.values(), notes)
    out.metrics = ground_metrics(out.metrics, items.values(), notes)
    dropped = [f"Dropped citation of unknown evidence {ref} ({', '.join(where)})." for ref, where in unknown.items()]
    return out, dropped + notes


def ground_timeline(report: Report, items: dict[str, Evidence], keep, notes: list[str]) -> list:
    events = []
    for i, event in enumerate(report.timeline):
        event.evidence = keep(event.evidence, f"timeline event {i + 1}")
        if not event.evidence:
            notes.append(f"Removed timeline event without valid evidence: {event.event[:80]!r}.")
            continue
        first = items[event.evidence[0]]
        if event.at != first.at:
            notes.append(f"Timeline time of {event.event[:60]!r} set to {first.id}'s {first.at} (was {event.at!r}).")
            event.at = first.at
        events.append(event)
    return sorted(events, key=lambda e: parse_iso(e.at))


def ground_jira(key: str | None, items, notes: list[str]) -> str | None:
    if not key:
        return None
    wanted = key.strip().upper()
    if any(mentions_key(wanted, e.model_dump()) for e in items):
        return wanted
    notes.append(f"Dropped Jira key {key} from an action item: no evidence mentions it.")
    return None


def ground_metrics(metrics: Metrics, items, notes: list[str]) -> Metrics:
    known = {normalize_time(e.at): e.at for e in items}
    out = Metrics()
    for name in ("started", "detected", "resolved"):
        value = getattr(metrics, name)
        if value is None:
            continue
        match = known.get(normalize_time(value))
        if match is None:
            notes.append(f"Metric {name} {value!r} is not the time of any evidence item; removed.")
        setattr(out, name, match)
    out.time_to_detect_s = seconds_between(out.started, out.detected, "time to detect", notes)
    out.time_to_resolve_s = seconds_between(out.started, out.resolved, "time to resolve", notes)
    return out


def seconds_between(start: str | None, end: str | None, label: str, notes: list[str]) -> int | None:
    if not start or not end:
        return None
    seconds = int((parse_iso(end) - parse_iso(start)).total_seconds())
    if seconds < 0:
        notes.append(f"Dropped {label}: the end time is before the start time.")
        return None
    return seconds


def mentions_key(key: str, item: dict) -> bool:
    """The Jira key is the item's own key or appears in it (MKT-15 must not match MKT-151)."""
    pattern = rf"(?<![A-Z0-9-]){re.escape(key)}(?!\d)"
    return any(re.search(pattern, str(item.get(k) or ""), re.I) for k in ("key", "text", "title", "url"))


def clean_markup(text: str, names: dict[str, str]) -> tuple[str, int]:
    """Slack mrkdwn references (<@U…>, <#C…|name>, <!here>, <url|label>) as plain readable text."""

    def reference(m: re.Match) -> str:
        sigil, target, label = m.group(1), m.group(2), m.group(3)
        if sigil == "@":
            return names.get(target) or (label or "").lstrip("@") or "unknown user"
        if sigil == "#":
            name = label or names.get(target)
            return "#" + name.lstrip("#") if name else "a channel"
        return label or "@" + target.split("^")[0]

    text, links = SLACK_LINK.subn(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text, refs = SLACK_REF.subn(reference, text)
    bare = 0
    for user_id, name in names.items():
        if RAW_USER_ID.match(user_id):
            text, n = re.subn(rf"@?\b{re.escape(user_id)}\b", name, text)
            bare += n
    return text, links + refs + bare


def clean_markup_tree(value: Any, names: dict[str, str]) -> tuple[Any, int]:
    if isinstance(value, str):
        return clean_markup(value, names)
    if isinstance(value, list):
        pairs = [clean_markup_tree(v, names) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        pairs = {k: clean_markup_tree(v, names) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    return value, 0


def normalize_id(ref: Any) -> str:
    """'[e3]' or ' E3 ' as 'E3', so a model's harmless formatting slip still counts as a citation."""
    return str(ref).strip().strip("[]()").strip().upper()


def normalize_time(text: str) -> str | None:
    try:
        return iso(parse_iso(str(text)))
    except ValueError:
        return None


def as_evidence(item: Evidence | dict) -> Evidence:
    return item if isinstance(item, Evidence) else Evidence.model_validate(item)


def dump(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value
