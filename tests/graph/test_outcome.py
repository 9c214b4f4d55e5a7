"""Runs that publish nothing on purpose: a complete page is not replaced by a partial one; nothing found, no page."""

from __future__ import annotations

import copy

from tests.support.graph import page_blocks, page_texts, report_pages, run_on

KEPT = ("The existing page was made from Slack, Notion and Jira; this run could not read Jira, so the page was not "
        "updated. Re-run with --force to overwrite.")
SMALL_BUDGET = {"source_budget_s": 1}  # a source that is down fails after one short retry


def snapshot(sb, page_id: str) -> list:
    return [(b.id, b.type, copy.deepcopy(b.data), b.edited) for b in page_blocks(sb, page_id)]


def test_a_rerun_with_a_source_down_keeps_the_complete_page_unless_forced(sb, tmp_path):
    first = run_on(sb, tmp_path)
    assert first["status"] == "published" and first["page"]["sources"] == ["slack", "notion", "jira"]
    assert "made from Slack, Notion, Jira" in page_texts(sb, first["page"]["id"])[0]
    before = snapshot(sb, first["page"]["id"])

    sb.faults.set("jira", status=503)
    kept = run_on(sb, tmp_path, overrides=SMALL_BUDGET)
    assert kept["status"] == "kept" and kept["message"] == KEPT and kept["missing"] == ["jira"]
    assert kept["page"]["id"] == first["page"]["id"] and kept["page"]["action"] == "kept"
    assert snapshot(sb, first["page"]["id"]) == before  # not one block touched
    assert kept["report"] and "## Summary" in kept["markdown"]  # this run's report is still there to read

    forced = run_on(sb, tmp_path, overrides=SMALL_BUDGET, force=True)
    assert forced["status"] == "updated" and forced["page"]["id"] == first["page"]["id"]
    assert forced["sources"]["jira"]["status"] == "failed" and "message" not in forced
    texts = page_texts(sb, first["page"]["id"])
    assert "made from Slack, Notion" in texts[0] and "Jira" not in texts[0]
    assert any("Some sources could not be read" in t and "Jira" in t for t in texts)

    again = run_on(sb, tmp_path, overrides=SMALL_BUDGET)  # the page now lacks Jira too: nothing more to lose
    assert again["status"] == "updated"
    sb.faults.clear()
    whole = run_on(sb, tmp_path)
    assert whole["status"] == "updated" and "made from Slack, Notion, Jira" in page_texts(sb, whole["page"]["id"])[0]
    assert len(report_pages(sb)) == 1


def test_nothing_found_publishes_nothing_and_says_what_was_searched(sb, tmp_path):
    notion = sb.state("notion")
    pages = set(notion.pages)
    events: list = []
    result = run_on(sb, tmp_path, incident="zebra unicorn", events=events)
    assert result["status"] == "no_evidence" and result["page"] is None and result["report"] is None
    assert set(notion.pages) == pages  # no page, not even an empty one
    assert [n for n, _ in events if n in ("analyze", "publish")] == []  # no model call about nothing either
    searched, window = result["searched"], result["window"]
    assert searched["terms"] == ["zebra", "unicorn"] and searched["window"] == window
    assert "marketing-ops" in searched["channels"] and searched["sources"] == ["slack", "notion", "jira"]
    message = result["message"]
    assert "zebra, unicorn" in message and window["oldest"] in message and window["latest"] in message
    assert "#marketing-ops" in message and "--since/--until" in message and "--channels" in message
    assert "other words" in message


def test_nothing_found_while_a_source_is_down_says_which_could_not_be_read(sb, tmp_path):
    sb.faults.set("notion", status=503)
    result = run_on(sb, tmp_path, incident="zebra unicorn", overrides=SMALL_BUDGET)
    assert result["status"] == "no_evidence" and result["searched"]["sources"] == ["slack", "jira"]
    assert "Notion could not be read (Notion answered 503" in result["message"]


def test_a_page_from_before_sources_were_recorded_is_still_updated(sb, tmp_path):
    first = run_on(sb, tmp_path)
    marker = page_blocks(sb, first["page"]["id"])[0]
    for item in marker.data["rich_text"]:  # as the previous version wrote it: no "made from …"
        for holder in (item, item.get("text") or {}):
            for field in ("plain_text", "content"):
                if field in holder:
                    holder[field] = holder[field].split(" · made from")[0]
    assert page_texts(sb, first["page"]["id"])[0] == "Incident key: summer25 · drafted by postmortem (offline)"
    sb.faults.set("jira", status=503)
    result = run_on(sb, tmp_path, overrides=SMALL_BUDGET)
    assert result["status"] == "updated" and result["page"]["id"] == first["page"]["id"]  # nothing says it had more
