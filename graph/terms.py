"""Incident text -> search terms, and term matching that treats SUMMER25, summer25, "Summer 25" and #summer25 alike."""

from __future__ import annotations

import functools
import re
import threading
from datetime import datetime, timedelta

import snowballstemmer

from graph.evidence import iso, parse_iso

STOPWORDS = {
    "a", "an", "the", "and", "or", "of", "on", "in", "at", "to", "for", "with", "is", "was", "were", "incident",
    "postmortem", "post", "mortem", "issue", "problem", "outage", "from", "by", "about", "this", "that",
    # words that say nothing about which incident: search would return most of the workspace for them
    "not", "no", "are", "be", "been", "has", "have", "had", "after", "before", "during", "while", "we", "our", "us",
    "it", "its", "they", "their", "do", "does", "did", "into", "all", "some", "any", "again", "still", "when",
}
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def normalize(text: str) -> str:
    """Lower-case words with letter-digit runs joined: 'Summer 25!' -> 'summer25'."""
    text = re.sub(r"<(?:https?://[^|>]*\|)?([^>]*)>", r" \1 ", text)  # Slack links: keep the label
    words = re.sub(r"[^a-z0-9]+", " ", text.lower())
    return re.sub(r"\b([a-z]+) (\d+)\b", r"\1\2", words).strip()


def incident_key(text: str) -> str:
    """The stable key a post-mortem page is found again by: 'SUMMER25' and 'summer 25' both give 'summer25'.
    Idempotent (a key gives itself back), so every place that writes or searches the marker agrees."""
    return "-".join(normalize(text).split())[:60] or "incident"


MARKER = "Incident key:"  # first words of every published page; never evidence for itself


def extract_terms(incident: str) -> list[str]:
    words = normalize(_DATE.sub(" ", incident)).split()
    seen: list[str] = []
    for w in words:
        if w not in STOPWORDS and len(w) > 1 and w not in seen:
            seen.append(w)
    return seen or words[:1]


def incident_dates(incident: str) -> list[datetime]:
    out = []
    for d in _DATE.findall(incident):
        try:
            day = parse_iso(d + "T00:00:00Z")
        except ValueError:
            continue
        if 1970 <= day.year <= 9000:  # a window around 9999-12-31 would overflow
            out.append(day)
    return out


_STEMMER = snowballstemmer.stemmer("english")
_STEMMING = threading.Lock()  # a snowball stemmer keeps its word in itself: two threads at once corrupt it


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """English stem, as Jira's and Slack's search index words: 'timeouts' and 'timeout' are one word."""
    with _STEMMING:
        return _STEMMER.stemWord(word)


def terms_in(text: str, terms: list[str]) -> set[str]:
    """The terms the text contains as whole normalised words, the same word in another form ('timeouts' for
    'timeout'), or word prefixes for long terms."""
    joined = normalize(text)
    # 'Summer 25' is one word (summer25) but 'timeout 504' is two: both readings count.
    words = set(joined.split()) | set(re.sub(r"([a-z])(\d)", r"\1 \2", joined).split())
    stems: set[str] | None = None
    out = set()
    for t in terms:
        if t in words or (len(t) >= 5 and any(w.startswith(t) for w in words)):
            out.add(t)
            continue
        if stems is None:
            stems = {stem(w) for w in words}
        if stem(t) in stems:
            out.add(t)
    return out


def match_count(text: str, terms: list[str]) -> int:
    return len(terms_in(text, terms))


def needed(terms: list[str]) -> int:
    """How many of the terms a text must name to be about the incident: one of one or two, else half."""
    return 1 if len(terms) <= 2 else (len(terms) + 1) // 2


def is_match(text: str, terms: list[str]) -> bool:
    return match_count(text, terms) >= needed(terms)


def covers(texts: list[str], terms: list[str]) -> bool:
    """Whether texts together (a thread, a ticket with its comments) name enough of the terms."""
    found: set[str] = set()
    for text in texts:
        found |= terms_in(text, terms)
        if len(found) >= needed(terms):
            return True
    return False


def make_window(now: datetime, since: str | None, until: str | None, lookback_days: int,
                dates: list[datetime], names: tuple[str, str] = ("since", "until")) -> dict:
    """The time window: explicit --since/--until, else around a date named in the incident, else N days back.
    `names` are what the caller calls the two bounds (the CLI: --since, --until), so errors point at them."""
    latest = _parse_bound(until, True, names[1]) if until is not None else now
    if since is not None:
        oldest = _parse_bound(since, False, names[0])
    elif dates:
        oldest = min(dates) - timedelta(days=2)
        latest = min(latest, max(dates) + timedelta(days=14)) if until is None else latest
    else:
        oldest = latest - timedelta(days=lookback_days)
    if oldest >= latest:
        start = (f"{names[0]} {since.strip()!r}" if since is not None
                 else "the start (2 days before the date in the incident)" if dates
                 else f"the start ({lookback_days} days back)")
        end = f"{names[1]} {until.strip()!r}" if until is not None else "the end" + ("" if dates else " (now)")
        raise ValueError(f"the window is empty: {start} ({iso(oldest)}) is not before {end} ({iso(latest)})")
    return {"oldest": iso(oldest), "latest": iso(latest)}


def _parse_bound(text: str, end: bool, name: str) -> datetime:
    text = text.strip()
    if not text:
        raise ValueError(f"{name} is empty (use 2025-08-04 or 2025-08-04T09:00:00Z)")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = parse_iso(text + "T00:00:00Z")
            moment = day + timedelta(days=1) if end else day
        else:
            moment = parse_iso(text)
    except OverflowError:  # the day after 9999-12-31
        moment = datetime.max
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a date or ISO time (use 2025-08-04 or 2025-08-04T09:00:00Z)"
                         ) from None
    if not 1970 <= moment.year <= 9000:  # Slack and Jira times start in 1970; far years overflow the window
        raise ValueError(f"{name} {text!r} is out of range (use a date between 1970 and 9000)")
    return moment
