"""Rank evidence and cap it to a token budget, so the model's input stays bounded however big the workspace is."""

from __future__ import annotations

from graph.evidence import Evidence

MAX_ITEM_CHARS = 1500  # one long page or ticket must not crowd out the thread that explains the incident


def estimate_tokens(ev: Evidence) -> int:
    # ~4 characters a token for English, plus the id/source/time/author line each item carries in the prompt
    return (len(ev.text) + 90) // 4


def priority(ev: Evidence, hot_threads: set[str]) -> float:
    p = ev.score
    if ev.matched:
        p += 10
    if ev.thread_ts and ev.thread_ts in hot_threads:
        p += 6  # replies that don't repeat the keyword are still the incident
    if ev.kind in ("issue", "change", "comment") and ev.source == "jira":
        p += 2
    return p


def rank_and_cap(items: list[Evidence], budget_tokens: int) -> tuple[list[Evidence], int]:
    """Dedupe, keep the most relevant items within the budget, return them in time order numbered E1…"""
    unique: dict[tuple, Evidence] = {}
    for ev in items:
        k = (ev.source, ev.ref, ev.kind, ev.at, ev.text[:80])
        if k not in unique or ev.matched or ev.score > unique[k].score:
            unique[k] = ev
    hot = {ev.thread_ts or ev.ref.split("/")[-1] for ev in unique.values() if ev.source == "slack" and ev.matched}
    ranked = sorted(unique.values(), key=lambda e: (-priority(e, hot), e.at))
    kept, used = [], 0
    for ev in ranked:
        ev = ev.model_copy(update={"text": ev.text[:MAX_ITEM_CHARS]})
        cost = estimate_tokens(ev)
        if used + cost > budget_tokens:
            continue  # a smaller, lower-ranked item may still fit
        kept.append(ev)
        used += cost
    kept.sort(key=lambda e: (e.at, e.source, e.ref))
    for i, ev in enumerate(kept, 1):
        ev.id = f"E{i}"
    return kept, len(unique) - len(kept)
