"""The marker paragraph that opens every page: its incident key and the sources its version was made from."""

from __future__ import annotations

import re

from graph.terms import MARKER, incident_key

LABELS = {"slack": "Slack", "notion": "Notion", "jira": "Jira"}
MADE_FROM = "made from "
_KEY = re.compile(re.escape(MARKER) + r" (\S+)")


def marker_line(incident: str, analyzer: str, sources: dict[str, dict]) -> str:
    """'Incident key: summer25 · drafted by postmortem (offline) · made from Slack, Notion, Jira'."""
    used = [LABELS[k] for k in LABELS if (sources.get(k) or {}).get("status") == "ok"]
    return (f"{MARKER} {incident_key(incident)} · drafted by postmortem ({analyzer}) · "
            f"{MADE_FROM}{', '.join(used) or 'no source'}")


def read_marker(text: str) -> tuple[str, list[str] | None] | None:
    """(incident key, source keys of that version) from a marker line; sources are None on pages written before
    they were recorded, which a re-run may always update."""
    m = _KEY.search(text)
    if not m:
        return None
    part = next((p for p in text.split(" · ") if p.startswith(MADE_FROM)), None)
    if part is None:
        return m[1], None
    labels = {x.strip() for x in part.removeprefix(MADE_FROM).split(",")}
    return m[1], [k for k, label in LABELS.items() if label in labels]
