"""The analyzer that needs no language model: a deterministic report built from cue phrases in the ranked evidence."""

from __future__ import annotations

import re
from datetime import timedelta

from graph.analyze.offline.cause import find_root_cause
from graph.analyze.offline.cues import (
    OWNERSHIP_A,
    OWNERSHIP_Q,
    Item,
    clean_text,
    issue_fields,
    make_item,
    shorten,
    strip_interjection,
)
from graph.analyze.offline.detection import describe_resolution, describe_start
from graph.analyze.offline.findings import (
    describe_detection,
    find_contributing,
    find_detection,
    find_impact,
    find_resolution,
    symptom_sentences,
)
from graph.analyze.offline.items import Tickets, build_action_items, read_tickets, thread_ids
from graph.analyze.offline.lessons import find_lessons
from graph.analyze.offline.moments import Moments, key_moments
from graph.analyze.offline.quote import NOT_ESTABLISHED
from graph.analyze.report import Claim, Metrics, Report
from graph.evidence import Evidence

OFFLINE_NOTE = "Drafted without a language model (offline analyzer): wording is taken from the evidence."


def analyze_offline(incident: str, evidence: list[Evidence]) -> Report:
    """Build the report from the evidence alone; the same input always gives the same report."""
    items = sorted((make_item(e, i) for i, e in enumerate(evidence)), key=Item.sort_key)
    det = find_detection(items, incident)
    tickets = read_tickets(items, det.dt if det else None)
    key = tickets.incident.e.key if tickets.incident else None
    first = key_moments(items, key, []).start  # the first signal, before the cause is known
    det = first or det
    since = det.dt if det else None
    incident_ids = {it.e.id for it in items if key and it.e.key == key}
    core = thread_ids(items, det) | incident_ids
    follow_keys = {it.e.key for it in tickets.follow_ups if it.e.key}
    root = find_root_cause(items, since, core, follow_keys)
    by_id = {it.e.id: it for it in items}
    moments = key_moments(items, key, [by_id[i] for i in root.evidence if i in by_id])
    # Factors and lessons from the incident's own days: a planning note from weeks before is not one.
    recent = [it for it in items if since is None or (it.dt is not None and it.dt >= since - timedelta(days=1))]
    themed = find_contributing(recent, follow_keys, set(root.evidence[:1]), since, tickets=items)
    resolution, fixed = describe_resolution(moments, tickets.done, items) or find_resolution(items, since,
                                                                                              tickets.done)
    impact, impact_ids, counted = find_impact(items, since)
    metrics = moment_metrics(compute_metrics(det, fixed, tickets), moments)
    detection, detection_ids, earlier = describe_start(moments, items) if moments.start else \
        describe_detection(det, items)
    actions = build_action_items(items, tickets)
    title = make_title(incident, tickets, det)
    return Report(
        title=title,
        summary=make_summary(title, impact if impact_ids else None, root, resolution),
        summary_evidence=list(dict.fromkeys([*impact_ids[:1], *root.evidence[:1], *resolution.evidence[:1]])),
        impact=impact, impact_evidence=impact_ids,
        detection=detection, detection_evidence=detection_ids,
        root_cause=root, contributing_factors=[claim for _, claim in themed], resolution=resolution,
        timeline=moments.rows, action_items=actions, lessons=find_lessons(recent),
        open_questions=open_questions(items, det, root, resolution, counted, earlier, bool(actions)),
        metrics=metrics, notes=[OFFLINE_NOTE],
    )


def compute_metrics(det: Item | None, fixed: Item | None, tickets: Tickets) -> Metrics:
    m = Metrics()
    if det is not None:
        # The first report is the earliest timestamped sign; an earlier start is only ever mentioned in prose.
        m.started = m.detected = det.e.at
    ends = [it for it in (fixed, tickets.done) if it is not None and it.dt is not None]
    if det is not None and det.dt is not None:
        ends = [it for it in ends if it.dt >= det.dt]
    if ends:
        end = min(ends, key=Item.sort_key)
        m.resolved = end.e.at
        if det is not None and det.dt is not None:
            m.time_to_resolve_s = int((end.dt - det.dt).total_seconds())
    return m


