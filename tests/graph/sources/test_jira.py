"""Jira: one client per run (the server is asked what it is once), and referenced issues read side by side."""

from __future__ import annotations

from sandbox.server import Tokens
from tests.support.graph import run_on
from tests.support.workspaces import workspace_dict


def issue(key: str, summary: str) -> dict:
    return {"key": key, "summary": summary, "reporter": "ann", "created": "2025-08-04T09:00:00Z",
            "comments": [{"author": "ann", "at": "2025-08-04T10:00:00Z", "body": "on it"}],
            "transitions": [{"at": "2025-08-04T11:00:00Z", "by": "ann", "from": "To Do", "to": "Done"}]}


def test_following_references_reuses_the_gather_s_client(make_sandbox, tmp_path):
    slack = {"team": {"id": "T0TINY001", "name": "Tiny", "domain": "tiny"},
             "users": [{"name": "ann", "real_name": "Ann Lee"}],
             "channels": [{"name": "ops", "messages": [
                 {"at": "2025-08-04T09:05:00Z", "user": "ann", "text": "ZAP9 fails at checkout, see OPS-2 and OPS-3"}]}]}
    jira = {"site": "tiny", "users": [], "projects": [{"key": "OPS", "name": "Ops"}],
            "issues": [issue("OPS-1", "ZAP9 rejected"), issue("OPS-2", "Checkout rule typo"),
                       issue("OPS-3", "Promo service timeouts"), issue("OPS-4", "Unrelated")]}
    sb = make_sandbox(workspace_dict(slack=slack, jira=jira))
    result = run_on(sb, tmp_path, incident="zap9")
    keys = {e["key"] for e in result["evidence"] if e["source"] == "jira"}
    assert keys == {"OPS-1", "OPS-2", "OPS-3"}
    # serverInfo and myself (the user's time zone) once, one search (comments and changes inside it), then each
    # referenced issue: no second client's serverInfo, no field list
    assert result["requests"]["jira"] == 1 + 1 + 1 + 2 == sb.stats()["jira"]["requests"]


def test_the_window_is_written_in_the_api_user_s_time_zone(make_sandbox, tmp_path):
    """Jira reads unzoned JQL dates in the token owner's zone: a UTC window sent as-is would start 4 h late in NY."""
    bot = {"name": "bot", "email": Tokens().jira_email, "tz": "America/New_York"}
    jira = {"site": "tiny", "users": [bot], "projects": [{"key": "OPS", "name": "Ops"}],
            "issues": [{"key": "OPS-1", "summary": "ZAP9 rejected", "reporter": "bot",
                        "created": "2025-08-04T13:00:00Z"}]}  # 09:00 in New York
    sb = make_sandbox(workspace_dict(jira=jira))
    result = run_on(sb, tmp_path, incident="zap9", since="2025-08-04T12:00:00Z", until="2025-08-05T00:00:00Z")
    assert {e["key"] for e in result["evidence"] if e["source"] == "jira"} == {"OPS-1"}
