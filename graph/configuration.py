"""Configuration from the environment (and .env), with defaults; callers may override per run."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the type only: importing langchain here would slow every command's start
    from langchain_core.runnables import RunnableConfig


def _list(name: str) -> list[str]:
    return [x.strip().lstrip("#") for x in os.environ.get(name, "").split(",") if x.strip()]


# The titles a team's collection of post-mortems goes by (graph/publish/target.py finds it by them when
# NOTION_PARENT_PAGE_ID is unset); compared with case, spaces and punctuation ignored, so one spelling covers the rest.
PARENT_TITLES = ("Post Mortems", "Postmortems", "Post-mortems", "Incident reviews", "Incident reports", "Retrospectives",
                 "RCAs")


def parent_titles() -> list[str]:
    """POSTMORTEM_PARENT_TITLES (comma-separated), else PARENT_TITLES."""
    given = [t.strip() for t in os.environ.get("POSTMORTEM_PARENT_TITLES", "").split(",") if t.strip()]
    return given or list(PARENT_TITLES)


def _notion_token() -> str:
    # The original demo passed the token inside the Notion MCP server's OPENAPI_MCP_HEADERS JSON.
    token = os.environ.get("NOTION_TOKEN") or os.environ.get("NOTION_API_KEY") or ""
    if not token and os.environ.get("OPENAPI_MCP_HEADERS"):
        try:
            auth = json.loads(os.environ["OPENAPI_MCP_HEADERS"]).get("Authorization", "")
            token = auth.removeprefix("Bearer ").strip()
        except (ValueError, AttributeError):
            token = ""
    return token


def database_url() -> str:
    """POSTMORTEM_DATABASE_URL, else a platform's DATABASE_URL when it names PostgreSQL (Heroku's add-on sets it)."""
    url = os.environ.get("POSTMORTEM_DATABASE_URL", "").strip()
    platform = os.environ.get("DATABASE_URL", "").strip()
    return url or (platform if platform.startswith(("postgres://", "postgresql://")) else "")


@dataclass
class Configuration:
    slack_api_url: str = field(default_factory=lambda: os.environ.get("SLACK_API_URL", "https://slack.com/api/"))
    slack_bot_token: str = field(default_factory=lambda: os.environ.get("SLACK_BOT_TOKEN", ""))
    slack_user_token: str = field(default_factory=lambda: os.environ.get("SLACK_USER_TOKEN", ""))
    slack_channels: list[str] = field(default_factory=lambda: _list("POSTMORTEM_SLACK_CHANNELS"))
    notion_base_url: str = field(default_factory=lambda: os.environ.get("NOTION_BASE_URL", "https://api.notion.com"))
    notion_token: str = field(default_factory=_notion_token)
    notion_parent_page_id: str = field(default_factory=lambda: os.environ.get("NOTION_PARENT_PAGE_ID", ""))
    # Where reports using a private conversation go: a page only its members can open. Unset: no page for them.
    notion_restricted_parent_page_id: str = field(
        default_factory=lambda: os.environ.get("NOTION_RESTRICTED_PARENT_PAGE_ID", ""))
    # Set: public reports become rows of this database (graph/publish/database.py) instead of pages under a parent.
    notion_database_id: str = field(default_factory=lambda: os.environ.get("NOTION_DATABASE_ID", ""))
    notion_data_source_id: str = field(default_factory=lambda: os.environ.get("NOTION_DATA_SOURCE_ID", ""))
    parent_titles: list[str] = field(default_factory=parent_titles)
    jira_url: str = field(default_factory=lambda: os.environ.get("JIRA_URL", ""))
    jira_email: str = field(default_factory=lambda: os.environ.get("JIRA_EMAIL", ""))
    jira_api_token: str = field(default_factory=lambda: os.environ.get("JIRA_API_TOKEN", ""))
    jira_projects: list[str] = field(default_factory=lambda: _list("JIRA_PROJECTS"))
    openai_api_key: str = field(default_factory=lambda: os.environ.get("OPENAI_API_KEY", ""))
    openai_model: str = field(default_factory=lambda: os.environ.get("OPENAI_MODEL", "gpt-4o-mini"))
    openai_base_url: str = field(default_factory=lambda: os.environ.get("OPENAI_BASE_URL", ""))
    token_budget: int = field(default_factory=lambda: int(os.environ.get("POSTMORTEM_TOKEN_BUDGET", "12000")))
    lookback_days: int = field(default_factory=lambda: int(os.environ.get("POSTMORTEM_LOOKBACK_DAYS", "30")))
    now: str = field(default_factory=lambda: os.environ.get("POSTMORTEM_NOW", ""))
    http_timeout_s: float = field(default_factory=lambda: float(os.environ.get("POSTMORTEM_HTTP_TIMEOUT", "20")))
    # Time one source (and the publisher) may spend in one run, retries included (graph/sources/retry.py).
    source_budget_s: float = field(default_factory=lambda: float(os.environ.get("POSTMORTEM_SOURCE_BUDGET_S", "60")))
    # Notion requests per second this process starts on average (Notion allows 3 per integration); 0 = unpaced.
    notion_rate: float = field(default_factory=lambda: float(os.environ.get("POSTMORTEM_NOTION_RATE", "3")))
    # Extra credential formats to redact, `name=regex;name2=regex2` (graph/redact/redactor.py parses it).
    redact_patterns: str = field(default_factory=lambda: os.environ.get("POSTMORTEM_REDACT_PATTERNS", ""))
    # Several bot processes share their state in PostgreSQL (checkpoints, deliveries, the job queue); '' = SQLite.
    database_url: str = field(default_factory=lambda: database_url())
    # MCP servers to read sources through (graph/sources/mcp): a JSON file in the `mcpServers` shape; '' = APIs only.
    mcp_config: str = field(default_factory=lambda: os.environ.get("POSTMORTEM_MCP_CONFIG", ""))
    # Publishing goes through the Notion MCP server too only when allowed; else notion-client with NOTION_TOKEN.
    mcp_write: bool = field(default_factory=lambda: os.environ.get("POSTMORTEM_MCP_WRITE", "") in ("1", "true", "yes"))
    # Slack permalinks need the workspace's URL; an MCP server has no auth.test, so without a bot token it comes here.
    slack_workspace_url: str = field(default_factory=lambda: os.environ.get("SLACK_WORKSPACE_URL", ""))
    checkpoint_db: str = field(
        default_factory=lambda: os.environ.get("POSTMORTEM_CHECKPOINT_DB", str(Path(".postmortem") / "runs.sqlite"))
    )

    def current_time(self) -> datetime:
        """'Now' for look-back windows: POSTMORTEM_NOW (the sandbox's clock) or the real time."""
        if self.now:
            return datetime.fromisoformat(self.now.replace("Z", "+00:00")).astimezone(UTC)
        return datetime.now(UTC)

    @classmethod
    def from_runnable_config(cls, config: RunnableConfig | None = None) -> Configuration:
        configurable = (config or {}).get("configurable", {}) or {}
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in configurable.items() if k in names})
