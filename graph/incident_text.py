"""The one check of what a person asked about: normalised, invisible characters removed, not empty, not too long."""

from __future__ import annotations

import unicodedata

MAX_INCIDENT_CHARS = 500  # the same limit in the CLI, the bot and the graph: a name or a sentence, not a document

# Blank-looking letters that are not format characters (Cf) but show nothing; used to fake an empty or spoofed name.
_FILLERS = frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0})


class IncidentTextError(ValueError):
    """Incident text that cannot be used; the message says what is wrong with it and where it came from."""


def _invisible(ch: str) -> bool:
    # Cf: zero-width space/joiners, BOM, soft hyphen, bidi embeddings, overrides, isolates and marks, tags.
    # Cs: lone surrogates (undecodable bytes smuggled through surrogateescape).
    return unicodedata.category(ch) in ("Cf", "Cs") or ord(ch) in _FILLERS


def strip_invisible(text: str) -> str:
    """NFKC-normalised text without invisible or control characters, whitespace runs collapsed to one space."""
    text = unicodedata.normalize("NFKC", text or "")
    kept = (" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text if not _invisible(ch))
    return " ".join("".join(kept).split())


def check_incident(text: str | None, where: str = "the incident") -> str:
    """The cleaned incident text, or IncidentTextError naming `where` (e.g. "the incident argument")."""
    cleaned = strip_invisible(text or "")
    if not cleaned:
        hidden = next((ch for ch in (text or "") if _invisible(ch)), None)
        if hidden is not None:
            name = unicodedata.name(hidden, "a format character")
            raise IncidentTextError(f"{where} has only invisible characters (such as U+{ord(hidden):04X} {name}); "
                                    "say what to write about, e.g. summer25")
        raise IncidentTextError(f"{where} is empty; say what to write about, e.g. summer25")
    if len(cleaned) > MAX_INCIDENT_CHARS:
        raise IncidentTextError(f"{where} is {len(cleaned)} characters long; the limit is {MAX_INCIDENT_CHARS}. "
                                "Name the incident (e.g. summer25 checkout outage) rather than describing it")
    return cleaned
