"""Which client each source reads through: its MCP server when POSTMORTEM_MCP_CONFIG names one, else its own API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from graph.configuration import Configuration
from graph.http_counts import RunHttp
from graph.sources.base import SourceError
from graph.sources.mcp.config import McpConfigError, load_config


def connections(cfg: Configuration) -> dict[str, dict]:
    """The configured servers by source name ({} without POSTMORTEM_MCP_CONFIG); a bad file is a SourceError."""
    if not cfg.mcp_config.strip():
        return {}
    try:
        return load_config(cfg.mcp_config)
    except McpConfigError as exc:
        raise SourceError(str(exc)) from None


def via(cfg: Configuration, name: str) -> str:
    """'mcp' when this source has a server in the config file, else 'api' (a broken file counts as 'mcp': the
    person meant MCP, and the source's error says what is wrong with the file)."""
    try:
        return "mcp" if name in connections(cfg) else "api"
    except SourceError:
        return "mcp"


def hub(cfg: Configuration):
    """The process's sessions for this config file (the MCP SDK and adapters load only here, when one is set)."""
    from graph.sources.mcp.session import hub_for

    # Keyed by the file's path: the bot's servers stay up between requests, a changed file starts new ones.
    return hub_for(str(Path(cfg.mcp_config).expanduser().resolve()), connections(cfg))


def _tools(cfg: Configuration, name: str, http: RunHttp | None):
    tools = hub(cfg).server(name)
    return tools.counted(lambda: http.count(name)) if http else tools


def slack_identity(cfg: Configuration) -> dict[str, Any]:
    """Who the bot is and the workspace's URL (for permalinks): an MCP server has no auth.test. With the bot's own
    token (the bot has one to post with) one auth.test asks; else SLACK_WORKSPACE_URL says, and no post is the bot's."""
    if cfg.slack_bot_token:
        from slack_sdk import WebClient
        from slack_sdk.errors import SlackApiError

        try:
            return WebClient(token=cfg.slack_bot_token, base_url=cfg.slack_api_url,
                             timeout=int(cfg.http_timeout_s)).auth_test().data
        except (SlackApiError, OSError) as exc:
            if not cfg.slack_workspace_url:
                raise SourceError(f"Slack auth.test failed ({exc}); set SLACK_WORKSPACE_URL so the Slack MCP "
                                  "server's messages can be linked") from None
    if not cfg.slack_workspace_url:
        raise SourceError("SLACK_WORKSPACE_URL is not set: reading Slack through an MCP server, the bot cannot ask "
                          "Slack for the workspace's URL its evidence links need (e.g. https://acme.slack.com/)")
    return {"ok": True, "url": cfg.slack_workspace_url.rstrip("/") + "/", "user_id": "", "bot_id": ""}


def read_client(name: str, cfg: Configuration, http: RunHttp | None = None) -> Any | None:
    """The MCP client adapter this source reads through, or None when it reads through its API."""
    if via(cfg, name) != "mcp":
        return None

    def make() -> Any:
        if name == "slack":
            from graph.sources.mcp.slack import SlackMcpClient

            return SlackMcpClient(_tools(cfg, name, http), identity=slack_identity(cfg))
        if name == "notion":
            from graph.sources.mcp.notion import NotionMcpClient
            from graph.sources.notion_http import gate_for

            # Paced as the native client is: Notion counts the integration's requests, whoever sends them.
            return NotionMcpClient(_tools(cfg, name, http), timeout_s=max(cfg.http_timeout_s, 60.0),
                                   gate=gate_for(cfg.notion_base_url, cfg.notion_token or "mcp", cfg.notion_rate))
        from graph.sources.mcp.jira import JiraMcpClient

        return JiraMcpClient(_tools(cfg, name, http))

    # One adapter a run, shared by gathering, following references and (Notion, when allowed) publishing.
    return http.shared(f"{name}-mcp", make) if http else make()


def write_client(cfg: Configuration, http: RunHttp | None = None) -> Any | None:
    """The Notion MCP adapter to publish through (POSTMORTEM_MCP_WRITE=1 and a Notion server), else None."""
    return read_client("notion", cfg, http) if cfg.mcp_write else None


def warm(cfg: Configuration) -> list[str]:
    """Start every configured server now (the bot does at start, so its first request does not wait for them);
    returns the problems, each naming its server. Nothing without a config file."""
    problems = []
    try:
        names = list(connections(cfg))
    except SourceError as exc:
        return [str(exc)]
    for name in names:
        try:
            hub(cfg).server(name)
        except SourceError as exc:
            problems.append(str(exc))
    return problems


def close_sessions() -> None:
    """Stop every MCP server this process started (nothing to do when none was: the SDK was never loaded)."""
    session = sys.modules.get("graph.sources.mcp.session")
    if session is not None:
        session.close_all()
