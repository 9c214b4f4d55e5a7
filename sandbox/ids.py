"""Stable ids for workspace entities that have none: the same file always gets the same ids."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_NS = uuid.UUID("6f1c1c1e-6d0b-4b8e-9a7e-2f6a0c0ffee1")


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode()).digest()


def slack_id(prefix: str, name: str) -> str:
    """Slack-style id (U…, C…, G…, T…): prefix + 10 upper-case characters derived from the name."""
    n = int.from_bytes(_digest(prefix, name)[:8], "big")
    out = []
    for _ in range(10):
        n, r = divmod(n, len(_ALPHABET))
        out.append(_ALPHABET[r])
    return prefix + "".join(out)


def uuid_for(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


def dashed(raw: str) -> str:
    """Normalise a Notion id with or without dashes to the dashed form."""
    return str(uuid.UUID(raw.replace("-", "")))


def jira_account_id(name: str) -> str:
    return "712020:" + uuid_for("jira-user", name)


def slack_ts(at: datetime, used: set[str]) -> str:
    """Slack message ts for a time: seconds plus a stable 6-digit suffix, unique within one channel."""
    seconds = int(at.timestamp())
    micro = at.microsecond or int.from_bytes(_digest(at.isoformat())[:4], "big") % 1_000_000
    ts = f"{seconds}.{micro:06d}"
    while ts in used:  # two messages in one second: bump the suffix, keeping order by time
        micro = (micro + 1) % 1_000_000
        ts = f"{seconds}.{micro:06d}"
    used.add(ts)
    return ts
