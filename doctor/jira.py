"""Jira rows: the credentials (/myself, with the client built as the Jira source builds it) and the projects visible."""

from __future__ import annotations

import re

import requests
from jira import JIRA, JIRAError

from doctor.rows import BUDGET_S, POLICY, Row, fail, ok, skip
from graph.configuration import Configuration
from graph.sources.base import SourceError
from graph.sources.jira import JiraSource
from graph.sources.retry import Budget, jira_failure, retrying

LOGIN, PROJECTS = "Jira credentials", "Jira projects"
TOKENS = "https://id.atlassian.com/manage-profile/security/api-tokens"
SHOWN = 8


def check_jira(cfg: Configuration) -> list[Row]:
    if not cfg.jira_url:
        return [skip(LOGIN, "optional: JIRA_URL not set, so no tickets are read"), skip(PROJECTS, "Jira not set up")]
    if not (cfg.jira_email and cfg.jira_api_token):
        unset = " and ".join(n for n, v in (("JIRA_EMAIL", cfg.jira_email), ("JIRA_API_TOKEN", cfg.jira_api_token))
                             if not v)
        return [fail(LOGIN, f"{unset} not set", f"Set JIRA_EMAIL to the account's email and JIRA_API_TOKEN to an API "
                                                f"token made for it at {TOKENS}"),
                skip(PROJECTS, "needs Jira credentials")]
    budget = Budget(BUDGET_S)
    try:
        client: JIRA = JiraSource(cfg, budget=budget).client  # asks serverInfo, as every run does first
        me = retrying(client.myself, jira_failure, budget, POLICY)
    except (SourceError, JIRAError, requests.RequestException) as exc:
        return [fail(LOGIN, *_failure(exc, cfg)), skip(PROJECTS, "needs working Jira credentials")]
    who = me.get("displayName") or me.get("name") or cfg.jira_email
    rows = [ok(LOGIN, f"signed in as {who} ({me.get('emailAddress') or cfg.jira_email})")]
    try:
        keys = [p.key for p in retrying(client.projects, jira_failure, budget, POLICY)]
    except (JIRAError, requests.RequestException) as exc:
        return rows + [fail(PROJECTS, f"could not list projects ({_status(exc) or type(exc).__name__})",
                            "Run postmortem doctor again; if it keeps failing, check the account's permissions")]
    return rows + [_projects_row(keys, cfg)]


def _projects_row(keys: list[str], cfg: Configuration) -> Row:
    shown = ", ".join(keys[:SHOWN]) + (f" and {len(keys) - SHOWN} more" if len(keys) > SHOWN else "")
    if not keys:
        return fail(PROJECTS, f"{cfg.jira_email} sees no project",
                    "Give the account the Browse Projects permission in the projects where incidents are tracked "
                    "(Project settings -> Permissions, or add it to a group that has it)")
    wanted = [k.upper() for k in cfg.jira_projects]
    missing = [k for k in wanted if k not in keys]
    if missing:
        return fail(PROJECTS, f"JIRA_PROJECTS names {', '.join(missing)}, which {cfg.jira_email} cannot see "
                              f"(visible: {shown})",
                    f"Fix the key in JIRA_PROJECTS, or give the account Browse Projects in {', '.join(missing)}")
    limited = f"; JIRA_PROJECTS limits runs to {', '.join(wanted)}" if wanted else ""
    return ok(PROJECTS, f"{len(keys)} visible: {shown}{limited}")


def _status(exc: Exception) -> int | None:
    if isinstance(exc, JIRAError):
        return exc.status_code
    found = re.search(r"answered (\d{3})", str(exc))  # the Jira source's SourceError: "Jira answered 401…"
    return int(found.group(1)) if found else None


def _failure(exc: Exception, cfg: Configuration) -> tuple[str, str]:
    """(detail, fix) for a sign-in that failed."""
    status = _status(exc)
    if status == 401:
        return ("Jira refused JIRA_EMAIL/JIRA_API_TOKEN (401)",
                f"Make an API token for {cfg.jira_email} at {TOKENS} and put it in JIRA_API_TOKEN (JIRA_EMAIL must be "
                f"that account's email; on Jira Data Center use a personal access token)")
    if status == 403:
        return ("Jira refused the account (403)",
                "Sign in to Jira in a browser once as this account (after failed sign-ins Jira asks for a CAPTCHA and "
                "refuses the API until then), and check the account may use Jira")
    if status == 404:
        return (f"no Jira at {cfg.jira_url} (404)",
                "Set JIRA_URL to the site's address, e.g. https://acme.atlassian.net")
    if status and (status == 429 or status >= 500):
        return (f"Jira is not answering ({status})",
                "Jira is down or overloaded (for Jira Cloud see https://jira-software.status.atlassian.com); run "
                "postmortem doctor again in a few minutes")
    if status:
        return f"Jira answered {status}", "Check JIRA_URL, JIRA_EMAIL and JIRA_API_TOKEN"
    return (f"could not reach Jira at {cfg.jira_url}",
            "Check JIRA_URL (e.g. https://acme.atlassian.net) and that this machine can reach it (proxy, firewall)")
