"""The evidence a run about the embedded incident must find and must not find, and how much of it a result found."""

from __future__ import annotations

import json
from pathlib import Path

from sandbox import ids
from sandbox.generate.incident import FIND, SOURCES, TYPED
from sandbox.workspace.loader import parse_workspace


def expected_path(workspace: Path) -> Path:
    """ws.json (or ws.yaml) -> ws.expected.json, beside it."""
    return workspace.with_suffix(".expected.json")


def expected_for(data: dict) -> dict:
    """The refs (as a run result names them) of everything the generator marked with `x-expect`."""
    find: dict[str, list[str]] = {s: [] for s in SOURCES}
    avoid: dict[str, list[str]] = {s: [] for s in SOURCES}

    def mark(source: str, expect: str, ref: str) -> None:
        (find if expect == FIND else avoid)[source].append(ref)

    channels = [c for c in data["slack"]["channels"] if any("x-expect" in m for m in c["messages"])]
    # The loader gives each message its ts (bumped on a collision within a second), so ask it instead of copying it.
    slack = {"team": data["slack"]["team"], "users": data["slack"]["users"], "channels": channels}
    loaded = parse_workspace({"format": 1, "name": "expected", "now": data["now"], "slack": slack}, "expected")
    for raw, channel in zip(channels, loaded.slack.channels, strict=True):
        for m, lm in zip(raw["messages"], channel.messages, strict=True):
            for r, lr in zip([m, *m.get("replies", [])], [lm, *lm.replies], strict=True):
                if "x-expect" in r:
                    mark("slack", r["x-expect"], f"{channel.id}/{lr.ts}")
    for page in data["notion"]["pages"]:
        if "x-expect" in page:
            mark("notion", page["x-expect"], ids.dashed(page["id"]))
    for issue in data["jira"]["issues"]:
        if "x-expect" in issue:
            mark("jira", issue["x-expect"], issue["key"])
    return {"incident": TYPED, "workspace": data["name"], "now": data["now"], "must_find": find,
            "must_not_find": avoid}


def write_expected(data: dict, workspace: Path) -> Path:
    path = expected_path(workspace)
    path.write_text(json.dumps(expected_for(data), indent=2) + "\n", encoding="utf-8")
    return path


def norm_ref(source: str, ref: str) -> str:
    return ref.replace("-", "").lower() if source == "notion" else ref  # Notion ids come with or without dashes


def found_refs(result: dict) -> dict[str, set[str]]:
    """The refs of a run result's evidence, per source (Jira comments and status changes count as their issue)."""
    out: dict[str, set[str]] = {s: set() for s in SOURCES}
    for ev in result.get("evidence") or []:
        if ev.get("source") in out:
            ref = ev.get("key") or ev["ref"] if ev["source"] == "jira" else ev["ref"]
            out[ev["source"]].add(norm_ref(ev["source"], ref))
    return out


def score(result: dict, expected: dict) -> dict:
    """Recall of the must-find refs and the distractors the result kept anyway."""
    got = found_refs(result)
    want = [(s, r) for s in SOURCES for r in expected["must_find"][s]]
    avoid = [(s, r) for s in SOURCES for r in expected["must_not_find"][s]]
    missed = [f"{s}:{r}" for s, r in want if norm_ref(s, r) not in got[s]]
    kept = [f"{s}:{r}" for s, r in avoid if norm_ref(s, r) in got[s]]
    return {"recall": round(1 - len(missed) / len(want), 3) if want else None, "must_find": len(want),
            "missed": missed, "distractors_kept": kept, "must_not_find": len(avoid)}