def moment_metrics(m: Metrics, moments: Moments) -> Metrics:
    """Started at the first signal, detected at the first alert, ack or declaration after it, resolved when it was
    resolved (else fixed): the times of the timeline's own rows."""
    start = moments.start
    if start is None:
        return m
    # A person reporting it is the team knowing; an app's signal is known once alerted, acked or declared.
    seen = [moments.picked[k] for k in ("alert", "ack", "severity") if k in moments.picked
            and moments.picked[k].dt >= start.dt]
    detected = min(seen, key=Item.sort_key) if seen and start.e.app else start
    end = moments.picked.get("resolved") or moments.picked.get("fix_deployed")
    out = Metrics(started=start.e.at, detected=detected.e.at)
    out.time_to_detect_s = int((detected.dt - start.dt).total_seconds())
    if end is not None and end.dt >= start.dt:
        out.resolved = end.e.at
        out.time_to_resolve_s = int((end.dt - start.dt).total_seconds())
    elif m.resolved and m.time_to_resolve_s is not None and m.time_to_resolve_s >= 0:
        out.resolved, out.time_to_resolve_s = m.resolved, None
    return out


def make_title(incident: str, tickets: Tickets, det: Item | None) -> str:
    if tickets.incident and tickets.incident.e.title:
        return shorten(clean_text(tickets.incident.e.title).rstrip("."), 90)
    if det is not None:
        return shorten(strip_interjection(symptom_sentences(det)[0]).rstrip(".!"), 90)
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", "", incident).strip(" -–:") or incident
    return shorten(text[:1].upper() + text[1:], 90)


def lead(text: str) -> str:
    """A section's first quoted sentence with its attribution: the summary stays at one line per section."""
    m = re.match(r"^(.*?) (\([^()]*\d{2}:\d{2} UTC\)\.)", text)
    if not m:
        return text
    first = re.split(r"(?<=[.!?])\s+", m.group(1))[0].rstrip(".")
    return f"{first} {m.group(2)}"


def _unlabelled(text: str) -> str:
    """A quote's own label goes ("Impact: Impact 12:40-13:27" reads badly): the summary labels each part itself."""
    rest = re.sub(r"^(?:(?:root cause|cause|resolution)(?: as far as we can tell)?\s*:|impact\b:?)\s*", "", text,
                  flags=re.I)
    return rest[:1].upper() + rest[1:] if rest else text


def make_summary(title: str, impact: str | None, root: Claim, resolution: Claim) -> str:
    parts = [f"Impact: {_unlabelled(lead(impact))}" if impact else f"{title}."]
    parts += [f"Cause: {_unlabelled(lead(root.text))}"] if root.verified else []
    parts += [f"Resolution: {_unlabelled(lead(resolution.text))}"] if resolution.verified else []
    if len(parts) == 1 and not impact:
        parts.append(f"Cause and resolution: {NOT_ESTABLISHED.lower()}")
    return " ".join(p if p.endswith(".") else p + "." for p in parts)


def open_questions(items: list[Item], det: Item | None, root: Claim, resolution: Claim, counted: bool,
                   earlier: str | None, has_actions: bool) -> list[str]:
    out = []
    if det is None:
        out.append("When and how was the problem first noticed?")
    if earlier:
        out.append(f"When did the impact start? The evidence mentions problems since {earlier}, before the first "
                   "report, but no item is timestamped then.")
    if not root.verified:
        out.append("What caused the incident? No evidence item states a cause.")
    out += ownership_questions(items)
    if not resolution.verified:
        out.append("How and when was the incident resolved?")
    if not counted:
        out.append("How many customers were affected? No evidence item gives a number.")
    if not has_actions:
        out.append("Which follow-up actions were agreed, and who owns them?")
    return out


def ownership_questions(items: list[Item]) -> list[str]:
    """'Who owned X?' asked in the evidence and never answered (nobody, 'on me', an unassigned ticket) stays open."""
    asked = [(it, s) for it in items for s in it.sents if s.endswith("?") and OWNERSHIP_Q.search(s)]
    if not asked:
        return []
    answered = any(OWNERSHIP_A.search(s) for it in items for s in it.sents if not s.endswith("?"))
    if answered or any(it.e.kind == "issue" and it.e.matched and issue_fields(it.e.text)["unassigned"] for it in items):
        return []
    it, s = asked[0]
    return [f"{s} (asked by {it.e.author or 'someone'}, not answered in the evidence)"]
