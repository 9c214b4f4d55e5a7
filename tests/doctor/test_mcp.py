"""The MCP rows: unset, a broken file, a server that will not start, one lacking a tool, and the sandbox's three."""

from __future__ import annotations

import json

from doctor.mcp import check_mcp
from graph.configuration import Configuration
from graph.sources.mcp.config import READ_TOOLS
from tests.doctor.support import config, row
from tests.support.mcp import SANDBOX_CONFIG, require_installed, sandbox_env, standin_server


def _file(tmp_path, servers: dict) -> str:
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps({"mcpServers": servers}))
    return str(path)


def test_without_a_config_file_the_row_is_skipped():
    (none,) = check_mcp(Configuration(mcp_config=""), {})
    assert none.status == "skip" and none.detail.startswith("none configured")


def test_a_broken_file_fails_naming_the_file_and_what_is_wrong(tmp_path):
    path = tmp_path / "mcp.json"
    path.write_text('{"mcpServers": {"jira": {"command": "x", "env": {"JIRA_URL": "${NOT_SET_ANYWHERE}"}}}}')
    (bad,) = check_mcp(Configuration(mcp_config=str(path)), {})
    assert bad.status == "fail" and str(path) in bad.detail and "NOT_SET_ANYWHERE" in bad.detail
    assert "mcpServers.jira.env.JIRA_URL" in bad.detail and bad.fix


def test_a_server_that_does_not_start_and_one_lacking_a_tool_fail_with_what_it_offers(tmp_path):
    offered = list(READ_TOOLS["slack"][:3])  # no slack_get_users
    path = _file(tmp_path, {"slack": standin_server(tmp_path, offered),
                            "jira": {"command": str(tmp_path / "no-such-server")}})
    rows = check_mcp(Configuration(mcp_config=path), {})
    slack, jira = row(rows, "MCP slack server"), row(rows, "MCP jira server")
    assert slack.status == "fail" and "'slack_get_users'" in slack.detail
    assert all(t in slack.detail for t in offered), "the row says what the server offers instead"
    assert jira.status == "fail" and "could not be started" in jira.detail and "no-such-server" in jira.detail
    assert "make mcp" in jira.fix


def test_the_sandbox_servers_all_start_and_offer_their_tools(sb, monkeypatch):
    require_installed("notion", "jira")
    sandbox_env(sb, monkeypatch)
    rows = check_mcp(config(sb, mcp_config=str(SANDBOX_CONFIG)), {})
    assert [(r.check, r.status) for r in rows] == [
        ("MCP slack server", "ok"), ("MCP notion server", "ok"), ("MCP jira server", "ok")], rows
    assert "jira_search" in row(rows, "MCP jira server").detail
