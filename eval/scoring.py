"""Score one run result against its gold file: evidence recall and distractors, key events, root cause, grounding."""

from __future__ import annotations

import re
from datetime import datetime

from gold import SOURCES, Gold

from graph.analyze.grounding_check import check_grounding
from graph.evidence import parse_iso
from sandbox.generate.expected import found_refs, norm_ref

EVENT_SLACK_S = 120  # a timeline row within two minutes of a gold moment covers it


def _covered(at: datetime, rows: list[datetime]) -> bool:
    return any(abs((r - at).total_seconds()) <= EVENT_SLACK_S for r in rows)


def _has_term(text: str, term: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", text) is not None


def score(result: dict, gold: Gold) -> dict:
    got = found_refs(result)
    want = [(s, r) for s in SOURCES for r in gold.must_find[s]]
    avoid = [(s, r) for s in SOURCES for r in gold.must_not_find[s]]
    missed = [gold.labels[r] for s, r in want if norm_ref(s, r) not in got[s]]
    kept = [gold.labels[r] for s, r in avoid if norm_ref(s, r) in got[s]]
    report = result.get("report") or {}
    at_by_id = {ev.get("id"): ev.get("at") for ev in result.get("evidence") or []}
    rows, moments = [], []  # row times; and every time a row stands for (its own and its cited items')
    for row in report.get("timeline") or []:
        try:
            rows.append(parse_iso(row["at"]))
        except (KeyError, ValueError):
            continue
        moments.append(rows[-1])
        for ref in row.get("evidence") or []:  # a row merging several items describes each of their moments
            try:
                moments.append(parse_iso(at_by_id[ref]))
            except (KeyError, TypeError, ValueError):
                continue
    uncovered = [f"{e['kind']} {e['at']:%H:%M}" for e in gold.key_events if not _covered(e["at"], moments)]
    root = report.get("root_cause") or {}
    text = (root.get("text") or "").lower()
    root_ok = bool(root.get("verified")) and all(any(_has_term(text, t) for t in g) for g in gold.root_cause_terms)
    lessons = report.get("lessons") or []
    bare = [x for x in lessons if not isinstance(x, dict) or not x.get("evidence")]
    return {
        "incident": gold.name, "status": result.get("status"),
        "recall": 1 - len(missed) / len(want) if want else 1.0, "missed": missed,
        "distractors": len(kept) / len(avoid) if avoid else 0.0, "kept": kept,
        "key_events": 1 - len(uncovered) / len(gold.key_events) if gold.key_events else 1.0, "uncovered": uncovered,
        "timeline_rows": len(rows), "root_cause": root_ok, "root_cause_text": root.get("text") or "",
        "grounding": check_grounding(result), "bare_lessons": len(bare),
    }
