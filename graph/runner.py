"""Run or resume the graph with a durable checkpoint per request, streaming per-node progress to a callback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from graph.checkpoints import checkpointer, exists, is_postgres
from graph.configuration import Configuration
from graph.graph import build_graph
from graph.http_counts import attach
from graph.redact import MARKER_RE, env_redactor

ProgressFn = Callable[[str, dict], None]
StopFn = Callable[[], bool]


class Interrupted(RuntimeError):
    """The run was asked to stop (the process is shutting down); it resumes from its last checkpoint."""

    def __init__(self, thread_id: str):
        super().__init__(f"run {thread_id} stopped at a checkpoint; `postmortem resume {thread_id}` continues it")
        self.thread_id = thread_id


def _location(overrides: dict) -> str:
    """The run's checkpoint store: the shared database (POSTMORTEM_DATABASE_URL), else the SQLite file."""
    cfg = Configuration.from_runnable_config({"configurable": overrides})
    return cfg.database_url or cfg.checkpoint_db


def _shown(location: str) -> str:
    return "the shared database" if is_postgres(location) else location


def new_thread_id(incident: str) -> str:
    # The id is shown in replies and logs: its slug comes from the text with any credential in it removed.
    incident = MARKER_RE.sub(" ", env_redactor().text(incident) or "")
    slug = "".join(c if c.isalnum() else "-" for c in incident.lower())[:24].strip("-") or "run"
    return f"{slug}-{uuid.uuid4().hex[:8]}"


def _stream(graph, inputs, config: dict, on_progress: ProgressFn | None, should_stop: StopFn | None = None) -> dict:
    t0 = time.perf_counter()
    for chunk in graph.stream(inputs, config, stream_mode="updates"):
        for node, update in chunk.items():
            if on_progress and isinstance(update, dict):
                on_progress(node, update)
        # Each finished node is already checkpointed; leaving here loses nothing but the node in flight.
        if should_stop and should_stop() and graph.get_state(config).next:
            raise Interrupted(config["configurable"]["thread_id"])
    state = dict(graph.get_state(config).values)
    state.setdefault("timings", {})["total"] = round(time.perf_counter() - t0, 3)
    return state


def run_incident(inputs: dict, *, overrides: dict | None = None, thread_id: str | None = None,
                 on_progress: ProgressFn | None = None, should_stop: StopFn | None = None) -> tuple[str, dict]:
    """Run the whole graph once; returns (thread id, final state). Node exceptions propagate after checkpointing."""
    overrides = overrides or {}
    db = _location(overrides)
    thread_id = thread_id or new_thread_id(inputs.get("incident") or "thread")
    config = {"configurable": {**overrides, "thread_id": thread_id}}
    http = attach(config["configurable"])  # this run's request counts and shared clients, never another run's
    try:
        with checkpointer(db) as saver:
            return thread_id, _stream(build_graph(saver), inputs, config, on_progress, should_stop)
    finally:
        http.close()


def saved_state(thread_id: str, *, overrides: dict | None = None) -> dict:
    """What a run had when it stopped (e.g. after a node raised), so a failure still shows what was gathered."""
    db = _location(overrides or {})
    if not exists(db):
        return {}
    with checkpointer(db) as saver:
        return dict(build_graph(saver).get_state({"configurable": {"thread_id": thread_id}}).values)


def resume_incident(thread_id: str, *, overrides: dict | None = None,
                    on_progress: ProgressFn | None = None, should_stop: StopFn | None = None) -> dict:
    """Continue a run: crashed nodes re-run, finished gathers are kept; an unpublished report is published again."""
    overrides = overrides or {}
    db = _location(overrides)
    if not exists(db):
        raise LookupError(f"no saved runs at {db}")
    config = {"configurable": {**overrides, "thread_id": thread_id}}
    with checkpointer(db) as saver:
        graph = build_graph(saver)
        snapshot = graph.get_state(config)
        if not snapshot.values:
            raise LookupError(f"no saved run with id {thread_id!r} in {_shown(db)}")
        if not snapshot.next and snapshot.values.get("page"):
            return dict(snapshot.values)  # already published: nothing to do
        if not snapshot.next and snapshot.values.get("report"):
            graph.update_state(config, {"publish_error": None}, as_node="analyze")  # publish again, keep the rest
        http = attach(config["configurable"], snapshot.values.get("requests"))  # counts on from the checkpoint
        try:
            return _stream(graph, None, config, on_progress, should_stop)
        finally:
            http.close()


def amend_state(thread_id: str, update: dict, *, overrides: dict | None = None) -> dict:
    """Change a finished run's saved state after the fact (tickets created, a section redrafted), so the next
    action on it sees the change; returns the new state."""
    db = _location(overrides or {})
    config = {"configurable": {**(overrides or {}), "thread_id": thread_id}}
    with checkpointer(db) as saver:
        graph = build_graph(saver)
        if not graph.get_state(config).values:
            raise LookupError(f"no saved run with id {thread_id!r} in {_shown(db)}")
        graph.update_state(config, update, as_node="publish")
        return dict(graph.get_state(config).values)
