"""Where a run publishes without NOTION_PARENT_PAGE_ID: the team's page or database found by its title, on the sandbox."""

from __future__ import annotations

import re

import pytest
from notion_client import Client

from cli import commands
from cli.main import build_parser
from graph.configuration import PARENT_TITLES, Configuration
from graph.publish.target import find_target
from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.cli.test_run_outcomes import Lent  # the test's sandbox, lent to the command as if --workspace started it
from tests.support.graph import page_texts, run_on
from tests.support.notion_count import NotionCounter
from tests.support.workspaces import workspace_dict

REPORTED = "Customers say the ZAP9 code is rejected at checkout"
OTHERS = [{"title": title, "created": f"2025-07-0{i + 1}T10:00:00Z", "author": "dana"}
          for i, title in enumerate(["Team handbook", "Q3 roadmap", "Runbooks", "Hiring", "Office", "Offsite"])]


def workspace(pages: list[dict], databases: list[dict] | None = None) -> dict:
    slack = {
        "users": [{"name": "dana", "real_name": "Dana Whitfield"}, {"name": "stefan", "real_name": "Stefan Ortiz"},
                  {"name": "postmortem", "real_name": "Postmortem", "is_bot": True}],
        "channels": [{"name": "incidents", "messages": [
            {"at": "2025-08-04T09:07:22Z", "user": "stefan", "text": REPORTED + " (ZAP9 says \"Invalid Code\")."},
            {"at": "2025-08-04T09:30:00Z", "user": "dana", "text": "ZAP9 was never activated; activated now, fixed."}]}],
    }
    notion = {"users": [{"name": "dana"}], "pages": pages, "databases": databases or []}
    return workspace_dict(slack=slack, notion=notion)


def page(title: str, created: str = "2025-06-01T10:00:00Z", **kw) -> dict:
    return {"title": title, "created": created, "author": "dana", **kw}


def ids_by_title(sb) -> dict[str, str]:
    notion = sb.state("notion")
    return {notion.title_of(pid): pid for pid in notion.pages}


def report_parent(sb) -> str:
    """The title of the page the run's post-mortem was created under."""
    notion = sb.state("notion")
    reports = [p for p in notion.pages.values() if notion.title_of(p.id).startswith("Post-mortem: ")]
    assert len(reports) == 1, [notion.title_of(p.id) for p in reports]
    return notion.title_of(reports[0].parent)


@pytest.mark.parametrize("title", ["Post Mortems", "postmortems", "POST-MORTEMS", "Post_Mortems", "incident reviews",
                                   "Incident-Reports", "RETROSPECTIVES", "Retro spectives", "rcas", "R.C.A.s"])
def test_each_naming_style_of_the_collection_is_found_and_published_under(make_sandbox, tmp_path, title):
    sb = make_sandbox(workspace(OTHERS + [page(title)]))
    result = run_on(sb, tmp_path, incident="zap9")
    assert result["status"] == "published" and report_parent(sb) == title


