"""Gathering summer25 through MCP servers vs the vendors' APIs: wall time cold (servers started) and warm (kept
alive, as the bot keeps them), calls made, and whether the evidence is the same."""

from __future__ import annotations

import os
import sys
import tempfile
import time

from common import ROOT, emit, row

from cli.commands import sandbox_overrides
from cli.via import SANDBOX_CONFIG, via_overrides
from graph.http_counts import attach
from graph.nodes.gather import _gather, plan
from graph.sources.mcp.session import close_all
from sandbox.server import Sandbox

RUNS = 3
SOURCES = ("slack", "notion", "jira")


def gather(name: str, overrides: dict, folder: str) -> tuple[float, dict, int]:
    """One gather node on its own: (seconds, the source's result, requests or tool calls it made)."""
    # A fresh checkpoint folder: Notion's body cache would otherwise make every later run skip the reads.
    configurable = {**overrides, "checkpoint_db": tempfile.mkdtemp(dir=folder) + "/runs.sqlite"}
    http = attach(configurable)
    config = {"configurable": configurable}
    state = plan({"incident": "summer25"}, config)
    t0 = time.perf_counter()
    result = _gather(name, state, config)[name]
    return time.perf_counter() - t0, result, http.totals()[name]


def key(result: dict) -> list[tuple]:
    return [(e["ref"], e["at"], e["url"], e.get("author"), e["text"]) for e in result["items"]]


def main() -> int:
    figures: dict = {}
    rows = []
    ok = True
    with tempfile.TemporaryDirectory() as folder, Sandbox(jira_deployment="datacenter") as sb:
        native = sandbox_overrides(sb) | {"mcp_config": "", "slack_user_token": ""}  # MCP has no search: alike
        mcp = sandbox_overrides(sb) | via_overrides("mcp", sb) | {"slack_user_token": ""}
        assert mcp["mcp_config"] == str(SANDBOX_CONFIG)
        for name in SOURCES:
            api = [gather(name, native, folder) for _ in range(RUNS)]
            cold = []
            for _ in range(RUNS):
                close_all()  # every server starts again inside the timing
                cold.append(gather(name, mcp, folder))
            warm = [gather(name, mcp, folder) for _ in range(RUNS)]  # the hub from the last cold run, kept alive
            same = all(key(r) == key(api[0][1]) and r["status"] == "ok" for _, r, _ in cold + warm)
            ok &= same and api[0][1]["status"] == "ok"
            figures[name] = {"api_s": [round(t, 3) for t, _, _ in api], "mcp_cold_s": [round(t, 3) for t, _, _ in cold],
                             "mcp_warm_s": [round(t, 3) for t, _, _ in warm], "items": len(api[0][1]["items"]),
                             "api_requests": api[0][2], "mcp_tool_calls": warm[0][2], "same_evidence": same}
            rows += [row("mcp", f"{name}: gather via API", [t for t, _, _ in api], "s"),
                     row("mcp", f"{name}: gather via MCP, cold (server start included)", [t for t, _, _ in cold], "s"),
                     row("mcp", f"{name}: gather via MCP, warm (sessions kept alive)", [t for t, _, _ in warm], "s",
                         note=f"{warm[0][2]} tool calls vs {api[0][2]} API requests; same evidence: {same}")]
        close_all()
    emit("mcp", figures, rows)
    return 0 if ok else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
