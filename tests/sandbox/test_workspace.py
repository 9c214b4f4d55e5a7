"""The strict workspace loader: errors name the file, the path inside it and the problem; ids are stable."""

from __future__ import annotations

import json

import pytest
import yaml

from sandbox.workspace.loader import WorkspaceError, load_workspace, parse_workspace
from tests.support.workspaces import workspace_dict


def channel(**kw) -> dict:
    return {"name": "ops", "messages": [{"at": "2025-08-04T09:00:00Z", "user": "ann", "text": "hi"}], **kw}


def slack(*channels, users=("ann",)) -> dict:
    return {"team": {"name": "T", "domain": "t"}, "users": [{"name": u} for u in users], "channels": list(channels)}


def write(tmp_path, data, name="ws.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data) if name.endswith(".yaml") else json.dumps(data))
    return path


def error_of(data) -> WorkspaceError:
    with pytest.raises(WorkspaceError) as info:
        parse_workspace(data, "bad.yaml")
    return info.value


def test_bundled_summer25_loads_with_the_bot_user():
    ws = load_workspace("summer25")
    assert ws.name == "summer25"
    assert any(u.name == "postmortem" and u.is_bot for u in ws.slack.users)
    ops = next(c for c in ws.slack.channels if c.name == "marketing-ops")
    assert ops.messages and all(m.ts for m in ops.messages)


def test_unknown_user_names_file_and_path():
    data = workspace_dict(slack=slack(channel(), channel(name="b", messages=[
        {"at": "2025-08-04T09:00:00Z", "user": "ann", "text": "x"},
        {"at": "2025-08-04T09:00:00Z", "user": "bob", "text": "x"}])))
    err = error_of(data)
    assert (err.file, err.path) == ("bad.yaml", "slack.channels[1].messages[1].user")
    assert "bob" in err.problem and str(err).startswith("bad.yaml: slack.channels[1].messages[1].user:")


def test_time_without_zone_is_an_error():
    data = workspace_dict(slack=slack(channel(messages=[{"at": "2025-08-04T09:00:00", "user": "ann", "text": "x"}])))
    err = error_of(data)
    assert err.path == "slack.channels[0].messages[0].at" and "zone" in err.problem


def test_unknown_key_is_an_error_but_x_keys_are_allowed():
    err = error_of(workspace_dict(slack=slack(channel(topik="typo"))))
    assert err.path == "slack.channels[0].topik" and "unknown key" in err.problem
    parse_workspace(workspace_dict(slack=slack(channel(**{"x-note": "fine"}))), "ok.yaml")


def test_reply_earlier_than_parent_and_future_times_are_errors():
    early = channel(messages=[{"at": "2025-08-04T09:00:00Z", "user": "ann", "text": "x",
                               "replies": [{"at": "2025-08-04T08:59:59Z", "user": "ann", "text": "y"}]}])
    assert error_of(workspace_dict(slack=slack(early))).path == "slack.channels[0].messages[0].replies[0].at"
    future = channel(messages=[{"at": "2025-09-01T00:00:00Z", "user": "ann", "text": "x"}])
    assert "after the workspace's now" in error_of(workspace_dict(slack=slack(future))).problem


def test_page_parent_must_resolve_and_not_cycle():
    pages = [{"title": "A", "parent": "B", "created": "2025-08-01T00:00:00Z"},
             {"title": "B", "parent": "A", "created": "2025-08-01T00:00:00Z"}]
    assert "cycle" in error_of(workspace_dict(notion={"users": [], "pages": pages})).problem
    pages = [{"title": "A", "parent": "Nope", "created": "2025-08-01T00:00:00Z"}]
    assert error_of(workspace_dict(notion={"users": [], "pages": pages})).path == "notion.pages[0].parent"


def test_issue_keys_unique_and_in_a_listed_project():
    issue = {"key": "MKT-1", "summary": "s", "reporter": "ann", "created": "2025-08-01T00:00:00Z"}
    jira = {"site": "t", "users": [{"name": "ann"}], "projects": [{"key": "MKT", "name": "M"}],
            "issues": [issue, dict(issue)]}
    assert "duplicate" in error_of(workspace_dict(jira=jira)).problem
    jira["issues"] = [dict(issue, key="ENG-1")]
    err = error_of(workspace_dict(jira=jira))
    assert err.path == "jira.issues[0].key" and "ENG" in err.problem


def test_format_version_and_name_are_checked():
    assert error_of(workspace_dict(format=2)).path == "format"
    assert error_of(workspace_dict(name="Bad Name")).path == "name"


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(WorkspaceError, match="file not found"):
        load_workspace(tmp_path / "missing.yaml")
    bad = tmp_path / "broken.yaml"
    bad.write_text("format: 1\nname: [unclosed\n")
    with pytest.raises(WorkspaceError, match="broken.yaml: .*not valid YAML"):
        load_workspace(bad)


def test_generated_ids_are_stable_and_json_loads_like_yaml(tmp_path):
    data = workspace_dict(slack=slack(channel(), users=("ann", "bo")),
                          notion={"users": [], "pages": [{"title": "P", "created": "2025-08-01T00:00:00Z"}]})
    a = load_workspace(write(tmp_path, data))
    b = load_workspace(write(tmp_path, data, "ws.json"))
    assert [u.id for u in a.slack.users] == [u.id for u in b.slack.users]
    assert a.slack.channels[0].id == b.slack.channels[0].id and a.slack.channels[0].id.startswith("C")
    assert a.notion.pages[0].id == b.notion.pages[0].id
    assert a.slack.channels[0].messages[0].ts == b.slack.channels[0].messages[0].ts
    assert a.slack.channels[0].messages[0].ts.startswith("1754298000.")


def test_nothing_is_half_loaded():
    data = workspace_dict(slack=slack(channel(members=["ann", "zed"])))
    with pytest.raises(WorkspaceError):
        parse_workspace(data, "x.yaml")
    assert data["slack"]["channels"][0]["members"] == ["ann", "zed"]  # the input is untouched
