"""The MCP row: servers configured in POSTMORTEM_MCP_CONFIG are not supported yet, so the setting is a mistake."""

from __future__ import annotations

from collections.abc import Mapping

from doctor.rows import Row, fail, skip

MCP = "MCP servers"


def check_mcp(env: Mapping[str, str]) -> list[Row]:
    if not (env.get("POSTMORTEM_MCP_CONFIG") or "").strip():
        return [skip(MCP, "none configured")]
    return [fail(MCP, "POSTMORTEM_MCP_CONFIG is set, but MCP servers are not supported yet",
                 "Unset POSTMORTEM_MCP_CONFIG: the bot reads Slack, Notion and Jira through their own APIs, configured "
                 "by the variables above")]
