"""Rank evidence and cap it to a token budget for the whole model request, so it stays bounded however big the
workspace is."""

from __future__ import annotations

from graph.analyze.request import evidence_line, prompt_tokens
from graph.evidence import Evidence
from graph.tokens import count

MAX_ITEM_CHARS = 1500  # one long page or ticket must not crowd out the thread that explains the incident


def estimate_tokens(ev: Evidence, model: str | None = None) -> int:
    """Real tokens the item's line adds to the request, its id written as wide as ids get (E999)."""
    return count(evidence_line(ev.model_copy(update={"id": "E999"})) + "\n", model)


def priority(ev: Evidence, hot_threads: set[str]) -> float:
    p = ev.score
    if ev.matched:
        p += 10
    if ev.thread_ts and ev.thread_ts in hot_threads:
        p += 6  # replies that don't repeat the keyword are still the incident
    if ev.kind in ("issue", "change", "comment") and ev.source == "jira":
        p += 2
    return p


def rank_and_cap(items: list[Evidence], budget_tokens: int, incident: str = "",
                 model: str | None = None, threads: set[tuple[str, str]] | None = None) -> tuple[list[Evidence], int]:
    """Dedupe, keep the most relevant items so that the whole request (prompts, schema, template and these items)
    stays within the budget, return them in time order numbered E1…"""
    unique: dict[tuple, Evidence] = {}
    for ev in items:
        k = (ev.source, ev.ref, ev.kind, ev.at, ev.text[:80])
        if k not in unique or ev.matched or ev.score > unique[k].score:
            unique[k] = ev
    hot = {ev.thread_ts or ev.ref.split("/")[-1] for ev in unique.values() if ev.source == "slack" and ev.matched}
    hot |= {ts for _, ts in threads or ()}  # threads that name the incident together
    ranked = sorted(unique.values(), key=lambda e: (-priority(e, hot), e.at))
    kept, used = [], prompt_tokens(incident, [], model)  # what the request costs before any evidence
    for ev in ranked:
        ev = ev.model_copy(update={"text": ev.text[:MAX_ITEM_CHARS]})
        cost = estimate_tokens(ev, model)
        if used + cost > budget_tokens:
            continue  # a smaller, lower-ranked item may still fit
        kept.append(ev)
        used += cost
    # The exact count: real ids, the item count in the instructions and merges across line breaks move a few tokens.
    while kept and prompt_tokens(incident, _numbered(kept), model) > budget_tokens:
        kept.pop()  # the lowest-ranked goes first
    return _numbered(kept), len(unique) - len(kept)


def _numbered(kept: list[Evidence]) -> list[Evidence]:
    out = sorted(kept, key=lambda e: (e.at, e.source, e.ref))
    for i, ev in enumerate(out, 1):
        ev.id = f"E{i}"
    return out
