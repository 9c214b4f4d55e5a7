"""A workspace with nowhere to publish: the report still lands in the thread, and only the requester is told what
to set."""

from __future__ import annotations

import pytest

from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.bot import bot_parents, running_bot, wait_done, wait_until
from tests.support.workspaces import workspace_dict

REPORTED = "Customers say the ZAP9 code is rejected at checkout"


def workspace() -> dict:
    slack = {
        "team": {"id": "T0HINT001", "name": "Hint", "domain": "hint"},
        "users": [{"name": "dana", "real_name": "Dana Whitfield"}, {"name": "stefan", "real_name": "Stefan Ortiz"},
                  {"name": "postmortem", "real_name": "Postmortem", "is_bot": True}],
        "channels": [{"name": "incidents", "id": "C0INCHINT", "messages": [
            {"at": "2025-08-04T09:07:22Z", "user": "stefan", "text": REPORTED, "replies": [
                {"at": "2025-08-04T09:08:00Z", "user": "dana", "text": "ZAP9 was never activated, fixed now."}]}]}],
    }
    notion = {"users": [{"name": "dana"}], "pages": [  # shared pages, none with a post-mortem title
        {"title": "Team handbook", "created": "2025-07-01T10:00:00Z", "author": "dana"},
        {"title": "Q3 roadmap", "created": "2025-07-02T10:00:00Z", "author": "dana"}]}
    return workspace_dict(slack=slack, notion=notion)


@pytest.fixture
def sb():
    with Sandbox(parse_workspace(workspace(), "setup-hint")) as sb:
        yield sb


def test_nowhere_to_publish_posts_the_report_and_tells_only_the_requester_what_to_set(sb, tmp_path):
    with running_bot(sb, tmp_path) as (bot, drv):
        assert drv.slash_command("dana", "incidents", "zap9").status == 200
        wait_done(bot, 1)
        parent = wait_until(lambda: bot_parents(drv, "incidents"), what="the parent message")[-1]
        thread = "\n".join(m.get("text", "") for m in drv.thread_messages("incidents", parent["ts"]))
        assert "couldn't publish it to Notion" in thread and "no Notion page to publish under" in thread
        assert REPORTED in thread  # the report itself, as Markdown: nothing is lost
        assert "NOTION_PARENT_PAGE_ID" not in thread  # the setup is not the channel's business
        mine = [e["text"] for e in drv.ephemerals("dana")]
        assert any("NOTION_PARENT_PAGE_ID" in t and "postmortem doctor" in t for t in mine)
        assert any("Team handbook" in t for t in mine)  # the candidates, to pick one
        assert not [e for e in drv.ephemerals("stefan") if "NOTION_PARENT_PAGE_ID" in e["text"]]
