"""The audience rule end to end: a report holds only what everyone who will see it may read, and no page ever
changes audience (member / non-member x public / private channel x command / mention / thread)."""

from __future__ import annotations

import pytest

from sandbox.notion.objects import page_url
from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.bot import (
    bot_pages,
    bot_parents,
    final_reply,
    page_link,
    page_text,
    running_bot,
    wait_done,
    wait_until,
)
from tests.support.workspaces import workspace_dict

SECRET = "board wants a briefing on the SUMMER25 refunds"
PUBLIC = "The code was inactive in the CMS"
RESTRICTED_PARENT = "55555555-5555-4555-8555-555555555555"


def workspace() -> dict:
    """#incidents is public; #leadership is private (dana and the bot); stefan is in neither private channel."""
    slack = {
        "team": {"id": "T0AUDNC01", "name": "Aud", "domain": "aud"},
        "users": [{"name": "dana", "real_name": "Dana Whitfield"}, {"name": "stefan", "real_name": "Stefan Ortiz"},
                  {"name": "postmortem", "real_name": "Postmortem", "is_bot": True}],
        "channels": [
            {"name": "incidents", "id": "C0INCIDNT1", "messages": [
                {"at": "2025-08-04T09:07:22Z", "user": "stefan",
                 "text": "Customers say the SUMMER25 code is rejected at checkout", "replies": [
                     {"at": "2025-08-04T09:08:00Z", "user": "dana", "text": PUBLIC + "."}]}]},
            {"name": "leadership", "id": "G0LEADRS1", "private": True, "members": ["dana", "postmortem"],
             "messages": [{"at": "2025-08-04T11:00:00Z", "user": "dana", "text": "The " + SECRET, "replies": [
                 {"at": "2025-08-04T11:05:00Z", "user": "dana", "text": "Legal needs the numbers by Friday"}]}]},
        ],
    }
    notion = {"users": [{"name": "dana", "email": "dana@aud.test"}], "pages": [
        {"title": "Post Mortems", "created": "2025-07-01T10:00:00Z", "author": "dana"},
        {"title": "Leadership reviews", "id": RESTRICTED_PARENT, "created": "2025-07-01T10:00:00Z", "author": "dana"}]}
    return workspace_dict(slack=slack, notion=notion)


@pytest.fixture
def sb():
    with Sandbox(parse_workspace(workspace(), "audience-test")) as sb:
        yield sb


def ask(drv, user: str, channel: str, how: str, thread_ts: str | None = None) -> tuple[str, dict]:
    """Ask as `user` in `channel` by slash command, mention, or bare mention in a thread; returns (thread, reply)."""
    if how == "command":
        seen = {p["ts"] for p in bot_parents(drv, channel)}
        assert drv.slash_command(user, channel, "summer25").status == 200
        ts = wait_until(lambda: [p for p in bot_parents(drv, channel) if p["ts"] not in seen], what="parent")[0]["ts"]
    else:
        ts = drv.mention(user, channel, "summer25" if how == "mention" else "", thread_ts=thread_ts).message_ts
        ts = thread_ts or ts
    return ts, final_reply(drv, channel, ts)


def thread_text(drv, channel: str, ts: str) -> str:
    return "\n".join(m.get("text", "") for m in drv.thread_messages(channel, ts))


def pages_by_parent(sb) -> dict[str, list]:
    out: dict[str, list] = {}
    for page in bot_pages(sb).values():
        out.setdefault(page.parent, []).append(page)
    return out


@pytest.mark.parametrize("user", ["dana", "stefan"])
@pytest.mark.parametrize("how", ["command", "mention"])
def test_from_a_public_channel_only_public_channels_are_read_whoever_asks(sb, tmp_path, user, how):
    with running_bot(sb, tmp_path) as (_, drv):
        ts, reply = ask(drv, user, "incidents", how)
        page = page_text(page_link(reply))
        assert PUBLIC in page and SECRET not in page and "leadership" not in page.lower()
        assert SECRET not in thread_text(drv, "incidents", ts)


def test_a_bare_mention_in_a_public_thread_stays_public(sb, tmp_path):
    parent = sb.state("slack").messages("C0INCIDNT1")[0].ts
    with running_bot(sb, tmp_path) as (_, drv):
        _, reply = ask(drv, "dana", "incidents", "thread", thread_ts=parent)
        assert SECRET not in page_text(page_link(reply))


@pytest.mark.parametrize("how", ["command", "mention"])
def test_from_a_private_channel_without_a_restricted_parent_the_report_stays_in_the_thread(sb, tmp_path, how):
    with running_bot(sb, tmp_path) as (bot, drv):
        ts, _ = ask(drv, "dana", "leadership", how)
        wait_done(bot, 1)  # the Markdown comes in several messages after the explanation
        thread = thread_text(drv, "leadership", ts)
        assert "private conversation" in thread and "NOTION_RESTRICTED_PARENT_PAGE_ID" in thread
        # its members get the whole report as Markdown in their own thread: the private message is in its evidence
        assert SECRET in thread and "## Evidence" in thread
        assert not bot_pages(sb)


def test_a_non_member_gets_nothing_from_a_private_channel(sb, tmp_path):
    with running_bot(sb, tmp_path, overrides={"notion_restricted_parent_page_id": RESTRICTED_PARENT}) as (_, drv):
        ts, reply = ask(drv, "stefan", "leadership", "command")
        assert "not a member" in reply["text"]
        assert SECRET not in thread_text(drv, "leadership", ts).replace("The " + SECRET, "")
        assert not bot_pages(sb)


def test_private_and_public_pages_never_update_each_other(sb, tmp_path):
    with running_bot(sb, tmp_path, overrides={"notion_restricted_parent_page_id": RESTRICTED_PARENT}) as (_, drv):
        _, public = ask(drv, "stefan", "incidents", "command")
        public_url = page_link(public)
        before = page_text(public_url)
        _, private = ask(drv, "dana", "leadership", "command")
        private_url = page_link(private)
        assert private_url != public_url
        restricted = page_text(private_url)
        assert SECRET in restricted and "Restricted: this report uses messages from the private" in restricted
        _, again = ask(drv, "dana", "leadership", "mention")  # another way in, same audience: same page
        assert page_link(again) == private_url and "updated" in again["text"]
        leader_parent = sb.state("slack").messages("G0LEADRS1")[0].ts
        _, threaded = ask(drv, "dana", "leadership", "thread", thread_ts=leader_parent)
        _, public_again = ask(drv, "dana", "incidents", "mention")  # a member asking publicly: the public page
        assert page_link(public_again) == public_url
        assert page_text(public_url) == before  # dana's request did not flip its content
        by_parent = pages_by_parent(sb)
        notion = sb.state("notion")
        public_parent = next(pid for pid in notion.pages if notion.title_of(pid) == "Post Mortems")
        assert len(by_parent[public_parent]) == 1
        assert len(by_parent[RESTRICTED_PARENT]) == 1
        assert page_link(threaded) == private_url  # the thread is about SUMMER25 too: same incident, same audience
        url = lambda page: page_url(sb.urls["notion"], page.id, notion.title_of(page.id))  # noqa: E731
        for page in by_parent[public_parent]:
            assert SECRET not in page_text(url(page))
        for page in by_parent[RESTRICTED_PARENT]:
            assert "Restricted: this report uses messages" in page_text(url(page))
