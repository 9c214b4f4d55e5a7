"""What the doctor tests share: a configuration pointing at a sandbox, without the developer's own settings."""

from __future__ import annotations

from cli.commands import sandbox_overrides
from doctor import Row
from graph.configuration import Configuration

# Settings a developer's environment could hold that would change what a test sees.
NEUTRAL = {"slack_channels": [], "jira_projects": [], "openai_api_key": "", "openai_base_url": "",
           "notion_parent_page_id": "", "notion_database_id": "", "notion_data_source_id": "", "mcp_config": "",
           "mcp_write": False, "database_url": ""}


def config(sb, **over) -> Configuration:
    return Configuration(**(sandbox_overrides(sb) | NEUTRAL | over))


def row(rows: list[Row], check: str) -> Row:
    (found,) = [r for r in rows if r.check == check]
    return found
