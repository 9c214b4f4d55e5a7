"""Gold files: read one, check it against its workspace, and turn its human refs into the refs a run result uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from sandbox import ids
from sandbox.workspace.loader import load_workspace

SOURCES = ("slack", "notion", "jira")
KINDS = {"trigger", "first_signal", "alert", "ack", "severity", "diagnosis", "cause_found", "fix_started",
         "fix_deployed", "verified", "resolved", "follow_up"}


class GoldError(ValueError):
    """A gold file that names something its workspace does not hold."""


@dataclass
class Gold:
    name: str
    incident: str
    inputs: dict  # since / until / channels, as the command line takes them
    must_find: dict[str, list[str]]  # source -> refs as a run result names them
    must_not_find: dict[str, list[str]]
    key_events: list[dict]  # {at: datetime, kind, what}
    root_cause_terms: list[list[str]]
    labels: dict[str, str] = field(default_factory=dict)  # result ref -> how the gold file named it


def _utc(value, where: str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise GoldError(f"{where}: {value!r} is not a time with a zone")
    return value.astimezone(UTC)


def load_gold(path: Path) -> Gold:
    """`incidents/NAME.gold.yaml` with `incidents/NAME.yaml` beside it; GoldError names the file and the entry."""
    try:
        return _load(path)
    except GoldError as exc:
        raise GoldError(str(exc) if str(exc).startswith(path.name) else f"{path.name}: {exc}") from None
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise GoldError(f"{path.name}: not a gold file as eval/README.md describes ({type(exc).__name__}: {exc})") \
            from None


def _load(path: Path) -> Gold:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not raw.get("incident"):
        raise GoldError("`incident` (what a person types) is missing")
    name = path.name.removesuffix(".gold.yaml")
    ws = load_workspace(path.with_name(f"{name}.yaml"))
    slack: dict[tuple[str, datetime], str] = {}
    for ch in ws.slack.channels:
        for m in ch.messages:
            for r in (m, *m.replies):
                slack[(ch.name, r.at.astimezone(UTC))] = f"{ch.id}/{r.ts}"
    pages = {p.title: ids.dashed(p.id) for p in ws.notion.pages}
    keys = {i.key for i in ws.jira.issues}
    labels: dict[str, str] = {}

    def resolve(source: str, ref, where: str) -> str:
        if source == "slack":
            key = (ref.get("channel"), _utc(ref.get("at"), where))
            if key not in slack:
                raise GoldError(f"{where}: no message in #{key[0]} at {key[1]:%Y-%m-%dT%H:%M:%SZ}")
            out = slack[key]
        elif source == "notion":
            if ref not in pages:
                raise GoldError(f"{where}: no Notion page titled {ref!r}")
            out = pages[ref]
        else:
            if ref not in keys:
                raise GoldError(f"{where}: no Jira issue {ref}")
            out = ref
        labels[out] = f"#{ref['channel']} {_utc(ref['at'], where):%Y-%m-%dT%H:%M:%SZ}" if source == "slack" else str(ref)
        return out

    def refs(section: str) -> dict[str, list[str]]:
        given = raw.get(section) or {}
        return {s: [resolve(s, r, f"{section}.{s}[{i}]") for i, r in enumerate(given.get(s) or [])] for s in SOURCES}

    events = []
    for i, ev in enumerate(raw.get("key_events") or []):
        if ev.get("kind") not in KINDS:
            raise GoldError(f"key_events[{i}].kind {ev.get('kind')!r} is not one of {sorted(KINDS)}")
        events.append({**ev, "at": _utc(ev["at"], f"key_events[{i}].at")})
    return Gold(name=name, incident=str(raw["incident"]),
                inputs={k: raw.get(k) for k in ("since", "until", "channels") if raw.get(k)},
                must_find=refs("must_find"), must_not_find=refs("must_not_find"), key_events=events,
                root_cause_terms=[[str(t).lower() for t in group] for group in raw.get("root_cause_terms") or []],
                labels=labels)
