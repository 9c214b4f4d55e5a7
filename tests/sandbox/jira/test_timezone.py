"""Unzoned JQL dates are read in the requesting user's time zone, as Jira does; the zone comes from the workspace."""

from __future__ import annotations

import pytest
from jira import JIRA
from slack_sdk import WebClient

from sandbox.server import Tokens
from sandbox.workspace.loader import WorkspaceError, parse_workspace
from tests.support.workspaces import workspace_dict

BOT_EMAIL = Tokens().jira_email  # the person the API token belongs to: "the requesting user"
ISSUES = [{"key": "OPS-1", "summary": "Checkout down", "reporter": "stefan", "created": "2025-08-04T09:15:00Z"},
          {"key": "OPS-2", "summary": "Late report", "reporter": "stefan", "created": "2025-08-04T16:00:00Z"}]


def _workspace(jira_tz: str | None = None, slack_tz: str | None = None) -> dict:
    bot = {"name": "bot", "email": BOT_EMAIL, **({"tz": jira_tz} if jira_tz else {})}
    slack_bot = {"name": "bot", "real_name": "Bot", **({"tz": slack_tz} if slack_tz else {})}
    return workspace_dict(
        slack={"users": [{"name": "stefan"}, slack_bot], "channels": []},
        jira={"users": [{"name": "stefan"}, bot], "projects": [{"key": "OPS", "name": "Ops"}], "issues": ISSUES})


def _jira(sb) -> JIRA:
    return JIRA(server=sb.env["JIRA_URL"], basic_auth=(sb.env["JIRA_EMAIL"], sb.env["JIRA_API_TOKEN"]))


def keys(jira: JIRA, jql: str) -> list[str]:
    return sorted(i.key for i in jira.search_issues(jql))


def test_a_paris_user_reads_unzoned_dates_in_paris_time(make_sandbox):
    jira = _jira(make_sandbox(_workspace(jira_tz="Europe/Paris")))
    assert jira.myself()["timeZone"] == "Europe/Paris"
    # OPS-1 was created at 09:15 UTC, which is 11:15 in Paris in August (CEST, UTC+2).
    assert keys(jira, 'created >= "2025-08-04 11:00" AND created < "2025-08-04 11:30"') == ["OPS-1"]
    assert keys(jira, 'created <= "2025-08-04 09:30"') == []
    assert keys(jira, 'created >= "2025/08/04" AND created < "2025-08-05"') == ["OPS-1", "OPS-2"]


def test_a_utc_user_reads_the_same_query_differently(make_sandbox):
    jira = _jira(make_sandbox(_workspace()))
    assert jira.myself()["timeZone"] == "Etc/UTC"
    assert keys(jira, 'created >= "2025-08-04 11:00" AND created < "2025-08-04 11:30"') == []
    assert keys(jira, 'created <= "2025-08-04 09:30"') == ["OPS-1"]
    assert keys(jira, "created >= startOfDay()") == []


def test_start_of_day_is_the_users_day_and_the_slack_zone_is_inherited(make_sandbox):
    sb = make_sandbox(_workspace(slack_tz="Asia/Tokyo"))  # no Jira tz: the same person's Slack one
    jira = _jira(sb)
    assert jira.myself()["timeZone"] == "Asia/Tokyo"
    # Now is 2025-08-05 12:00 UTC = 21:00 in Tokyo, whose day began at 2025-08-04 15:00 UTC: after OPS-1, before OPS-2
    # (for a UTC user the day began at 2025-08-05 00:00, after both).
    assert keys(jira, "created >= startOfDay()") == ["OPS-2"]
    slack = WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_BOT_TOKEN"])
    user = next(u for u in slack.users_list()["members"] if u["name"] == "bot")
    assert (user["tz"], user["tz_offset"]) == ("Asia/Tokyo", 9 * 3600)


def test_an_unknown_zone_is_a_workspace_error_naming_the_field():
    with pytest.raises(WorkspaceError, match=r"jira\.users\[1\]\.tz.*unknown time zone 'Mars/Olympus'"):
        parse_workspace(_workspace(jira_tz="Mars/Olympus"), "tz.yaml")
