"""Redaction where evidence enters the state, and the sentence that tells readers how much was hidden."""

from __future__ import annotations

from collections import Counter

from graph.evidence import Evidence
from graph.redact.redactor import Redactor

FIELDS = ("text", "title", "author")  # what a person wrote; url/ref/key/channel are ids and stay as they are


def redact_evidence(items: list[Evidence], redactor: Redactor) -> tuple[list[Evidence], dict[str, int]]:
    """Every item with its free-text fields redacted, and how many credentials of each type were replaced."""
    total: Counter = Counter()
    out = []
    for ev in items:
        update = {}
        for name in FIELDS:
            value, counts = redactor.redact(getattr(ev, name))
            if counts:
                update[name] = value
                total += counts
        out.append(ev.model_copy(update=update) if update else ev)
    return out, dict(total)


def redaction_summary(redactions: dict[str, int] | None) -> str | None:
    """'3 credentials were redacted (2 password-in-url, 1 aws-secret-key)', or None when nothing was."""
    counts = {k: v for k, v in (redactions or {}).items() if v}
    if not counts:
        return None
    n = sum(counts.values())
    kinds = ", ".join(f"{v} {k}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{n} credential{'s were' if n != 1 else ' was'} redacted ({kinds})"
