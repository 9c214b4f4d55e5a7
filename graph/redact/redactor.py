"""The redactor: built-in detectors plus POSTMORTEM_REDACT_PATTERNS, replacing each credential with a typed marker."""

from __future__ import annotations

import functools
import os
import re
from collections import Counter

from graph.redact.detectors import BUILTIN, MARKER, Detector

ENV_VAR = "POSTMORTEM_REDACT_PATTERNS"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
# Patterns are separated by ';' only where a new `name=` follows, so a regex may itself contain ';'.
_SPLIT = re.compile(r";(?=\s*[A-Za-z0-9][A-Za-z0-9-]*\s*=)")


class RedactConfigError(ValueError):
    """POSTMORTEM_REDACT_PATTERNS is malformed; the message names the variable and the pattern."""


def parse_patterns(spec: str | None, var: str = ENV_VAR) -> tuple[Detector, ...]:
    """'acme-key=acme_[A-Za-z0-9]{32};pin=PIN (?P<secret>\\d{6})' -> detectors; a group `secret` limits the marker."""
    out = []
    for part in _SPLIT.split(spec or ""):
        part = part.strip().rstrip(";").strip()  # a trailing ';' is a separator, never a regex that needs one
        if not part:
            continue
        name, sep, regex = part.partition("=")
        name = name.strip().lower()
        if not sep or not _NAME.fullmatch(name) or not regex:
            raise RedactConfigError(f"{var}: {part!r} is not name=regex (a name is letters, digits and '-'; "
                                    "patterns are separated by ';')")
        try:
            pattern = re.compile(regex)
        except re.error as exc:
            raise RedactConfigError(f"{var}: pattern {name!r} is not a valid regular expression {regex!r}: {exc}") \
                from None
        if pattern.search("") is not None:
            raise RedactConfigError(f"{var}: pattern {name!r} ({regex!r}) matches empty text; it would redact nothing "
                                    "useful and mark every position")
        out.append(Detector(name, pattern, group="secret"))
    return tuple(out)


class Redactor:
    """Runs detectors in order on one text; each sees the previous ones' markers, never the credentials they hid."""

    def __init__(self, extra: tuple[Detector, ...] = (), builtin: tuple[Detector, ...] = BUILTIN):
        # A team's own patterns run first: they know their internal token formats better than the generic rules.
        self.detectors = (*extra, *builtin)

    def redact(self, text: str | None) -> tuple[str | None, Counter]:
        counts: Counter = Counter()
        if not text:
            return text, counts
        lower = text.lower()
        for detector in self.detectors:
            if not detector.hints or any(h in lower for h in detector.hints):
                text = _apply(detector, text, counts)
        return text, counts

    def text(self, text: str | None) -> str | None:
        return self.redact(text)[0]


def _apply(detector: Detector, text: str, counts: Counter) -> str:
    out, last = [], 0
    for m in detector.pattern.finditer(text):
        if detector.check and not detector.check(m):
            continue
        start, end = detector.span(m)
        if start < last or start == end:
            continue
        out += [text[last:start], MARKER.format(detector.type)]
        last = end
        counts[detector.type] += 1
    return "".join(out) + text[last:] if out else text


@functools.lru_cache(maxsize=8)
def redactor_for(spec: str | None = None) -> Redactor:
    """The redactor for a POSTMORTEM_REDACT_PATTERNS value (cached: detectors compile once per process)."""
    return Redactor(parse_patterns(spec))


def env_redactor() -> Redactor:
    """From the environment; a malformed variable falls back to the built-ins here (the run itself reports it)."""
    try:
        return redactor_for(os.environ.get(ENV_VAR, ""))
    except RedactConfigError:
        return redactor_for("")
