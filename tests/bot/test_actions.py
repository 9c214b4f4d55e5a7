"""The buttons under a result, through the real bot and the sandbox: Jira tickets from action items (once, only for
the incident's people), Refresh, and a redraft approved or discarded."""

from __future__ import annotations

import json

import pytest

from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.actions_workspace import with_open_action_items
from tests.support.bot import bot_pages, page_text, replies, running_bot, wait_until
from tests.support.bot import request as ask
from tests.support.stub_openai import StubOpenAI

CHANNEL = "marketing-ops"


def result_message(drv, thread: list[dict]) -> dict:
    return next(m for m in reversed(thread) if m.get("bot_id") and m["text"].startswith("Post-mortem "))


def buttons(message: dict) -> dict[str, str]:
    return {e["action_id"]: e["text"]["text"] for b in message.get("blocks") or [] if b["type"] == "actions"
            for e in b["elements"]}


def jira_issues(sb) -> dict:
    return {r.key: r for r in sb.state("jira").issues}


def workspace():
    return parse_workspace(with_open_action_items(), "summer25-with-open-action-items")


@pytest.fixture
def asked(tmp_path):
    with Sandbox(workspace()) as sb, running_bot(sb, tmp_path) as (bot, drv):
        thread = ask(drv, CHANNEL, "summer25")
        yield sb, drv, thread[0]["thread_ts"] if thread[0].get("thread_ts") else thread[0]["ts"], result_message(
            drv, thread)


@pytest.fixture
def asked_over_socket(tmp_path):
    with Sandbox(workspace()) as sb, running_bot(sb, tmp_path, socket=True) as (bot, drv):
        assert drv.slash_command("stefan", CHANNEL, "summer25", via="socket").acked
        parent = wait_until(lambda: [m for m in drv.channel_messages(CHANNEL) if m.get("bot_id")
                                     and "requested by" in m["text"]], what="the parent")[-1]["ts"]
        reply = wait_until(lambda: [m for m in replies(drv, CHANNEL, parent) if m["text"].startswith("Post-mortem ")],
                           what="the result")[0]
        yield sb, drv, parent, reply


@pytest.mark.parametrize("via", ["http", "socket"])
def test_tickets_are_created_once_from_the_modal_written_on_the_page_and_the_reply(via, request):
    sb, drv, thread_ts, reply = request.getfixturevalue("asked" if via == "http" else "asked_over_socket")
    shown = buttons(reply)
    assert set(shown) == {"postmortem_tickets", "postmortem_refresh"} and shown["postmortem_tickets"].startswith(
        "Create Jira tickets (")
    before = jira_issues(sb)
    drv.click("stefan", CHANNEL, reply["ts"], "postmortem_tickets", via=via)
    (view,) = wait_until(lambda: drv.views("stefan"), what="the tickets modal")
    options = next(b for b in view["blocks"] if b.get("block_id") == "items")["element"]["options"]
    assert len(options) == int(shown["postmortem_tickets"].split("(")[1].rstrip(")"))
    first = drv.submit_view("stefan", via=via)
    assert first.acked and drv.views("stefan") == []
    told = wait_until(lambda: [m for m in replies(drv, CHANNEL, thread_ts) if m["text"].startswith(":ticket:")],
                      what="the tickets message")
    made = {k: v for k, v in jira_issues(sb).items() if k not in before}
    assert len(made) == len(options) and all(k in told[0]["text"] for k in made)
    # The reply now names the keys and offers no more tickets to create; the page's to-dos carry them.
    edited = next(m for m in drv.channel_messages(CHANNEL) + replies(drv, CHANNEL, thread_ts) if m["ts"] == reply["ts"])
    assert "postmortem_tickets" not in buttons(edited) and all(k in json.dumps(edited["blocks"]) for k in made)
    page = page_text(json.dumps(edited["blocks"]).split("|")[0].split("<")[-1])
    assert all(k in page for k in made)


