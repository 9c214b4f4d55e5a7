"""Never failing silently: Notion down, a broken run, a rate-limited Slack — each told in the thread in plain words."""

from __future__ import annotations

import sqlite3

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_api import SlackAPI
from cli.commands import sandbox_overrides
from graph.runner import resume_incident
from sandbox.server import Sandbox
from tests.support.bot import bot_pages, bot_parents, replies, request, running_bot, wait_done


@pytest.fixture(scope="module")
def sb():
    with Sandbox() as sb:
        yield sb


@pytest.fixture(autouse=True)
def no_faults(sb):
    yield
    sb.faults.clear()


def test_notion_down_gives_the_report_as_markdown_in_the_thread_and_a_run_id_that_resumes(sb, tmp_path):
    pages = len(bot_pages(sb))
    sb.faults.set("notion", status=503)
    with running_bot(sb, tmp_path) as (bot, drv):
        request(drv, "incidents", "summer25")
        wait_done(bot, 1)  # the Markdown snippets follow the failure message: read the thread once the job is done
        thread = replies(drv, "incidents", bot_parents(drv, "incidents")[-1]["ts"])
    progress, failure, *snippets = thread
    assert "failed" in progress["text"]
    assert "couldn't publish it to Notion" in failure["text"] and "Notion is not answering" in failure["text"]
    run_id = failure["text"].split("postmortem resume ")[1].split("`")[0]
    assert snippets and all(s["text"].startswith("```") for s in snippets)
    markdown = "".join(s["text"] for s in snippets)
    assert "## Summary" in markdown and "SUMMER25" in markdown
    assert len(bot_pages(sb)) == pages
    sb.faults.clear()
    state = resume_incident(run_id, overrides=sandbox_overrides(sb) | {"checkpoint_db": str(tmp_path / "runs.sqlite")})
    assert state["page"]["action"] == "created" and len(bot_pages(sb)) == pages + 1


def test_a_run_that_breaks_is_reported_in_the_thread(sb, tmp_path):
    store = tmp_path / "old.sqlite"
    with sqlite3.connect(store) as db:  # a store left by an incompatible version: every checkpoint write fails
        db.execute("CREATE TABLE checkpoints (thread_id TEXT)")
    with running_bot(sb, tmp_path, overrides={"checkpoint_db": str(store)}) as (bot, drv):
        progress, failure = request(drv, "incidents", "summer25 broken store")
        wait_done(bot, 1)
    assert failure["text"].startswith(":x: Something went wrong") and "summer25 broken store" in failure["text"]
    assert "OperationalError" in failure["text"]
    assert "failed" in progress["text"]


def test_rate_limited_slack_is_retried_after_the_delay_it_asks_for(sb, tmp_path):
    with running_bot(sb, tmp_path) as (bot, drv):
        sb.faults.set("slack", status=429, count=2, retry_after=1)
        thread = request(drv, "general", "summer25 rate limits")
        wait_done(bot, 1)
    assert thread[-1]["text"].startswith("Post-mortem ")
    assert sb.faults.get("slack").seen == 2


def test_a_long_run_of_rate_limits_is_waited_out_not_given_up(sb, tmp_path):
    """Twenty jobs posting in one busy channel meet Slack's 1 message/s for a while; none may give up on it."""
    with running_bot(sb, tmp_path) as (bot, drv):
        sb.faults.set("slack", status=429, count=6, retry_after=1)  # more 429s in a row than ATTEMPTS
        thread = request(drv, "general", "summer25 busy channel")
        wait_done(bot, 1)
    assert thread[-1]["text"].startswith("Post-mortem ")
    assert sb.faults.get("slack").seen == 6


def test_server_errors_are_retried_but_slack_refusals_are_not(sb):
    api = SlackAPI(WebClient(token=sb.env["SLACK_BOT_TOKEN"], base_url=sb.env["SLACK_API_URL"]))
    sb.faults.set("slack", status=503, count=2)
    assert api.post_message("C0GENERAL1", "after two 503s")["ok"]
    sb.faults.set("slack", status=503, count=10)  # down for longer than the retries last
    with pytest.raises(SlackApiError):
        api.post_message("C0GENERAL1", "never")
    assert sb.faults.get("slack").seen == 4
    sb.faults.clear()
    with pytest.raises(SlackApiError) as err:
        api.post_message("C0NOSUCH01", "nowhere")
    assert err.value.response["error"] == "channel_not_found"
