"""Graph nodes: plan and the three gathers; each returns a partial state update."""

from __future__ import annotations

import functools
import time
from dataclasses import replace

from langchain_core.runnables import RunnableConfig

from graph.configuration import Configuration
from graph.evidence import SourceResult
from graph.http_counts import for_config
from graph.incident_text import check_incident, strip_invisible
from graph.redact import MARKER_RE, redact_evidence, redactor_for
from graph.sources.base import SourceError
from graph.sources.jira import JiraSource
from graph.sources.mcp.via import read_client, via
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

    def slack() -> SlackSource:
        mcp = read_client("slack", cfg, http)  # an MCP server has no search: histories are read instead
        return SlackSource(replace(cfg, slack_user_token="") if mcp else cfg, state.get("channels"),
                           state.get("allowed_channels"), client=mcp, people=state.get("people"),
                           private_ok=private_channel(state), budget=budget("slack"), http=http)

    def notion() -> NotionSource:
        # One Notion client a run (gather, references and publish): its connections stay open, its gate is shared.
        mcp = read_client("notion", cfg, http)
        return NotionSource(cfg, client=mcp or http.shared("notion", lambda: http.watch_notion(notion_client(cfg))),
                            budget=budget("notion"))

    return {"slack": slack, "notion": notion,
            "jira": lambda: JiraSource(cfg, client=read_client("jira", cfg, http), budget=budget("jira"), http=http)}


def _gather(name: str, state: State, config: RunnableConfig | None) -> dict:
    # A raising branch would drop the whole superstep, so errors become state and the run goes on.
    redactor, found = redactor_for(Configuration.from_runnable_config(config).redact_patterns), {}
    try:
        source = _sources(state, config)[name]()
        # Redacted as it enters the state: nothing downstream (model, page, replies, result) ever holds the secret.
        items, found = redact_evidence(source.gather(state["plan"]), redactor)
        result = SourceResult(items=items, scope=getattr(source, "scope", []), gaps=getattr(source, "gaps", []))
        extra = {"people": source.names()} if name == "slack" else {}
    except SourceError as exc:
        result, extra = SourceResult(status="failed", error=str(exc)), {}
    except Exception as exc:  # noqa: BLE001 - any bug or outage in one source must not lose the other two
        result, extra = SourceResult(status="failed", error=f"{type(exc).__name__}: {exc}"), {}
    result.via = via(Configuration.from_runnable_config(config), name)
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
