"""Lessons the evidence itself states ("should have dug in", a write-up's "What we learned"), each citing the item it
comes from; none when the evidence states none (no fixed list)."""

from __future__ import annotations

import re

from graph.analyze.offline.cues import KEY, Item, clean_text, shorten, strip_interjection
from graph.analyze.report import Lesson

MAX_LESSONS = 5
LESSON = re.compile(r"(?<![\w-])(?:lessons?|learn(?:ed|t)|takeaways?|in hindsight|should have|would have "
                    r"(?:caught|prevented|helped|noticed|covered|saved|avoided)|next time|going forward|from now on"
                    r"|never again|the gap (?:is|was)|we didn'?t have|we had no)(?![\w-])", re.I)
SECTION = re.compile(r"^(?:what (?:we )?(?:learned|learnt)|lessons?(?: learned| learnt)?|takeaways?"
                     r"|what went (?:well|wrong|badly))\W*$", re.I)
OTHER_SECTION = re.compile(r"^(?:actions?|action items|follow-?ups?|timeline|impact|root cause|resolution|next steps"
                           r"|summary|detection|what happened|background|contributing factors?|open questions"
                           r"|metrics|links|notes)\W*$", re.I)


def _written(it: Item) -> list[str]:
    """The lines under a write-up's lessons heading."""
    out, inside = [], False
    for line in clean_text(it.e.text).splitlines():
        line = line.strip()
        if SECTION.match(line):
            inside = True
        elif OTHER_SECTION.match(line):
            inside = False
        elif inside and len(line.split()) >= 4:
            out.append(line)
    return out


def _said(it: Item) -> list[str]:
    """Sentences that state a lesson, not a question or a ticket to file."""
    return [s for s in it.sents if LESSON.search(s) and not s.endswith("?") and not KEY.search(s)
            and 5 <= len(s.split()) <= 45]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def find_lessons(items: list[Item]) -> list[Lesson]:
    out: list[Lesson] = []
    for it in sorted(items, key=Item.sort_key):
        for text in [*_written(it), *_said(it)]:
            text = shorten(strip_interjection(text).rstrip("."), 220)
            text = text[:1].upper() + text[1:]
            twin = next((x for x in out if len(_words(x.text) & _words(text)) >= 0.6 * max(1, len(_words(text)))), None)
            if twin is not None:
                twin.evidence = list(dict.fromkeys([*twin.evidence, it.e.id]))
            elif len(out) < MAX_LESSONS:
                out.append(Lesson(text=f"{text}.", evidence=[it.e.id]))
    return out
