"""Offline analyzer sections found by cue phrases: detection, contributing factors, resolution, impact (the root
cause is graph/analyze/offline/cause.py)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from graph.analyze.offline.cause import root_score, theme_of
from graph.analyze.offline.cues import (
    ACTION,
    EARLIER,
    IMPACT,
    META_ACTION,
    QUANTITY,
    RESOLVED,
    SYMPTOM,
    THEMES,
    Item,
    cue_count,
    issue_fields,
    positive,
    strip_interjection,
)
from graph.analyze.offline.quote import NOT_ESTABLISHED, after, attribute, source_first, when, who
from graph.analyze.report import Claim
from graph.terms import incident_dates

DURATION = re.compile(r"\b\d{1,2}:\d{2}\s?[-–]\s?\d{1,2}:\d{2}\b|\b\d+\s?(?:min(?:utes)?|h(?:ours?)?)\b", re.I)


def symptom_sentences(it: Item) -> list[str]:
    return [s for s in it.sents if SYMPTOM.search(s) and not positive(RESOLVED, s)]


def find_detection(items: list[Item], incident: str) -> Item | None:
    """The earliest message or ticket reporting a symptom, preferring items that name the incident themselves."""
    dates = incident_dates(incident)
    floor = min(dates) - timedelta(days=1) if dates else None
    found = [it for it in items if it.e.kind in ("message", "reply", "issue", "comment") and after(it, floor)
             and symptom_sentences(it)]
    found = [it for it in found if it.e.matched] or found
    return min(found, key=Item.sort_key, default=None)


def describe_detection(det: Item | None, items: list[Item]) -> tuple[str, list[str], str | None]:
    """Detection text, its ids, and the clock time of earlier signs ('since about 06:30') when the evidence has any."""
    if det is None:
        return NOT_ESTABLISHED, [], None
    where = f" in #{det.e.channel}" if det.e.channel else (f" in {det.e.key}" if det.e.key else "")
    gist = strip_interjection(symptom_sentences(det)[0])
    text, ids, earlier = f"First reported by {who(det)}{where} at {when(det)}: {gist}", [det.e.id], None
    for it in items:
        for s in it.sents:
            m = EARLIER.search(s)
            if m and it.dt and det.dt and it.dt.date() == det.dt.date() and m.group(1).zfill(5) < det.dt.strftime("%H:%M"):
                text += f" Earlier signs: {attribute(it, strip_interjection(s))}"
                return text, [*ids, it.e.id], m.group(1)
    return text, ids, earlier


def find_contributing(items: list[Item], skip_keys: set[str], skip_ids: set[str],
                      since: datetime | None, tickets: list[Item] | None = None) -> list[tuple[str, Claim]]:
    """One (theme, claim) per theme (ownership, process, monitoring, cache), quoting the sentence hitting it hardest.

    A matching ticket that existed before the incident without an assignee backs the ownership theme."""
    buckets: dict[str, list[tuple]] = {name: [] for name in THEMES}
    for it in items:
        if it.e.kind == "change" or it.e.id in skip_ids or (it.e.key and it.e.key in skip_keys):
            continue
        for s in it.sents:
            if s.endswith("?") or ACTION.search(s) or META_ACTION.search(s) or root_score(s) or len(s.split()) < 4:
                continue
            name, n = theme_of(s)
            if name:
                buckets[name].append((-n, len(s.split()) < 8, source_first(it), it, s))
    unowned = [it for it in tickets or items if it.e.kind == "issue" and it.e.matched and it.e.key not in skip_keys
               and since is not None and it.dt is not None and it.dt < since and issue_fields(it.e.text)["unassigned"]]
    claims = []
    for name, found in buckets.items():
        found.sort(key=lambda f: f[:3])
        extra = unowned if name == "ownership" else []
        if not found and not extra:
            continue
        parts = [attribute(found[0][3], strip_interjection(found[0][4]))] if found else []
        parts += [f"{it.e.key} ({it.e.title or 'the task'}) had no assignee in Jira." for it in extra[:1]]
        ids = list(dict.fromkeys([f[3].e.id for f in found[:1]] + [it.e.id for it in extra[:1]]
                                 + [f[3].e.id for f in found[1:]]))[:3]
        claims.append((name, Claim(text=" ".join(parts), evidence=ids, verified=True)))
    return claims


def find_resolution(items: list[Item], since: datetime | None, done: Item | None) -> tuple[Claim, Item | None]:
    """The first fix after detection; the incident ticket's move to Done backs it or stands in for it."""
    found = [it for it in items if it.e.kind not in ("page", "change") and after(it, since)
             and any(positive(RESOLVED, s) and not s.endswith("?") for s in it.sents)]
    if not found and done is None:
        return Claim(text=NOT_ESTABLISHED, evidence=[], verified=False), None
    found.sort(key=Item.sort_key)
    best = found[0] if found else done
    sents = [s for s in best.sents if positive(RESOLVED, s)][:2] if found else []
    words = {m.lower() for s in sents for m in RESOLVED.findall(s)}
    also = [it.e.id for it in found[1:] if words & {m.lower() for s in it.sents for m in RESOLVED.findall(s)}][:2]
    parts = [attribute(best, " ".join(strip_interjection(s) for s in sents))] if sents else []
    if done is not None:
        parts.append(f"{done.e.key} moved to Done at {when(done)}.")
        also.append(done.e.id)
    ids = list(dict.fromkeys([best.e.id, *also]))
    return Claim(text=" ".join(parts), evidence=ids, verified=True), best


def find_impact(items: list[Item], since: datetime | None) -> tuple[str, list[str], bool]:
    """The sentence that best states impact (numbers first), plus the items repeating its numbers."""
    found = []
    for it in items:
        if it.e.kind == "change" or not after(it, since):
            continue
        for s in it.sents:
            qty, words = QUANTITY.findall(s), cue_count(IMPACT, s)
            if (qty or words) and not s.endswith("?"):
                # Who, how many, how long: a summary naming several numbers and a duration beats one remark.
                score = 2 * min(len(qty), 4) + words + 3 * bool(re.search(r"\bimpact\b", s, re.I)) + 2 * bool(
                    DURATION.search(s)) - 2 * it.e.app  # a person's summary beats a bot's counter
                found.append((-score, source_first(it), it, s, qty))
    if not found:
        return NOT_ESTABLISHED, [], False
    found.sort(key=lambda f: f[:2])
    _, _, best, sentence, qty = found[0]
    numbers = {n for q in qty for n in re.findall(r"\d[\d,.]*", q)}
    also = [f[2].e.id for f in found[1:] if numbers & {n for q in f[4] for n in re.findall(r"\d[\d,.]*", q)}]
    ids = list(dict.fromkeys([best.e.id, *also]))[:3]
    return attribute(best, strip_interjection(sentence)), ids, bool(qty)