def test_configured_titles_replace_the_defaults(make_sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("POSTMORTEM_PARENT_TITLES", "War room notes, Outage log")
    sb = make_sandbox(workspace([page("Post Mortems", "2025-07-20T10:00:00Z"), page("War-Room Notes")]))
    assert run_on(sb, tmp_path, incident="zap9")["status"] == "published"
    assert report_parent(sb) == "War-Room Notes"  # though 'Post Mortems' is newer: no longer one of the titles


def test_a_default_title_is_not_found_once_the_titles_are_configured(make_sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("POSTMORTEM_PARENT_TITLES", "War room notes")
    sb = make_sandbox(workspace([page("Post Mortems")]))
    result = run_on(sb, tmp_path, incident="zap9")
    assert result["status"] == "failed" and "'War room notes'" in result["error"]


def test_of_two_collections_the_most_recently_edited_wins_and_the_report_says_which(make_sandbox, tmp_path):
    sb = make_sandbox(workspace([page("Post Mortems", edited="2025-07-01T10:00:00Z"),
                                 page("Incident reviews", edited="2025-08-01T10:00:00Z")]))
    chosen = ids_by_title(sb)["Incident reviews"]
    result = run_on(sb, tmp_path, incident="zap9")
    note = (f"Published under 'Incident reviews' (id {chosen}), the most recently edited of 2 pages with a "
            "post-mortem title.")
    assert result["status"] == "published" and report_parent(sb) == "Incident reviews"
    assert note in result["report"]["notes"] and note in result["markdown"]
    assert note in page_texts(sb, result["page"]["id"])  # on the page itself, for its readers
    again = run_on(sb, tmp_path, incident="zap9")  # remembered: the same page, updated
    assert again["status"] == "updated" and again["page"]["id"] == result["page"]["id"]


def test_a_database_titled_incident_reviews_gets_a_row(make_sandbox, tmp_path):
    db = {"title": "Incident reviews", "created": "2025-07-20T10:00:00Z", "properties": {"Name": "title",
                                                                                         "Date": "date"}}
    sb = make_sandbox(workspace([page("Post Mortems")], [db]))
    result = run_on(sb, tmp_path, incident="zap9")
    notion = sb.state("notion")
    (db_id,) = notion.databases
    rows = [p for p in notion.pages.values() if p.database == db_id]
    assert result["status"] == "published" and [r.id for r in rows] == [result["page"]["id"]]
    assert notion.title_of(rows[0].id).startswith("Post-mortem: ")
    assert (f"Published in the database 'Incident reviews' (id {db_id}), the most recently edited of 2 pages and "
            "databases with a post-mortem title.") in result["report"]["notes"]
    assert run_on(sb, tmp_path, incident="zap9")["page"]["id"] == rows[0].id  # the re-run updates that row


def test_nowhere_to_publish_names_five_top_level_pages_and_keeps_the_report(make_sandbox, tmp_path):
    nested = page("Onboarding", "2025-07-30T10:00:00Z", parent="Team handbook")  # not top-level: not offered
    sb = make_sandbox(workspace(OTHERS + [nested]))
    result = run_on(sb, tmp_path, incident="zap9")
    error, ids = result["error"], ids_by_title(sb)
    assert result["status"] == "failed" and result["page"] is None
    assert error.startswith("No Notion page to publish under") and "NOTION_PARENT_PAGE_ID" in error
    assert "'Incident reviews'" in error and "'RCAs'" in error  # the titles it would have found
    named = re.findall(r"'([^']+)' \(id ([0-9a-f-]{36})\)", error)
    assert len(named) == 5 and all(ids[title] == pid for title, pid in named)
    assert "Onboarding" not in error
    assert REPORTED in result["markdown"] and result["report"]["summary"]  # nothing gathered is lost


@pytest.fixture
def cli_sb(monkeypatch, tmp_path):
    monkeypatch.setenv("POSTMORTEM_CHECKPOINT_DB", str(tmp_path / "runs.sqlite"))
    for name in ("NOTION_PARENT_PAGE_ID", "NOTION_DATABASE_ID", "NOTION_DATA_SOURCE_ID", "POSTMORTEM_PARENT_TITLES"):
        monkeypatch.delenv(name, raising=False)
    db = {"title": "Reviews DB", "created": "2025-07-20T10:00:00Z", "properties": {"Name": "title"}}
    data = workspace(OTHERS + [page("Post Mortems", edited="2025-07-01T10:00:00Z"),
                               page("Incident reviews", edited="2025-08-01T10:00:00Z")], [db])
    with Sandbox(parse_workspace(data, "target")) as sandbox:
        monkeypatch.setattr(commands, "start_sandbox", lambda workspace, port=0, **kw: Lent(sandbox))
        yield sandbox


def postmortem(capsys) -> tuple[int, str, str]:
    code = commands.run(build_parser().parse_args(["run", "zap9", "--workspace", "target", "--offline"]))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_workspace_run_honours_a_parent_page_id_of_that_workspace(cli_sb, capsys, monkeypatch):
    monkeypatch.setenv("NOTION_PARENT_PAGE_ID", ids_by_title(cli_sb)["Team handbook"].replace("-", ""))
    code, _, err = postmortem(capsys)
    assert code == 0 and report_parent(cli_sb) == "Team handbook"
    assert "NOTION_PARENT_PAGE_ID" not in err


def test_a_workspace_run_honours_a_database_id_of_that_workspace(cli_sb, capsys, monkeypatch):
    (db_id,) = cli_sb.state("notion").databases
    monkeypatch.setenv("NOTION_DATABASE_ID", db_id)
    assert postmortem(capsys)[0] == 0
    notion = cli_sb.state("notion")
    assert [notion.title_of(p.id)[:13] for p in notion.pages.values() if p.database == db_id] == ["Post-mortem: "]


def test_a_workspace_run_ignores_a_parent_page_id_from_elsewhere_and_says_where_it_published(cli_sb, capsys,
                                                                                             monkeypatch):
    monkeypatch.setenv("NOTION_PARENT_PAGE_ID", "0f0e0d0c-0b0a-4090-8070-605040302010")  # a real workspace's page
    code, out, err = postmortem(capsys)
    assert code == 0 and report_parent(cli_sb) == "Incident reviews"  # found by its title instead
    assert "NOTION_PARENT_PAGE_ID 0f0e0d0c-0b0a-4090-8070-605040302010 is not a page of the sandbox's workspace" in err
    chosen = ids_by_title(cli_sb)["Incident reviews"]
    assert f"Published under 'Incident reviews' (id {chosen}), the most recently edited of 2 pages" in err
    assert REPORTED in out  # the report is printed too


def test_nowhere_to_publish_still_prints_the_report(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("POSTMORTEM_CHECKPOINT_DB", str(tmp_path / "runs.sqlite"))
    monkeypatch.delenv("NOTION_PARENT_PAGE_ID", raising=False)
    with Sandbox(parse_workspace(workspace(OTHERS), "nowhere")) as sandbox:
        monkeypatch.setattr(commands, "start_sandbox", lambda workspace, port=0, **kw: Lent(sandbox))
        code, out, err = postmortem(capsys)
    assert code == 1 and REPORTED in out and "No Notion page to publish under" in err and "Offsite" in err


def test_in_a_workspace_of_more_than_a_search_page_the_collection_is_found_by_its_title_words(make_sandbox):
    newer = [page(f"Meeting notes {i}", f"2025-07-{1 + i % 28:02d}T10:{i % 60:02d}:00Z") for i in range(110)]
    sb = make_sandbox(workspace(newer + [page("Post-mortems", "2025-05-01T10:00:00Z"),
                                         page("RCAs", "2025-04-01T10:00:00Z")]))
    client = Client(auth=sb.env["NOTION_TOKEN"], base_url=sb.env["NOTION_BASE_URL"])
    with NotionCounter(sb.urls["notion"]) as counted:
        target = find_target(client, Configuration(parent_titles=list(PARENT_TITLES)))
    assert (target.kind, target.title, target.id) == ("page", "Post-mortems", ids_by_title(sb)["Post-mortems"])
    assert "most recently edited of 2 pages" in target.note
    assert counted.routes == {"POST /v1/search": 5}  # the newest 100, then one search per word: mortems, incident…


def test_the_gathers_hint_spares_searching_for_pages_in_a_large_workspace(make_sandbox):
    newer = [page(f"Meeting notes {i}", f"2025-07-{1 + i % 28:02d}T10:{i % 60:02d}:00Z") for i in range(110)]
    db = {"title": "RCAs", "created": "2025-03-01T10:00:00Z", "properties": {"Name": "title"}}
    sb = make_sandbox(workspace(newer + [page("Post-mortems", "2025-05-01T10:00:00Z")], [db]))
    client, chosen = Client(auth=sb.env["NOTION_TOKEN"], base_url=sb.env["NOTION_BASE_URL"]), ids_by_title(sb)
    with NotionCounter(sb.urls["notion"]) as counted:
        target = find_target(client, list(PARENT_TITLES), hint=chosen["Post-mortems"])
    assert (target.kind, target.id) == ("page", chosen["Post-mortems"]) and "of 2 pages and databases" in target.note
    assert counted.routes == {"POST /v1/search": 2, "GET /v1/pages/<id>": 1}
    stale = find_target(client, list(PARENT_TITLES), hint=chosen["Meeting notes 3"])  # not one of the titles
    assert stale.id == chosen["Post-mortems"]


def test_when_the_remembered_collection_is_unshared_the_next_run_finds_another(make_sandbox, tmp_path):
    sb = make_sandbox(workspace([page("Post Mortems", edited="2025-07-01T10:00:00Z"),
                                 page("Incident reviews", edited="2025-08-01T10:00:00Z")]))
    first = run_on(sb, tmp_path, incident="zap9")
    notion = sb.state("notion")
    notion.pages[ids_by_title(sb)["Incident reviews"]].shared = False  # someone removes the integration's access
    again = run_on(sb, tmp_path, incident="zap9")
    assert first["status"] == again["status"] == "published" and again["page"]["id"] != first["page"]["id"]
    assert notion.title_of(notion.pages[again["page"]["id"]].parent) == "Post Mortems"