def test_someone_outside_the_incident_cannot_open_the_tickets_form(asked):
    sb, drv, thread_ts, reply = asked
    assert drv.click("nina", CHANNEL, reply["ts"], "postmortem_tickets").status == 200
    said = wait_until(lambda: [m for m in replies(drv, CHANNEL, thread_ts) if "Only" in m["text"]] or
                      drv.ephemerals("nina"), what="the refusal")
    assert said and drv.views("nina") == []


def test_refresh_updates_the_same_page_in_the_thread(asked):
    sb, drv, thread_ts, reply = asked
    pages = len(bot_pages(sb))
    assert drv.click("stefan", CHANNEL, reply["ts"], "postmortem_refresh").status == 200
    updated = wait_until(lambda: [m for m in replies(drv, CHANNEL, thread_ts)
                                  if m["text"].startswith("Post-mortem updated")], what="the refreshed result")
    assert len(updated) == 1 and len(bot_pages(sb)) == pages


def test_a_redraft_by_the_model_shows_a_diff_and_approve_changes_only_that_section(tmp_path):
    with StubOpenAI() as stub, Sandbox(workspace()) as sb, running_bot(
            sb, tmp_path, overrides={"openai_api_key": "sk-test", "openai_base_url": stub.base_url}) as (bot, drv):
        thread = ask(drv, CHANNEL, "summer25")
        reply = result_message(drv, thread)
        thread_ts = reply.get("thread_ts") or reply["ts"]
        stub.enqueue_json({"text": "The SUMMER25 code was never switched to active in the CMS before the email.",
                           "evidence": ["E1"]})
        drv.mention("stefan", CHANNEL, "redraft root cause say it was never switched on", thread_ts=thread_ts)
        diff = wait_until(lambda: [m for m in replies(drv, CHANNEL, thread_ts) if m["text"].startswith("Redraft")],
                          what="the redraft diff")[0]
        assert "+ The SUMMER25 code was never switched to active" in json.dumps(diff["blocks"])
        assert set(buttons(diff)) == {"postmortem_redraft_approve", "postmortem_redraft_discard"}
        url = json.dumps(reply["blocks"]).split("<", 2)[1].split("|")[0]
        before = page_text(url)
        drv.click("stefan", CHANNEL, diff["ts"], "postmortem_redraft_approve")
        done = wait_until(lambda: [m for m in replies(drv, CHANNEL, thread_ts)
                                   if m["ts"] == diff["ts"] and "approved" in m["text"]], what="the approval")[0]
        assert buttons(done) == {}, "a decided redraft has no buttons left"
        after = page_text(url)
        assert "never switched to active in the CMS" in after and "never switched to active" not in before
        assert after.split("Root cause")[0] == before.split("Root cause")[0], "the sections above are untouched"


def test_an_unknown_project_makes_nothing_and_says_so_and_the_next_try_makes_the_tickets(asked):
    sb, drv, thread_ts, reply = asked
    before = jira_issues(sb)
    drv.click("stefan", CHANNEL, reply["ts"], "postmortem_tickets")
    wait_until(lambda: drv.views("stefan"), what="the tickets modal")
    drv.submit_view("stefan", values={"project": {"key": "NOPE"}})
    said = wait_until(lambda: [m for m in replies(drv, CHANNEL, thread_ts) if m["text"].startswith(":ticket:")],
                      what="the answer")[0]["text"]
    assert "no ticket made" in said and "NOPE" in said and jira_issues(sb).keys() == before.keys()
    drv.click("stefan", CHANNEL, reply["ts"], "postmortem_tickets")
    wait_until(lambda: drv.views("stefan"), what="the tickets modal again")
    drv.submit_view("stefan")
    wait_until(lambda: len([m for m in replies(drv, CHANNEL, thread_ts) if m["text"].startswith(":ticket:")]) == 2,
               what="the tickets made")
    made = jira_issues(sb).keys() - before.keys()
    assert len(made) == 2
    edited = next(m for m in replies(drv, CHANNEL, thread_ts) if m["ts"] == reply["ts"])
    assert set(buttons(edited)) == {"postmortem_refresh"}, "nothing left to create: the button is gone"
