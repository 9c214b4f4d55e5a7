"""The MCP rows: each server in POSTMORTEM_MCP_CONFIG starts and offers the tools its source reads through."""

from __future__ import annotations

import time
from collections.abc import Mapping

from doctor.rows import Row, fail, ok, skip
from graph.configuration import Configuration
from graph.sources.base import SourceError
from graph.sources.mcp.config import READ_TOOLS, McpConfigError, load_config
from graph.sources.mcp.session import McpHub

MCP = "MCP servers"
START_S = 30.0  # mcp-atlassian takes several seconds; a first `npx` download longer, which the fix mentions


def check_mcp(cfg: Configuration, env: Mapping[str, str]) -> list[Row]:
    path = (cfg.mcp_config or env.get("POSTMORTEM_MCP_CONFIG") or "").strip()
    if not path:
        return [skip(MCP, "none configured (every source reads through its API)")]
    try:
        connections = load_config(path)
    except McpConfigError as exc:
        return [fail(MCP, str(exc), "Fix the file POSTMORTEM_MCP_CONFIG names (mcp.example.json shows the shape), "
                                    "or unset POSTMORTEM_MCP_CONFIG to read every source through its API")]
    hub = McpHub(connections, start_timeout_s=START_S)  # a fresh start: what the bot's next start will meet
    try:
        rows = [_server(hub, name, path) for name in connections]
    finally:
        hub.close()
    if cfg.mcp_write and "notion" not in connections:
        rows.append(fail(f"{MCP}: publishing", "POSTMORTEM_MCP_WRITE=1 but no notion server is configured",
                         f"Add a notion server to {path}, or unset POSTMORTEM_MCP_WRITE to publish with NOTION_TOKEN"))
    return rows


def _server(hub: McpHub, name: str, path: str) -> Row:
    check, t0 = f"MCP {name} server", time.perf_counter()
    try:
        tools = hub.server(name)
    except SourceError as exc:
        return fail(check, str(exc), f"Check mcpServers.{name} in {path}: run its command by hand to see why it "
                                     "stops (a missing package: `make mcp` installs the sandbox's servers), or "
                                     "remove the entry to read this source through its API")
    started = time.perf_counter() - t0
    try:
        tools.require(list(READ_TOOLS[name]))
    except SourceError as exc:
        return fail(check, str(exc), f"Point mcpServers.{name} at a server that offers these tools (see the README's "
                                     "MCP section), or enable them in its settings")
    return ok(check, f"started in {started:.1f} s; offers the {len(READ_TOOLS[name])} tools needed "
                     f"({', '.join(READ_TOOLS[name])})")
