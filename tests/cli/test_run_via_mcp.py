"""`postmortem run --via mcp`: all three sources through the real MCP servers against the sandbox, same report."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.support.mcp import require_installed


def _run(tmp_path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "POSTMORTEM_CHECKPOINT_DB": str(tmp_path / "runs.sqlite")}
    return subprocess.run([sys.executable, "-m", "cli.main", "run", "summer25", *args], capture_output=True,
                          text=True, timeout=240, env=base | (env or {}))


def test_a_sandbox_run_through_mcp_reads_every_source_through_its_server_and_finds_the_same_evidence(tmp_path):
    require_installed("notion", "jira")
    api = _run(tmp_path / "api", "--workspace", "summer25", "--offline", "--json", "--via", "api")
    mcp = _run(tmp_path / "mcp", "--workspace", "summer25", "--offline", "--json", "--via", "mcp")
    assert api.returncode == 0, api.stderr
    assert mcp.returncode == 0, mcp.stderr
    a, m = json.loads(api.stdout), json.loads(mcp.stdout)
    assert {s: (v["status"], v["via"]) for s, v in m["sources"].items()} == {
        "slack": ("ok", "mcp"), "notion": ("ok", "mcp"), "jira": ("ok", "mcp")}
    assert {v["via"] for v in a["sources"].values()} == {"api"}
    assert m["status"] == "published" and m["page"]["sources"] == ["slack", "notion", "jira"]

    def items(result: dict) -> list[tuple]:
        # Each run served its own sandbox, on ports of its own: links are compared without them.
        return sorted((e["source"], re.sub(r"127\.0\.0\.1:\d+", "HOST", e["url"]), e["at"], e.get("author") or "",
                       e["text"]) for e in result["evidence"])

    assert items(m) == items(a), "the same evidence, linked and named the same, whichever way it was read"
    assert m["report"]["root_cause"] == a["report"]["root_cause"]
    assert all(m["requests"][s] > 0 for s in ("slack", "notion", "jira")), "tool calls are counted per source"


def test_via_mcp_without_a_config_or_a_sandbox_is_bad_input_naming_the_setting(tmp_path):
    proc = _run(tmp_path, "--via", "mcp", env={"POSTMORTEM_MCP_CONFIG": ""})
    assert proc.returncode == 2
    assert "POSTMORTEM_MCP_CONFIG" in proc.stderr and "mcp.example.json" in proc.stderr
