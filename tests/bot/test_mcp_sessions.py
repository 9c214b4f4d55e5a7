"""The bot with POSTMORTEM_MCP_CONFIG: its MCP servers start once, serve every request, and stop with the bot."""

from __future__ import annotations

from graph.sources.mcp import session
from sandbox.server import Sandbox
from tests.support.bot import request, running_bot, wait_until
from tests.support.mcp import SANDBOX_CONFIG, require_installed, sandbox_env


def _servers() -> dict:
    (hub,) = session._HUBS.values()
    return dict(hub._servers)


def test_the_bot_keeps_its_mcp_sessions_between_requests_and_closes_them_when_it_stops(tmp_path, monkeypatch):
    require_installed("notion", "jira")
    with Sandbox(jira_deployment="datacenter") as sb:
        sandbox_env(sb, monkeypatch)
        with running_bot(sb, tmp_path, overrides={"mcp_config": str(SANDBOX_CONFIG)}) as (bot, drv):
            # Started at the bot's start, before anyone asks: the first request does not wait for mcp-atlassian.
            started = wait_until(lambda: len(session._HUBS) == 1 and len(_servers()) == 3 and _servers(),
                                 what="the three MCP servers to start")
            first = request(drv, "marketing-ops", "summer25")
            second = request(drv, "marketing-ops", "summer25")
            assert first[-1]["text"].startswith("Post-mortem created"), first[-1]["text"]
            assert second[-1]["text"].startswith("Post-mortem updated"), second[-1]["text"]
            assert _servers() == started, "the same sessions served both requests"
            calls = {name: tools.calls for name, tools in started.items()}
            assert all(n > 0 for n in calls.values()), f"every source read through its server: {calls}"
            (hub,) = session._HUBS.values()
        assert session._HUBS == {} and hub.closed, "stopping the bot stops its servers"
