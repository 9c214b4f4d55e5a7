"""The machine-readable run result (docs/run-result.md, version 1) from a final graph state."""

from __future__ import annotations

from graph.redact import env_redactor
from graph.state import State

SOURCE_NAMES = {"slack": "Slack", "notion": "Notion", "jira": "Jira"}


def sources_summary(state: State) -> dict[str, dict]:
    out = {}
    for name in SOURCE_NAMES:
        r = state.get(name) or {"status": "skipped", "items": [], "error": "not gathered"}
        out[name] = {"status": r["status"], "items": len(r.get("items", [])), "error": r.get("error"),
                     "via": r.get("via", "api")}
        if r.get("gaps"):  # what the source could not reach, e.g. history an MCP tool cannot page back through
            out[name]["gaps"] = list(r["gaps"])
    return out


NODES = ("plan", "gather_slack", "gather_notion", "gather_jira", "follow_references", "analyze", "publish")


def build_result(incident: str, state: dict, error: str | None = None) -> dict:
    page = state.get("page")
    outcome = {} if error else state.get("outcome") or {}  # kept | no_evidence: nothing published, on purpose
    status = outcome.get("status") or (
        "failed" if not page else ("updated" if page.get("action") == "updated" else "published"))
    usage = {"llm_calls": 0, "input_tokens": 0, "output_tokens": 0, "prompt_tokens": 0, **(state.get("usage") or {})}
    timings = {k: v for k, v in (state.get("timings") or {}).items() if k in (*NODES, "total")}
    redactions = {k: v for k, v in sorted((state.get("redactions") or {}).items()) if v}
    redactor = env_redactor()  # the caller's own copy of the incident text, and error messages, may quote one too
    out = {
        "version": 1.1,
        "incident": redactor.text(incident),
        "status": status,
        "page": page or None,
        "analyzer": state.get("analyzer", "offline"),
        "window": (state.get("plan") or {}).get("window"),
        "scope": state.get("scope"),  # terms, window and the incident's core range the evidence was chosen by
        "sources": sources_summary(state),
        "evidence": state.get("evidence", []),
        "report": state.get("report"),
        "usage": usage,
        "requests": {"slack": 0, "notion": 0, "jira": 0, "model": 0, **(state.get("requests") or {})},
        "timings_s": timings,
        "redactions": {"count": sum(redactions.values()), "by_type": redactions},
    }
    if status == "failed":
        out["error"] = redactor.text(error or state.get("publish_error") or "the run did not finish")
    out |= {k: outcome[k] for k in ("message", "searched", "missing") if k in outcome}  # why, and what to do
    return out
