"""The Notion rows: the token, where reports go, and whether the integration may add pages there."""

from __future__ import annotations

from doctor.notion import PROBE_TITLE, check_notion
from tests.doctor.support import config, row
from tests.support.bot import bot_pages
from tests.support.workspaces import workspace_dict

UNSHARED = "0f0e0d0c-0b0a-4090-8070-605040302010"


def test_a_working_notion_setup_passes_and_leaves_nothing_live_behind(sb):
    before = set(bot_pages(sb))
    rows = check_notion(config(sb))
    assert [(r.check, r.status) for r in rows] == [
        ("Notion token", "ok"), ("Notion publish target", "ok"), ("Notion write access", "ok")]
    assert row(rows, "Notion token").detail == "valid: integration 'Postmortem' in Acme"
    target = row(rows, "Notion publish target").detail
    assert target.startswith("page 'Post Mortems' (") and target.endswith("), found by its title")
    (probe,) = [p for pid, p in bot_pages(sb).items() if pid not in before]
    assert probe.in_trash, "the test page is in the trash once the check is done"


def test_a_configured_parent_page_is_the_target(sb):
    parent = sb.state("notion")
    page_id = next(pid for pid, p in parent.pages.items() if "".join(t["plain_text"] for t in p.title)
                   == "Campaigns")
    good = row(check_notion(config(sb, notion_parent_page_id=page_id)), "Notion publish target")
    assert good.status == "ok" and good.detail == f"page 'Campaigns' ({page_id}), as configured"


def test_notion_down_fails_the_token_row_and_skips_the_rest(sb):
    sb.faults.set("notion", status=503)
    rows = check_notion(config(sb))
    bad = row(rows, "Notion token")
    assert (bad.status, bad.detail) == ("fail", "Notion is not answering (503 service_unavailable)")
    assert "run postmortem doctor again" in bad.fix
    assert [r.status for r in rows[1:]] == ["skip", "skip"]


def test_a_wrong_or_missing_token_says_where_to_copy_one(summer25):
    bad = row(check_notion(config(summer25, notion_token="ntn_wrong")), "Notion token")
    assert (bad.status, bad.detail) == ("fail", "Notion refused NOTION_TOKEN (401 unauthorized)")
    assert "Internal Integration Secret" in bad.fix
    unset = row(check_notion(config(summer25, notion_token="")), "Notion token")
    assert unset.status == "fail" and unset.detail.startswith("NOTION_TOKEN is not set")


def test_a_workspace_without_a_parent_page_fails_naming_candidates(make_sandbox):
    sb = make_sandbox(workspace_dict(notion={"users": [], "pages": [
        {"title": "Brand guidelines", "created": "2025-07-01T10:00:00Z", "content": "Logos."}]}))
    rows = check_notion(config(sb))
    bad = row(rows, "Notion publish target")
    assert (bad.status, bad.detail) == ("fail", "no page or database to publish under")
    assert "NOTION_PARENT_PAGE_ID" in bad.fix and "'Brand guidelines' (id " in bad.fix
    assert row(rows, "Notion write access").status == "skip"
    assert not bot_pages(sb), "no test page is made without a target"


def test_a_parent_page_not_shared_fails_saying_how_to_share_it(summer25):
    bad = row(check_notion(config(summer25, notion_parent_page_id=UNSHARED)), "Notion publish target")
    assert bad.status == "fail" and bad.detail == f"The Notion page {UNSHARED} was not found"
    assert "Connections" in bad.fix


def test_a_database_target_is_found_and_written_to(make_sandbox):
    sb = make_sandbox(workspace_dict(notion={"users": [], "pages": [], "databases": [
        {"title": "Incident reviews", "properties": {"Name": "title", "Date": "date"}}]}))
    rows = check_notion(config(sb))
    found = row(rows, "Notion publish target")
    assert found.status == "ok" and found.detail.startswith("database 'Incident reviews' (")
    assert row(rows, "Notion write access").status == "ok"
    rows_made = [p for p in bot_pages(sb).values() if "".join(t["plain_text"] for t in p.title) == PROBE_TITLE]
    assert len(rows_made) == 1 and rows_made[0].in_trash
