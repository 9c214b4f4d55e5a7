"""Helpers for graph tests: run the graph against a sandbox through the real clients."""

from __future__ import annotations

from cli.commands import sandbox_overrides
from graph.result import build_result
from graph.runner import run_incident


def run_on(sb, tmp_path, incident: str = "summer25", events: list | None = None, **inputs) -> dict:
    """Run the graph once on the sandbox and return the run-result object (run_id added)."""
    overrides = sandbox_overrides(sb) | {"checkpoint_db": str(tmp_path / "runs.sqlite"), "openai_api_key": ""}
    overrides |= inputs.pop("overrides", {})
    on_progress = (lambda node, update: events.append((node, update))) if events is not None else None
    run_id, state = run_incident({"incident": incident, "offline": True, **inputs}, overrides=overrides,
                                 on_progress=on_progress)
    result = build_result(incident, state)
    result["run_id"] = run_id
    result["markdown"] = state.get("markdown")
    return result


def by_ref(result: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for ev in result["evidence"]:
        out.setdefault(ev["ref"], []).append(ev)
    return out
