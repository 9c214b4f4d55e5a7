"""POSTMORTEM_MCP_CONFIG: a JSON file in the common `mcpServers` shape, with ${VAR} taken from the environment."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

SOURCES = ("slack", "notion", "jira")  # the server names the bot reads through; others in the file are ignored
# The tools each source reads through (the published servers' names); a server without one of them cannot stand in.
READ_TOOLS = {
    "slack": ("slack_list_channels", "slack_get_channel_history", "slack_get_thread_replies", "slack_get_users"),
    "notion": ("API-post-search", "API-get-block-children", "API-retrieve-a-page", "API-get-users"),
    "jira": ("jira_search", "jira_get_issue"),
}
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class McpConfigError(ValueError):
    """The MCP config file is missing or malformed; the message names the file, the server and the field."""


def _expand(value, where: str, env: Mapping[str, str]):
    if isinstance(value, str):
        def sub(m: re.Match) -> str:
            if m.group(1) in env and env[m.group(1)] != "":
                return env[m.group(1)]
            if m.group(2) is not None:
                return m.group(2)
            raise McpConfigError(f"{where} uses ${{{m.group(1)}}}, which is not set in the environment or .env")
        return _VAR.sub(sub, value)
    if isinstance(value, list):
        return [_expand(v, f"{where}[{i}]", env) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: _expand(v, f"{where}.{k}", env) for k, v in value.items()}
    return value


def _connection(name: str, raw: dict, where: str, base: Path) -> dict:
    if not isinstance(raw, dict):
        raise McpConfigError(f"{where}: expected an object with 'command' (stdio) or 'url' (streamable HTTP)")
    if raw.get("command"):
        args = raw.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise McpConfigError(f"{where}.args: expected a list of strings")
        command = raw["command"]
        # A relative command ("node_modules/.bin/…") is relative to the config file, as editors' MCP files read.
        if "/" in command and not Path(command).is_absolute():
            command = str((base / command).resolve())
        from mcp.client.stdio import get_default_environment  # the MCP SDK loads only when a server is configured

        env = {k: str(v) for k, v in (raw.get("env") or {}).items()}
        # A server gets a plain environment (PATH, HOME…) and what its entry gives it: never the bot's other secrets.
        return {"transport": "stdio", "command": command, "args": args, "env": {**get_default_environment(), **env},
                "cwd": str(raw.get("cwd") or base)}
    if raw.get("url"):
        kind = raw.get("type") or raw.get("transport") or "streamable_http"
        if kind.replace("-", "_") not in ("streamable_http", "http"):
            raise McpConfigError(f"{where}.type: {kind!r} is not supported; use a stdio command or streamable HTTP")
        return {"transport": "streamable_http", "url": raw["url"], "headers": dict(raw.get("headers") or {})}
    raise McpConfigError(f"{where}: needs 'command' (a stdio server) or 'url' (a streamable HTTP server)")


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> dict[str, dict]:
    """Connections by source name (only slack, notion, jira), ready for MultiServerMCPClient."""
    env = os.environ if env is None else env
    file = Path(path).expanduser()
    try:
        data = json.loads(file.read_text())
    except FileNotFoundError:
        raise McpConfigError(f"POSTMORTEM_MCP_CONFIG names {file}, which does not exist") from None
    except json.JSONDecodeError as exc:
        raise McpConfigError(f"{file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    servers = data.get("mcpServers") if isinstance(data, dict) else None
    if not isinstance(servers, dict):
        raise McpConfigError(f"{file}: expected {{\"mcpServers\": {{\"slack\"|\"notion\"|\"jira\": {{…}}}}}}")
    out = {}
    for name in SOURCES:
        if name in servers:
            where = f"{file}: mcpServers.{name}"
            out[name] = _connection(name, _expand(servers[name], where, env), where, file.parent.resolve())
    if not out:
        raise McpConfigError(f"{file}: mcpServers has none of {', '.join(SOURCES)} (it has: "
                             f"{', '.join(servers) or 'nothing'}); name each server after the source it reads")
    return out
