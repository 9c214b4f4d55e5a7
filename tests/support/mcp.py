"""What the MCP tests share: the sandbox's server config filled for a running sandbox, and tiny stand-in servers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SANDBOX_CONFIG = ROOT / "mcp.sandbox.json"
INSTALLED = {"notion": ROOT / "tools/mcp/node_modules/.bin/notion-mcp-server",
             "jira": ROOT / ".mcp/atlassian/bin/mcp-atlassian"}
ENV = ("SLACK_BOT_TOKEN", "SLACK_API_URL", "NOTION_TOKEN", "NOTION_BASE_URL", "JIRA_URL", "JIRA_API_TOKEN", "JIRA_EMAIL")


def require_installed(*names: str) -> None:
    """The published servers must be there: a missing one fails the test (CI must exercise them), never skips."""
    missing = [str(INSTALLED[n]) for n in names if not INSTALLED[n].exists()]
    if missing:
        pytest.fail(f"MCP server not installed: {', '.join(missing)}; run `make mcp`", pytrace=False)


def sandbox_env(sb, monkeypatch: pytest.MonkeyPatch | None = None) -> dict[str, str]:
    """The variables mcp.sandbox.json names, for this sandbox (also set in the environment with `monkeypatch`)."""
    env = {k: v for k, v in sb.env.items() if k in ENV} | {"POSTMORTEM_PYTHON": sys.executable}
    if monkeypatch:
        for k, v in env.items():
            monkeypatch.setenv(k, v)
    return env


STANDIN = '''
from mcp.server.fastmcp import FastMCP

server = FastMCP("standin", log_level="WARNING")
for name in {tools!r}:
    server.add_tool(lambda: "{{}}", name=name, description="stand-in")
server.run()
'''


def standin_server(folder: Path, tools: list[str]) -> dict:
    """A stdio server offering only these tool names (each answers '{}'), as a connection entry."""
    script = folder / f"standin_{len(tools)}.py"
    script.write_text(STANDIN.format(tools=list(tools)))
    return {"command": sys.executable, "args": [str(script)]}
