"""Incident text -> search terms, and term matching that treats SUMMER25, summer25, "Summer 25" and #summer25 alike."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from graph.evidence import iso, parse_iso

STOPWORDS = {
    "a", "an", "the", "and", "or", "of", "on", "in", "at", "to", "for", "with", "is", "was", "were", "incident",
    "postmortem", "post", "mortem", "issue", "problem", "outage", "from", "by", "about", "this", "that",
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
            out.append(parse_iso(d + "T00:00:00Z"))
        except ValueError:
            continue
    return out


def match_count(text: str, terms: list[str]) -> int:
    """How many distinct terms the text contains as whole normalised words (or word prefixes for long terms)."""
    words = set(normalize(text).split())
    n = 0
    for t in terms:
        if t in words or (len(t) >= 5 and any(w.startswith(t) for w in words)):
            n += 1
    return n


def is_match(text: str, terms: list[str]) -> bool:
    need = 1 if len(terms) <= 2 else (len(terms) + 1) // 2
    return match_count(text, terms) >= need


def make_window(now: datetime, since: str | None, until: str | None, lookback_days: int,
                dates: list[datetime]) -> dict:
    """The time window: explicit --since/--until, else around a date named in the incident, else N days back."""
    latest = _parse_bound(until, end=True) if until else now
    if since:
        oldest = _parse_bound(since, end=False)
    elif dates:
        oldest = min(dates) - timedelta(days=2)
        latest = min(latest, max(dates) + timedelta(days=14)) if not until else latest
    else:
        oldest = latest - timedelta(days=lookback_days)
    if oldest >= latest:
        raise ValueError(f"the window is empty: since {iso(oldest)} is not before until {iso(latest)}")
    return {"oldest": iso(oldest), "latest": iso(latest)}


def _parse_bound(text: str, end: bool) -> datetime:
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = parse_iso(text + "T00:00:00Z")
            return day + timedelta(days=1) if end else day
        return parse_iso(text)
    except ValueError:
        raise ValueError(f"not a date or ISO time: {text!r} (use 2025-08-04 or 2025-08-04T09:00:00Z)") from None
