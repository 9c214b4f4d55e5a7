"""Sources that stumble still get read: rate limits, 5xx and dropped connections are retried within a time budget."""

from __future__ import annotations

import pytest

from sandbox.faults import SERVICES
from tests.support.graph import page_texts, run_on


def counts(result: dict) -> dict[str, tuple[str, int]]:
    return {name: (s["status"], s["items"]) for name, s in result["sources"].items()}


def test_four_rate_limits_in_a_row_on_every_source_still_read_all_of_it(sb, tmp_path):
    faults = {s: sb.faults.set(s, status=429, count=4, retry_after=1) for s in SERVICES}
    limited = run_on(sb, tmp_path)
    assert [f.seen for f in faults.values()] == [4, 4, 4]  # every source was told to wait four times…
    sb.faults.clear()
    clean = run_on(sb, tmp_path)
    assert counts(limited) == counts(clean) and all(n for _, n in counts(clean).values())  # …and got everything
    assert limited["status"] == "published" and not any("not available" in n for n in limited["report"]["notes"])


@pytest.mark.parametrize("service", SERVICES)
def test_a_503_twice_is_retried(sb, tmp_path, service):
    fault = sb.faults.set(service, status=503, count=2)
    result = run_on(sb, tmp_path)
    assert fault.seen == 2
    assert result["sources"][service]["status"] == "ok" and result["sources"][service]["items"] > 0


def test_dropped_connections_are_retried(sb, tmp_path):
    faults = {s: sb.faults.set(s, drop=True, count=2) for s in SERVICES}
    result = run_on(sb, tmp_path)
    assert [f.seen for f in faults.values()] == [2, 2, 2]
    assert all(status == "ok" and n for status, n in counts(result).values())
    assert result["status"] == "published"


def test_a_source_down_beyond_its_budget_is_named_in_the_result_the_page_and_the_markdown(sb, tmp_path):
    fault = sb.faults.set("jira", status=503)
    result = run_on(sb, tmp_path, overrides={"source_budget_s": 1})
    jira = result["sources"]["jira"]
    assert jira["status"] == "failed" and "503" in jira["error"] and "attempts" in jira["error"]
    assert fault.seen < 4  # the budget ended it before the retry limit did
    assert result["status"] == "published" and result["sources"]["slack"]["status"] == "ok"
    texts = " ".join(page_texts(sb, result["page"]["id"]))
    assert "Some sources could not be read" in texts and "Jira (failed: Jira answered 503" in texts
    assert "made from Slack, Notion" in texts and "Jira (failed: Jira answered 503" in result["markdown"]


def test_a_retry_after_longer_than_the_budget_is_not_waited_for(sb, tmp_path):
    fault = sb.faults.set("jira", status=429, retry_after=30, count=5)
    result = run_on(sb, tmp_path, overrides={"source_budget_s": 5})
    assert fault.seen == 1  # one answer, then the source is reported instead of waiting 30 s
    assert result["sources"]["jira"]["status"] == "failed" and "429" in result["sources"]["jira"]["error"]
