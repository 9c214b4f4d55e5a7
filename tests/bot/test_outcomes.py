"""In the thread, through the real bot: a page kept because a source is down, and a request that finds nothing."""

from __future__ import annotations

from tests.support.bot import bot_pages, request, running_bot, wait_done

SMALL_BUDGET = {"source_budget_s": 1}  # a source that is down fails after one short retry


def test_a_request_that_finds_nothing_makes_no_page_and_says_what_was_searched(sb, tmp_path):
    with running_bot(sb, tmp_path) as (bot, drv):
        progress, reply = request(drv, "incidents", "zebra unicorn")
        wait_done(bot, 1)
    assert bot_pages(sb) == {}
    assert "nothing found" in progress["text"]
    text = reply["text"]
    assert text.startswith(":mag: I found nothing about *zebra unicorn*, so I did not create a page.")
    assert "*zebra, unicorn*" in text and "2025-07-06 12:00:00 and 2025-08-05 12:00:00 UTC" in text
    assert "#incidents" in text and "other words" in text and "/invite @postmortem" in text


def test_a_rerun_with_jira_down_leaves_the_page_and_says_why_in_the_thread(sb, tmp_path):
    with running_bot(sb, tmp_path, overrides=SMALL_BUDGET) as (bot, drv):
        first = request(drv, "incidents", "summer25")
        wait_done(bot, 1)
        (page_id,) = bot_pages(sb)
        edited = sb.state("notion").pages[page_id].edited
        sb.faults.set("jira", status=503)
        progress, reply = request(drv, "incidents", "summer25")
        wait_done(bot, 2)
    assert first[-1]["text"].startswith("Post-mortem created")
    assert "page kept as it was" in progress["text"] and "Jira: unreachable" in progress["text"]
    text = reply["text"]
    assert text.startswith(":information_source: The existing page <http") and page_id.replace("-", "") in text
    assert "was made from Slack, Notion and Jira; this run could not read Jira (Jira answered 503" in text
    assert "so the page was not updated" in text and '`postmortem run "summer25" --force`' in text
    assert list(bot_pages(sb)) == [page_id] and sb.state("notion").pages[page_id].edited == edited
