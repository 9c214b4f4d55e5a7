"""The follow_references node: the incident's range and scope, what was said there without the words typed, the
tickets, pages and messages its evidence links to; then rank and cap."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from langchain_core.runnables import RunnableConfig

from graph.analyze.request import prompt_tokens
from graph.configuration import Configuration
from graph.evidence import Evidence, parse_iso
from graph.nodes.gather import _sources, timed
from graph.outcome import no_evidence
from graph.rank import rank_and_cap
from graph.redact import redact_evidence, redactor_for
from graph.scope import Scope, change_names, find_scope, hot_threads, in_scope, linked_refs, thread_of
from graph.sources.base import find_references
from graph.state import State
from graph.terms import incident_dates

CONTEXT_SCORE = 5.0  # an alert or ack of the range ranks below matched words, above nothing


def _known_refs(items: list[Evidence]) -> dict[str, set[str]]:
    return {
        "jira": {e.key for e in items if e.source == "jira" and e.key},
        "notion": {e.ref.replace("-", "") for e in items if e.source == "notion"},
        "slack": {e.ref for e in items if e.source == "slack"},
    }


def _add(items: list[Evidence], more: list[Evidence]) -> list[Evidence]:
    seen = {e.dedupe_key() for e in items}
    return items + [e for e in more if e.dedupe_key() not in seen]


def widen(state: State, source, items: list[Evidence], scope: Scope, log: list[str],
          redactor) -> tuple[list[Evidence], dict]:
    """The range's talk in the incident's channels (alerts, acks, rollout notes) that no term matched."""
    if scope.start is None or (state.get("slack") or {}).get("status") != "ok":
        return items, {}
    people = {e.author for e in items if e.source == "slack" and thread_of(e) in scope.threads and e.author}
    try:
        known = {e.ref for e in items if e.source == "slack"}
        latest = parse_iso(state["plan"]["window"]["latest"])
        found = source("slack").around(scope.channels, scope.start, scope.end, people, known, latest)
    except Exception as exc:  # noqa: BLE001 - context is a bonus; the report goes on without it
        log.append(redactor.text(f"could not read the incident's channels around its range: {exc}"))
        return items, {}
    threads, seen = {thread_of(e) for e in found}, {e.ref for e in found}
    for ev in items:  # read already (a search hit, a thread) but outside the incident's threads: the range's talk
        if ev.source == "slack" and not ev.matched and thread_of(ev) not in scope.threads and (
                ev.ref in seen or thread_of(ev) in threads):
            ev.context = True
    # Only what is new is redacted and counted: a message already gathered was counted when it was.
    found, counts = redact_evidence([e for e in found if e.ref not in known], redactor)
    for ev in found:
        ev.score = CONTEXT_SCORE
    return _add(items, found), dict(counts)


def announced_changes(state: State, source, items: list[Evidence], scope: Scope, log: list[str], redactor,
                      redactions: dict) -> list[Evidence]:
    """The rollout notes of the versions and PRs the incident's evidence keeps naming, from before its range."""
    names = change_names(items)
    if scope.start is None or not names or (state.get("slack") or {}).get("status") != "ok":
        return []
    try:
        found = source("slack").naming(names, parse_iso(state["plan"]["window"]["oldest"]), scope.start)
    except Exception as exc:  # noqa: BLE001 - a bonus, like the references
        log.append(redactor.text(f"could not look for the changes named {', '.join(names)}: {exc}"))
        return []
    known = {e.ref for e in items if e.source == "slack"}
    found, counts = redact_evidence([e for e in found if e.ref not in known], redactor)
    for k, v in counts.items():
        redactions[k] = redactions.get(k, 0) + v
    for ev in found:
        ev.score = CONTEXT_SCORE
    return found


@timed
def follow_references(state: State, config: RunnableConfig = None) -> dict:
    """Scope the evidence to the incident's range, widen it there, fetch what it links to, then rank and cap."""
    cfg = Configuration.from_runnable_config(config)
    items = [Evidence(**e) for name in ("slack", "notion", "jira") for e in (state.get(name) or {}).get("items", [])]
    log, redactor = [], redactor_for(cfg.redact_patterns)
    incident = state.get("incident") or state["plan"]["key"]  # as analyze will put it in the prompt
    terms = state["plan"]["terms"]
    scope = find_scope(items, terms, incident_dates(incident), state["plan"].get("seed_thread"))
    factories, made = _sources(state, config), {}

    def source(kind: str):  # one client per source for this node: widening and links share its session and names
        if kind not in made:
            made[kind] = factories[kind]()
        return made[kind]

    items, redactions = widen(state, source, items, scope, log, redactor)
    items, left_out = in_scope(items, scope, terms)
    linked = linked_refs(items)  # what the incident's own evidence links to comes back, wherever it lies
    back = [e for e in left_out if (e.key if e.source == "jira" else e.ref.replace("-", "")) in linked
            or (e.source == "slack" and e.ref in linked)]
    items += back
    left = len(left_out) - len(back)
    if left:
        log.append(f"{left} evidence items outside the incident's range ({_range(scope)}) left out")
    known, wanted = _known_refs(items), {"jira": set(), "notion": set(), "slack": set()}
    for ev in items:  # everything left is the incident's own: what it links to is worth reading
        for kind, refs in find_references(ev.text).items():
            wanted[kind] |= refs
    wanted["slack"] = {r for r in wanted["slack"] if r.split("@")[0] not in known["slack"]}
    todo = {k: sorted(v - known[k]) for k, v in wanted.items()}
    todo = {k: v for k, v in todo.items() if v and (state.get(k) or {}).get("status") == "ok"}

    def fetch(kind: str) -> list[Evidence]:
        try:
            return source(kind).fetch(todo[kind])
        except Exception as exc:  # noqa: BLE001 - references are a bonus; the report goes on without them
            log.append(redactor.text(f"could not follow {kind} references: {exc}"))
            return []

    with ThreadPoolExecutor(max_workers=3) as pool:
        for fetched in pool.map(fetch, list(todo)):
            found, counts = redact_evidence(fetched, redactor)
            redactions = {k: redactions.get(k, 0) + counts.get(k, 0) for k in {*redactions, *counts}}
            for ev in found:
                ev.score += 5  # referenced from the incident's own discussion
            items.extend(found)
    items += announced_changes(state, source, items, scope, log, redactor, redactions)
    kept, dropped = rank_and_cap(items, cfg.token_budget, incident, cfg.openai_model, hot_threads(items, terms))
    if dropped:
        log.append(f"{dropped} lower-ranked evidence items left out to keep the model request within "
                   f"{cfg.token_budget} tokens")
    # What the model request made of this evidence costs, counted the same way whether a model is called or not.
    usage = {"prompt_tokens": prompt_tokens(incident, kept, cfg.openai_model) if kept else 0}
    out = {"evidence": [e.model_dump() for e in kept], "dropped": dropped, "log": log, "redactions": redactions,
           "usage": usage, "scope": scope.summary(state["plan"]["terms"], state["plan"]["window"])}
    return out if kept else out | {"outcome": no_evidence(state)}  # the graph ends here: no page about nothing


def _range(scope: Scope) -> str:
    return f"{scope.start:%Y-%m-%d %H:%M} – {scope.end:%Y-%m-%d %H:%M} UTC" if scope.start and scope.end else "none"
