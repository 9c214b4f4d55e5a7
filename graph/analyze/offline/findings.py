"""Offline analyzer sections found by cue phrases: detection, root cause, contributing factors, resolution, impact."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from graph.analyze.offline.cues import (
    ACTION,
    EARLIER,
    FILED,
    IMPACT,
    META_ACTION,
    QUANTITY,
    RESOLVED,
    ROOT,
    ROOT_STRONG,
    SOURCE_RANK,
    SYMPTOM,
    THEMES,
    Item,
    cue_count,
    issue_fields,
    positive,
    strip_interjection,
)
from graph.analyze.report import Claim
from graph.terms import incident_dates

NOT_ESTABLISHED = "Not established from the evidence."


def who(it: Item) -> str:
    return it.e.author or "someone"


def when(it: Item) -> str:
    return it.dt.strftime("%Y-%m-%d %H:%M UTC") if it.dt else it.e.at


def attribute(it: Item, text: str) -> str:
    """'Quote (Author, 2025-08-04 09:07 UTC).': who said it and when, after the words taken from the evidence."""
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]} ({who(it)}, {when(it)})."


def _rank(it: Item) -> tuple:
    return (SOURCE_RANK.get(it.e.source, 3), *it.sort_key())


def _after(it: Item, since: datetime | None) -> bool:
    return since is None or (it.dt is not None and it.dt >= since)


def symptom_sentences(it: Item) -> list[str]:
    return [s for s in it.sents if SYMPTOM.search(s) and not positive(RESOLVED, s)]


def find_detection(items: list[Item], incident: str) -> Item | None:
    """The earliest message or ticket reporting a symptom, preferring items that name the incident themselves."""
    dates = incident_dates(incident)
    floor = min(dates) - timedelta(days=1) if dates else None
    found = [it for it in items if it.e.kind in ("message", "reply", "issue", "comment") and _after(it, floor)
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


def theme_of(sentence: str) -> tuple[str | None, int]:
    counts = [(cue_count(rx, sentence), -i, name) for i, (name, rx) in enumerate(THEMES.items())]
    n, _, name = max(counts)
    return (name, n) if n else (None, 0)


def root_score(sentence: str) -> int:
    if sentence.endswith("?") or len(sentence.split()) < 4 or positive(RESOLVED, sentence) or ACTION.search(sentence) or FILED.search(sentence):
        return 0
    strong, score = cue_count(ROOT_STRONG, sentence), 2 * cue_count(ROOT_STRONG, sentence) + cue_count(ROOT, sentence)
    # A sentence that is mostly about ownership, cache or process is a contributing factor, not the cause.
    return score if strong or score > theme_of(sentence)[1] else 0


def _cue_words(sentences: list[str]) -> set[str]:
    return {m.lower() for s in sentences for rx in (ROOT_STRONG, ROOT) for m in rx.findall(s)}


def find_root_cause(items: list[Item], since: datetime | None, core: set[str], skip_keys: set[str]) -> Claim:
    """The item stating the cause most plainly after detection; others naming the same cue words back it."""
    found = []
    for it in items:
        usable = it.e.kind != "change" and _after(it, since) and not (it.e.key and it.e.key in skip_keys)
        sents = [s for s in it.sents if root_score(s)] if usable else []
        if sents:
            # First-hand messages outrank write-ups, which retell (and may be an earlier draft of this report).
            score = sum(root_score(s) for s in sents) * (0.5 if it.e.kind == "page" else 1) + 0.5 * (it.e.id in core)
            found.append((-score, _rank(it), it, sents))
    if not found:
        return Claim(text=NOT_ESTABLISHED, evidence=[], verified=False)
    found.sort(key=lambda f: f[:2])
    _, _, best, sents = found[0]
    words = _cue_words(sents)
    also = [f[2].e.id for f in found[1:] if _cue_words(f[3]) & words][:2]
    text = attribute(best, " ".join(strip_interjection(s) for s in sents[:2]))
    return Claim(text=text, evidence=[best.e.id, *also], verified=True)


def find_contributing(items: list[Item], skip_keys: set[str], skip_ids: set[str],
                      since: datetime | None) -> list[tuple[str, Claim]]:
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
                buckets[name].append((-n, len(s.split()) < 8, _rank(it), it, s))
    unowned = [it for it in items if it.e.kind == "issue" and it.e.matched and it.e.key not in skip_keys
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
    found = [it for it in items if it.e.kind not in ("page", "change") and _after(it, since)
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
        if it.e.kind == "change" or not _after(it, since):
            continue
        for s in it.sents:
            qty, words = QUANTITY.findall(s), cue_count(IMPACT, s)
            if (qty or words) and not s.endswith("?"):
                found.append((-(3 * bool(qty) + words), _rank(it), it, s, qty))
    if not found:
        return NOT_ESTABLISHED, [], False
    found.sort(key=lambda f: f[:2])
    _, _, best, sentence, qty = found[0]
    numbers = {n for q in qty for n in re.findall(r"\d[\d,.]*", q)}
    also = [f[2].e.id for f in found[1:] if numbers & {n for q in f[4] for n in re.findall(r"\d[\d,.]*", q)}]
    ids = list(dict.fromkeys([best.e.id, *also]))[:3]
    return attribute(best, strip_interjection(sentence)), ids, bool(qty)
