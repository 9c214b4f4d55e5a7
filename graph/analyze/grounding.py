"""Grounding: a report may cite only real evidence, take its times and owners from it, and hold no Slack markup."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from graph.analyze.markup import clean_markup, clean_markup_tree
from graph.analyze.report import KEY_EVENT_KINDS, Metrics, Report
from graph.evidence import Evidence, iso, parse_iso

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
RAW_SLACK = re.compile(r"<[@#!][^>]*>")
TIMELINE_LIMIT = 20
NO_OWNER = {"", "unknown", "unknown user", "none", "null", "n/a", "tbd", "unassigned", "nobody", "no one"}


def ground_report(report: Report, evidence: list[Evidence | dict],
                  names: dict[str, str] | None = None) -> tuple[Report, list[str]]:
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
    for where, claim in (("root cause", out.root_cause), ("resolution", out.resolution)):
        claim.evidence = keep(claim.evidence, where)
        if not claim.evidence and claim.verified:
            claim.verified = False
            notes.append(f"The {where} cites no existing evidence; marked unverified.")
    out.contributing_factors = cited(out.contributing_factors, "contributing factor", keep, notes)
    out.lessons = cited(out.lessons, "lesson", keep, notes)
    out.timeline = ground_timeline(out, items, keep, notes)
    for i, action in enumerate(out.action_items):
        action.evidence = keep(action.evidence, f"action item {i + 1}")
        action.jira = ground_jira(action.jira, items.values(), notes)
    ground_owners(out, list(items.values()), names or {})
    out.metrics = ground_metrics(out.metrics, items.values(), notes)
    dropped = [f"Dropped citation of unknown evidence {ref} ({', '.join(where)})." for ref, where in unknown.items()]
    return out, dropped + notes


def cited(claims: list, label: str, keep, notes: list[str]) -> list:
    """The claims (contributing factors, lessons) that still cite evidence; the others are dropped with a note."""
    for i, claim in enumerate(claims):
        claim.evidence = keep(claim.evidence, f"{label} {i + 1}")
        if not claim.evidence:
            notes.append(f"Dropped a {label} that cites no evidence: {claim.text[:100]}")
    return [c for c in claims if c.evidence]


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
        kind = re.sub(r"[\s-]+", "_", (event.kind or "").strip().lower())
        event.kind = kind if kind in KEY_EVENT_KINDS else None
        events.append(event)
    events.sort(key=lambda e: parse_iso(e.at))
    extra = len(events) - TIMELINE_LIMIT
    if extra > 0:  # rows without a kind go first (the latest of them first), then the latest rows
        drop = {id(e) for e in sorted(events[::-1], key=lambda e: bool(e.kind))[:extra]}
        notes.append(f"Cut the timeline from {len(events)} to {TIMELINE_LIMIT} rows: dropped {extra}, rows "
                     "without a kind first, then the latest.")
        events = [e for e in events if id(e) not in drop]
    return events


def ground_owners(report: Report, items: list[Evidence], names: dict[str, str]) -> None:
    """An owner must appear in the evidence (as an author or by name in a text); else unassigned, with a question."""
    authors = {squash(e.author): " ".join(e.author.split()) for e in items if (e.author or "").strip()}
    firsts: dict[str, str | None] = {}  # a first name stands for an author only when one author has it
    for full in authors.values():
        first = squash(full.split()[0])
        firsts[first] = full if firsts.get(first, full) == full else None
    people = {first: full for first, full in firsts.items() if full} | authors
    texts = [clean_markup(f"{e.title or ''}\n{e.text}", names)[0] for e in items]
    for action in report.action_items:
        named = " ".join((action.owner or "").split())
        action.owner = None if squash(named) in NO_OWNER else people.get(squash(named)) or named_in(named, texts)
        question = f'Who owns "{action.text}"? The draft named {named}, who does not appear in the evidence.'
        if action.owner is None and squash(named) not in NO_OWNER and question not in report.open_questions:
            report.open_questions.append(question)


def named_in(name: str, texts: list[str]) -> str | None:
    """A full name (first and last) as an evidence text spells it: whole words, any case or spacing."""
    if len(name.split()) < 2:  # a lone first name in a text could be anyone's
        return None
    words = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, name.split())) + r"(?!\w)", re.I)
    found = next(filter(None, map(words.search, texts)), None)
    return " ".join(found.group(0).split()) if found else None


def squash(name: str) -> str:
    return " ".join(name.split()).casefold()


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
