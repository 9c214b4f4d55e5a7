"""The root cause, offline: the whole statement that explains the mechanism most plainly (causal language, technical
specifics), by a person, after detection; statements naming the same specifics confirm it and are cited with it."""

from __future__ import annotations

import re
from datetime import datetime

from graph.analyze.offline.cues import (
    ACTION,
    FILED,
    QUANTITY,
    RESOLVED,
    ROOT,
    ROOT_STRONG,
    THEMES,
    Item,
    cue_count,
    positive,
    strip_interjection,
)
from graph.analyze.offline.quote import NOT_ESTABLISHED, after, attribute, source_first
from graph.analyze.report import Claim


def theme_of(sentence: str) -> tuple[str | None, int]:
    counts = [(cue_count(rx, sentence), -i, name) for i, (name, rx) in enumerate(THEMES.items())]
    n, _, name = max(counts)
    return (name, n) if n else (None, 0)


def root_score(sentence: str) -> int:
    if sentence.endswith("?") or len(sentence.split()) < 4 or positive(RESOLVED, sentence) or ACTION.search(sentence) or FILED.search(sentence):
        return 0
    strong, score = cue_count(ROOT_STRONG, sentence), 2 * cue_count(ROOT_STRONG, sentence) + cue_count(ROOT, sentence)
    if not strong and QUANTITY.search(sentence):
        return 0  # "~11,800 texts failed, users couldn't log in": how much it hurt, not why
    # A sentence that is mostly about ownership, cache or process is a contributing factor, not the cause.
    return score if strong or score > theme_of(sentence)[1] else 0


TECH = re.compile(r"`[^`]+`|\b\w+[._/:]\w[\w./:-]*|\b[a-z]+[A-Z]\w+|\b\d[\d.,]*\s?(?:%|ms|s|h|min|x)?\b|→|->")
CAUSAL = re.compile(r"\b(?:so|which|meant|led to|result(?:ed|s) in|caus(?:e|ed|es|ing)|because|due to|since|until|"
                    r"when|therefore|hence|made|broke|instead of)\b|→|->", re.I)
STATEMENT_CHARS = 520  # the whole statement of the mechanism, not its first clause


def _specifics(sentence: str) -> int:
    """Technical specifics a mechanism names: code, identifiers, versions, numbers, arrows."""
    return min(len(TECH.findall(sentence)), 6)


def statement(it: Item, first: int) -> str:
    """The item's sentences from the first causal one on, as long as they keep explaining (up to a limit)."""
    out = []
    for s in it.sents[first:]:
        if out and (sum(len(x) + 1 for x in out) + len(s) > STATEMENT_CHARS or s.endswith("?")
                    or positive(RESOLVED, s) or ACTION.search(s)):
            break
        out.append(strip_interjection(s))
    return " ".join(out)


def find_root_cause(items: list[Item], since: datetime | None, core: set[str], skip_keys: set[str]) -> Claim:
    """The whole statement explaining the mechanism most plainly (causal language, technical specifics) after
    detection, by a person; others naming the same specifics confirm it and are cited with it."""
    found = []
    for it in items:
        usable = it.e.kind != "change" and not it.e.app and after(it, since) and not (
            it.e.key and it.e.key in skip_keys)
        scored = [(i, root_score(s)) for i, s in enumerate(it.sents)] if usable else []
        scored = [(i, n) for i, n in scored if n]
        if scored:
            first = scored[0][0]
            text = statement(it, first)
            # The plainest sentence counts most: a long write-up retelling everything must not win by length.
            ns = sorted((n for _, n in scored), reverse=True)
            score = (ns[0] + 0.3 * sum(ns[1:]) + 0.5 * min(_specifics(text), 6) + 0.5 * len(CAUSAL.findall(text))
                     + 0.5 * (it.e.id in core))
            found.append((-score * (0.5 if it.e.kind == "page" else 1), source_first(it), it, text))
    if not found:
        return Claim(text=NOT_ESTABLISHED, evidence=[], verified=False)
    found.sort(key=lambda f: f[:2])
    top, _, best, text = found[0]
    tokens = {t.lower() for t in TECH.findall(text) if not t[0].isdigit() and len(t) > 3}
    also = [f[2].e.id for f in found[1:] if len(tokens & {t.lower() for t in TECH.findall(f[3])}) >= 2][:2]
    words = set(re.findall(r"[a-z]{4,}", text.lower()))
    # A mechanism told in two parts by the same discussion ("02:30 happened twice" … "and the job isn't idempotent,
    # which is why it charged"): the second, saying something else, completes the first.
    part = next((f for f in found[1:] if f[0] <= top / 2 and _same_place(f[2], best) and len(
        words & set(re.findall(r"[a-z]{4,}", f[3].lower()))) < len(words) / 2), None)
    claim = attribute(best, text) + (" " + attribute(part[2], part[3]) if part else "")
    ids = [best.e.id, *([part[2].e.id] if part else []), *also]
    return Claim(text=claim, evidence=list(dict.fromkeys(ids)), verified=True)


def _same_place(a: Item, b: Item) -> bool:
    """The same thread or ticket, within the hour."""
    close = a.dt is not None and b.dt is not None and abs((a.dt - b.dt).total_seconds()) <= 3600
    same = (a.e.key and a.e.key == b.e.key) or (a.e.channel and a.e.channel == b.e.channel
                                                and (a.e.thread_ts or "") == (b.e.thread_ts or ""))
    return bool(close and same)


