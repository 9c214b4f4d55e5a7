"""Graph nodes: plan, the three gathers and follow_references; each returns a partial state update."""

from __future__ import annotations

import functools
import time
from concurrent.futures import ThreadPoolExecutor

from langchain_core.runnables import RunnableConfig

from graph.analyze.request import prompt_tokens
from graph.configuration import Configuration
from graph.evidence import Evidence, SourceResult
from graph.http_counts import for_config
from graph.incident_text import check_incident, strip_invisible
from graph.outcome import no_evidence
from graph.rank import rank_and_cap
from graph.redact import MARKER_RE, redact_evidence, redactor_for
from graph.sources.base import SourceError, find_references
from graph.sources.jira import JiraSource
from graph.sources.notion import NotionSource
from graph.sources.notion import make_client as notion_client
from graph.sources.retry import Budget
from graph.sources.slack import SlackSource
from graph.state import State
from graph.terms import extract_terms, incident_dates, incident_key, make_window


def timed(fn):
    """Record each node's wall time in state['timings'] and the run's HTTP requests so far in state['requests'] (the
    closing numbers of every run; checkpointed with the node, so a resumed run counts on from them)."""

    @functools.wraps(fn)
    def wrapper(state: State, config: RunnableConfig = None) -> dict:
        t0 = time.perf_counter()
        update = fn(state, config)
        update["timings"] = {fn.__name__: round(time.perf_counter() - t0, 3)}
        update["requests"] = for_config(config).totals()
        return update

    return wrapper


def page_key(state: State) -> str:
    """The incident's page key; a thread-only request is keyed by its thread, a private audience by its channel
    too, so a page never changes audience: private content can't reach a public page through an update."""
    seed = state.get("seed_thread")
    if not (state.get("incident") or "").strip() and seed:
        key = incident_key(f"thread {seed['channel']} {seed['ts']}")
    else:
        key = incident_key(state.get("incident") or "")
    private = private_channel(state)
    return incident_key(f"{key} private {private}") if private else key


def private_channel(state: State) -> str | None:
    """The private conversation whose members are the report's audience, or None for a public report."""
    audience = state.get("audience") or {}
    return audience.get("channel") if audience.get("kind") == "private" else None


@timed
def plan(state: State, config: RunnableConfig = None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    incident = strip_invisible(state.get("incident") or "")
    if incident or not state.get("seed_thread"):  # a bare mention in a thread needs no text: the thread is the topic
        incident = check_incident(state.get("incident"))  # the last line of defence; the CLI and bot check first
    # A credential typed into the request is echoed by the page, the prompt and the replies, and must not be searched
    # for either; a malformed POSTMORTEM_REDACT_PATTERNS stops the run here, before anything is read.
    incident, found = redactor_for(cfg.redact_patterns).redact(incident)
    searchable = " ".join(MARKER_RE.sub(" ", incident).split())
    terms = extract_terms(searchable) if searchable else []
    window = make_window(cfg.current_time(), state.get("since"), state.get("until"), cfg.lookback_days,
                         incident_dates(searchable))
    queries = list(dict.fromkeys([*terms, searchable] if len(terms) > 1 else terms))
    key = page_key({**state, "incident": incident})
    return {"incident": incident, "redactions": dict(found),
            "plan": {"terms": terms, "queries": queries, "window": window, "key": key,
                     "seed_thread": state.get("seed_thread")}}


def _sources(state: State, config: RunnableConfig | None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    spent = state.get("timings") or {}  # one budget per source per run: following references gets what is left
    http = for_config(config)  # every client counts its requests into the run's totals

    def budget(name: str) -> Budget:
        return Budget(cfg.source_budget_s - spent.get(f"gather_{name}", 0.0))

    return {
        "slack": lambda: SlackSource(cfg, state.get("channels"), state.get("allowed_channels"),
                                     people=state.get("people"), private_ok=private_channel(state),
                                     budget=budget("slack"), http=http),
        # One Notion client a run (gather, references and publish): its connections stay open, its gate is shared.
        "notion": lambda: NotionSource(cfg, client=http.shared("notion", lambda: http.watch_notion(notion_client(cfg))),
                                       budget=budget("notion")),
        "jira": lambda: JiraSource(cfg, budget=budget("jira"), http=http),
    }


def _gather(name: str, state: State, config: RunnableConfig | None) -> dict:
    # A raising branch would drop the whole superstep, so errors become state and the run goes on.
    redactor, found = redactor_for(Configuration.from_runnable_config(config).redact_patterns), {}
    try:
        source = _sources(state, config)[name]()
        # Redacted as it enters the state: nothing downstream (model, page, replies, result) ever holds the secret.
        items, found = redact_evidence(source.gather(state["plan"]), redactor)
        result = SourceResult(items=items, scope=getattr(source, "scope", []))
        extra = {"people": source.names()} if name == "slack" else {}
    except SourceError as exc:
        result, extra = SourceResult(status="failed", error=str(exc)), {}
    except Exception as exc:  # noqa: BLE001 - any bug or outage in one source must not lose the other two
        result, extra = SourceResult(status="failed", error=f"{type(exc).__name__}: {exc}"), {}
    if result.error:  # an error may quote a URL with its credentials; the report shows it
        result.error, counts = redactor.redact(result.error)
        found = dict(counts)
    return {name: result.model_dump(), "redactions": found, **extra}


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
    log, redactor, redactions = [], redactor_for(cfg.redact_patterns), {}

    def fetch(kind: str) -> list[Evidence]:
        try:
            return _sources(state, config)[kind]().fetch(todo[kind])
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
    incident = state.get("incident") or state["plan"]["key"]  # as analyze will put it in the prompt
    kept, dropped = rank_and_cap(items, cfg.token_budget, incident, cfg.openai_model)
    if dropped:
        log.append(f"{dropped} lower-ranked evidence items left out to keep the model request within "
                   f"{cfg.token_budget} tokens")
    # What the model request made of this evidence costs, counted the same way whether a model is called or not.
    usage = {"prompt_tokens": prompt_tokens(incident, kept, cfg.openai_model) if kept else 0}
    out = {"evidence": [e.model_dump() for e in kept], "dropped": dropped, "log": log, "redactions": redactions,
           "usage": usage}
    return out if kept else out | {"outcome": no_evidence(state)}  # the graph ends here: no page about nothing
