"""The machine-readable run result (shared/specs/run-result.md, version 1) from a final graph state."""

from __future__ import annotations

from graph.state import State

SOURCE_NAMES = {"slack": "Slack", "notion": "Notion", "jira": "Jira"}


def sources_summary(state: State) -> dict[str, dict]:
    out = {}
    for name in SOURCE_NAMES:
        r = state.get(name) or {"status": "skipped", "items": [], "error": "not gathered"}
        out[name] = {"status": r["status"], "items": len(r.get("items", [])), "error": r.get("error")}
    return out


NODES = ("plan", "gather_slack", "gather_notion", "gather_jira", "follow_references", "analyze", "publish")


def build_result(incident: str, state: dict, error: str | None = None) -> dict:
    page = state.get("page")
    status = "failed" if not page else ("updated" if page.get("action") == "updated" else "published")
    usage = {"llm_calls": 0, "input_tokens": 0, "output_tokens": 0, **(state.get("usage") or {})}
    timings = {k: v for k, v in (state.get("timings") or {}).items() if k in (*NODES, "total")}
    out = {
        "version": 1,
        "incident": incident,
        "status": status,
        "page": page or None,
        "analyzer": state.get("analyzer", "offline"),
        "window": (state.get("plan") or {}).get("window"),
        "sources": sources_summary(state),
        "evidence": state.get("evidence", []),
        "report": state.get("report"),
        "usage": usage,
        "timings_s": timings,
    }
    if status == "failed":
        out["error"] = error or state.get("publish_error") or "the run did not finish"
    return out
