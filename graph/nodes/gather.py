"""Graph nodes: plan, the three gathers and follow_references; each returns a partial state update."""

from __future__ import annotations

import functools
import time
from concurrent.futures import ThreadPoolExecutor

from langchain_core.runnables import RunnableConfig

from graph.configuration import Configuration
from graph.evidence import Evidence, SourceResult
from graph.rank import rank_and_cap
from graph.sources.base import SourceError, find_references
from graph.sources.jira import JiraSource
from graph.sources.notion import NotionSource
from graph.sources.slack import SlackSource
from graph.state import State
from graph.terms import extract_terms, incident_dates, incident_key, make_window


def timed(fn):
    """Record each node's wall time in state['timings'] (the closing numbers of every run)."""

    @functools.wraps(fn)
    def wrapper(state: State, config: RunnableConfig = None) -> dict:
        t0 = time.perf_counter()
        update = fn(state, config)
        update["timings"] = {fn.__name__: round(time.perf_counter() - t0, 3)}
        return update

    return wrapper


def page_key(state: State) -> str:
    """The incident's page key; a thread-only request is keyed by its thread."""
    seed = state.get("seed_thread")
    if not (state.get("incident") or "").strip() and seed:
        return incident_key(f"thread {seed['channel']} {seed['ts']}")
    return incident_key(state.get("incident") or "")


@timed
def plan(state: State, config: RunnableConfig = None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    incident = (state.get("incident") or "").strip()
    if not incident and not state.get("seed_thread"):
        raise ValueError("no incident given: say what to write about, e.g. 'summer25'")
    terms = extract_terms(incident) if incident else []
    window = make_window(cfg.current_time(), state.get("since"), state.get("until"), cfg.lookback_days,
                         incident_dates(incident))
    queries = list(dict.fromkeys([*terms, incident] if len(terms) > 1 else terms))
    return {"plan": {"terms": terms, "queries": queries, "window": window, "key": page_key(state),
                     "seed_thread": state.get("seed_thread")}}


def _sources(state: State, config: RunnableConfig | None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    return {
        "slack": lambda: SlackSource(cfg, state.get("channels"), state.get("allowed_channels"),
                                     people=state.get("people")),
        "notion": lambda: NotionSource(cfg),
        "jira": lambda: JiraSource(cfg),
    }


def _gather(name: str, state: State, config: RunnableConfig | None) -> dict:
    # A raising branch would drop the whole superstep, so errors become state and the run goes on.
    try:
        source = _sources(state, config)[name]()
        items = source.gather(state["plan"])
        result = SourceResult(items=items)
        extra = {"people": source.names()} if name == "slack" else {}
    except SourceError as exc:
        result, extra = SourceResult(status="failed", error=str(exc)), {}
    except Exception as exc:  # noqa: BLE001 - any bug or outage in one source must not lose the other two
        result, extra = SourceResult(status="failed", error=f"{type(exc).__name__}: {exc}"), {}
    return {name: result.model_dump(), **extra}


@timed
def gather_slack(state: State, config: RunnableConfig = None) -> dict:
    return _gather("slack", state, config)


@timed
def gather_notion(state: State, config: RunnableConfig = None) -> dict:
    return _gather("notion", state, config)


@timed
def gather_jira(state: State, config: RunnableConfig = None) -> dict:
    return _gather("jira", state, config)


def _known_refs(items: list[Evidence]) -> dict[str, set[str]]:
    return {
        "jira": {e.key for e in items if e.source == "jira" and e.key},
        "notion": {e.ref.replace("-", "") for e in items if e.source == "notion"},
        "slack": {e.ref for e in items if e.source == "slack"},
    }


@timed
def follow_references(state: State, config: RunnableConfig = None) -> dict:
    """Fetch Jira keys, Notion links and Slack permalinks mentioned in the evidence, then rank and cap."""
    cfg = Configuration.from_runnable_config(config)
    items = [Evidence(**e) for name in ("slack", "notion", "jira") for e in (state.get(name) or {}).get("items", [])]
    known, wanted = _known_refs(items), {"jira": set(), "notion": set(), "slack": set()}
    for ev in items:
        if ev.matched or ev.thread_ts:
            for kind, refs in find_references(ev.text).items():
                wanted[kind] |= refs
    wanted["slack"] = {r for r in wanted["slack"] if r.split("@")[0] not in known["slack"]}
    todo = {k: sorted(v - known[k]) for k, v in wanted.items()}
    todo = {k: v for k, v in todo.items() if v and (state.get(k) or {}).get("status") == "ok"}
    log = []

    def fetch(kind: str) -> list[Evidence]:
        try:
            return _sources(state, config)[kind]().fetch(todo[kind])
        except Exception as exc:  # noqa: BLE001 - references are a bonus; the report goes on without them
            log.append(f"could not follow {kind} references: {exc}")
            return []

    with ThreadPoolExecutor(max_workers=3) as pool:
        for found in pool.map(fetch, list(todo)):
            for ev in found:
                ev.score += 5  # referenced from the incident's own discussion
            items.extend(found)
    kept, dropped = rank_and_cap(items, cfg.token_budget)
    if dropped:
        log.append(f"{dropped} lower-ranked evidence items left out to stay within {cfg.token_budget} tokens")
    return {"evidence": [e.model_dump() for e in kept], "dropped": dropped, "log": log}
