"""The Jira rows: signing in (serverInfo, then /myself) and the projects the account can see."""

from __future__ import annotations

import pytest

from doctor.jira import check_jira
from tests.doctor.support import config, row


def test_working_credentials_pass_and_count_the_projects(summer25):
    rows = check_jira(config(summer25))
    assert [(r.check, r.status) for r in rows] == [("Jira credentials", "ok"), ("Jira projects", "ok")]
    assert row(rows, "Jira credentials").detail == "signed in as Postmortem (postmortem-bot@acme.test)"
    assert row(rows, "Jira projects").detail == "3 visible: MKT, ENG, SUP"


@pytest.mark.parametrize(("status", "expected", "fix"), [
    (401, "Jira refused JIRA_EMAIL/JIRA_API_TOKEN (401)", "id.atlassian.com/manage-profile/security/api-tokens"),
    (503, "Jira is not answering (503)", "run postmortem doctor again"),
])
def test_a_refusing_or_down_jira_fails_with_what_to_do(sb, status, expected, fix):
    sb.faults.set("jira", status=status)
    rows = check_jira(config(sb))
    bad = row(rows, "Jira credentials")
    assert (bad.status, bad.detail) == ("fail", expected)
    assert fix in bad.fix
    assert row(rows, "Jira projects").status == "skip"


def test_a_wrong_api_token_is_refused(summer25):
    bad = row(check_jira(config(summer25, jira_api_token="not-the-token")), "Jira credentials")
    assert (bad.status, bad.detail) == ("fail", "Jira refused JIRA_EMAIL/JIRA_API_TOKEN (401)")


def test_a_configured_project_the_account_cannot_see_fails(summer25):
    bad = row(check_jira(config(summer25, jira_projects=["mkt", "OPS"])), "Jira projects")
    assert bad.status == "fail"
    assert bad.detail == ("JIRA_PROJECTS names OPS, which postmortem-bot@acme.test cannot see "
                          "(visible: MKT, ENG, SUP)")
    assert "Browse Projects in OPS" in bad.fix


def test_jira_is_optional_but_half_set_credentials_are_not(summer25):
    rows = check_jira(config(summer25, jira_url=""))
    assert [r.status for r in rows] == ["skip", "skip"] and rows[0].detail.startswith("optional")
    bad = row(check_jira(config(summer25, jira_api_token="")), "Jira credentials")
    assert (bad.status, bad.detail) == ("fail", "JIRA_API_TOKEN not set")
