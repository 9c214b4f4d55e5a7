"""Who may ask, where, and what a report may draw on: allow-lists and the private-channel rule, end to end."""

from __future__ import annotations

import pytest

from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.bot import bot_pages, bot_parents, final_reply, page_link, page_text, running_bot, wait_until
from tests.support.workspaces import workspace_dict

SECRET = "SUMMER25 refunds cost us 12k, the board wants a briefing"


def workspace() -> dict:
    """#incidents is public; #leadership is private with dana and the bot in it, stefan outside."""
    slack = {
        "team": {"id": "T0PRIV001", "name": "Priv", "domain": "priv"},
        "users": [{"name": "dana", "real_name": "Dana Whitfield"}, {"name": "stefan", "real_name": "Stefan Ortiz"},
                  {"name": "mike", "real_name": "Mike Baptiste"},
                  {"name": "postmortem", "real_name": "Postmortem", "is_bot": True}],
        "channels": [
            {"name": "incidents", "id": "C0INCIDNT1", "messages": [
                {"at": "2025-08-04T09:07:22Z", "user": "stefan",
                 "text": "Customers say the SUMMER25 code is rejected at checkout", "replies": [
                     {"at": "2025-08-04T09:08:00Z", "user": "mike", "text": "The code was inactive in the CMS."}]}]},
            {"name": "leadership", "id": "G0LEADRS1", "private": True, "members": ["dana", "postmortem"],
             "messages": [{"at": "2025-08-04T11:00:00Z", "user": "dana", "text": SECRET}]},
            {"name": "ops-private", "id": "G0OPSPRV1", "private": True, "members": ["stefan", "mike"],
             "messages": [{"at": "2025-08-04T10:00:00Z", "user": "stefan", "text": "SUMMER25 side channel"}]},
        ],
    }
    notion = {"users": [{"name": "dana", "email": "dana@priv.test"}],
              "pages": [{"title": "Post Mortems", "created": "2025-07-01T10:00:00Z", "author": "dana"}]}
    return workspace_dict(slack=slack, notion=notion)


@pytest.fixture(scope="module")
def sb():
    with Sandbox(parse_workspace(workspace(), "private-test")) as sb:
        yield sb


def run_command(drv, user: str, channel: str, text: str) -> dict:
    seen = {p["ts"] for p in bot_parents(drv, channel)}
    assert drv.slash_command(user, channel, text).status == 200
    parent = wait_until(lambda: [p for p in bot_parents(drv, channel) if p["ts"] not in seen], what="the parent")[0]
    return final_reply(drv, channel, parent["ts"])


def test_a_public_report_never_includes_a_private_channel_even_for_its_members(sb, tmp_path):
    """The full member / non-member x public / private matrix is in test_audience.py."""
    with running_bot(sb, tmp_path) as (_, drv):
        stefans = page_text(page_link(run_command(drv, "stefan", "incidents", "summer25")))
        assert "inactive in the CMS" in stefans
        assert "board wants a briefing" not in stefans and "leadership" not in stefans
        danas = page_text(page_link(run_command(drv, "dana", "incidents", "summer25")))
        assert "board wants a briefing" not in danas  # #incidents will see it: #leadership stays out


def test_a_person_not_on_the_user_allow_list_is_refused_privately_and_nothing_is_written(sb, tmp_path):
    pages = len(bot_pages(sb))
    with running_bot(sb, tmp_path, POSTMORTEM_ALLOWED_USERS="dana, U0NOBODY1") as (bot, drv):
        d = drv.slash_command("mike", "incidents", "summer25")
        assert d.status == 200 and "not on the list" in d.body
        assert any("not on the list" in e["text"] for e in drv.ephemerals("mike"))
        m = drv.mention("mike", "incidents", "summer25")
        wait_until(lambda: len([e for e in drv.ephemerals("mike") if "not on the list" in e["text"]]) == 2,
                   what="the refusal of the mention")
        assert not [r for r in drv.thread_messages("incidents", m.message_ts)[1:] if r.get("bot_id")]
        assert not [p for p in bot_parents(drv, "incidents") if "<@" + sb.state("slack").user_by_name("mike").id in
                    p["text"]]
        assert len(bot_pages(sb)) == pages


def test_channel_allow_list_by_name_lets_requests_through_only_there(sb, tmp_path):
    with running_bot(sb, tmp_path, POSTMORTEM_ALLOWED_CHANNELS="#leadership") as (_, drv):
        d = drv.slash_command("dana", "incidents", "summer25")
        assert "can't be requested in this channel" in d.body and "#leadership" in d.body
        m = drv.mention("dana", "incidents", "summer25")  # events carry only ids: the bot looks the name up
        wait_until(lambda: [e for e in drv.ephemerals("dana") if "can't be requested" in e["text"]
                            and e["thread_ts"] is None and e["ts"] > m.message_ts], what="the mention's refusal")
        assert drv.slash_command("dana", "leadership", "summer25").body == ""
        assert wait_until(lambda: bot_parents(drv, "leadership"), what="the parent in #leadership")
