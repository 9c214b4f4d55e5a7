"""Runs every area's checks side by side and returns their rows in a fixed order (Slack first, MCP and the shared database last)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

from doctor.database import check_database
from doctor.jira import check_jira
from doctor.mcp import check_mcp
from doctor.mode import check_mode
from doctor.model import check_model
from doctor.notion import check_notion
from doctor.rows import Row, fail
from doctor.slack import check_slack
from graph.configuration import Configuration

log = logging.getLogger(__name__)


def run_checks(cfg: Configuration | None = None, env: Mapping[str, str] | None = None) -> list[Row]:
    """One row per check. `cfg` says where the services are (default: the environment's); `env` holds what is not
    a graph setting: SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, POSTMORTEM_OFFLINE, POSTMORTEM_MCP_CONFIG."""
    cfg = cfg or Configuration()
    env = os.environ if env is None else env
    areas: list[tuple[str, Callable[[], list[Row]]]] = [
        ("Slack", lambda: check_slack(cfg)), ("Slack connection", lambda: check_mode(env)),
        ("Notion", lambda: check_notion(cfg)), ("Jira", lambda: check_jira(cfg)),
        ("Model", lambda: check_model(cfg, env)), ("MCP servers", lambda: check_mcp(cfg, env)),
        ("Shared database", lambda: check_database(cfg)),
    ]
    # Side by side: the slowest service, not the sum of them, is how long a person waits for the table.
    with ThreadPoolExecutor(len(areas), thread_name_prefix="doctor") as pool:
        futures = [(name, pool.submit(fn)) for name, fn in areas]
    rows: list[Row] = []
    for name, future in futures:
        try:
            rows += future.result()
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others' rows
            log.exception("the %s checks failed", name)
            rows.append(fail(name, f"the check itself failed: {type(exc).__name__}: {exc}"[:200],
                             "Run postmortem doctor again; if it keeps failing, report it with this message"))
    return rows
