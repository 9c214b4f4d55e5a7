"""How many Notion requests a run makes: few bodies read, cached across runs, at most 3 at once, no rate limit hit."""

from __future__ import annotations

import threading
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx

from graph.configuration import Configuration
from graph.sources.notion import NotionSource
from graph.sources.notion_store import NotionStore
from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.graph import run_on
from tests.support.notion_count import NotionCounter
from tests.support.workspaces import workspace_dict

PLAN = "23e39f4d-e219-80f4-9d1a-77b2c4e8a901"  # "July 25 Launch Campaign Plan": SUMMER25 only in its body
SUPPORT = "24539f4d-e219-80b7-95e0-3d1c8f4a7b62"  # "Checkout issues – notes from support": idem, linked from nowhere
PROMO = "24539f4d-e219-8011-a3c2-c0de5a1e0425"  # "Promo Code Error – July 25 Launch Campaign": linked from Slack
FOUND = {"July 25 Launch Campaign Plan", "Checkout issues – notes from support",
         "Promo Code Error – July 25 Launch Campaign"}


def plain(ids) -> set[str]:
    return {i.replace("-", "") for i in ids}


def notion_titles(result: dict) -> set[str]:
    return {e["title"] for e in result["evidence"] if e["source"] == "notion"}


def test_summer25_takes_at_most_10_notion_requests_then_12_and_still_finds_the_pages_named_only_in_their_body(
        sb, tmp_path):
    with NotionCounter(sb.urls["notion"]) as first:
        created = run_on(sb, tmp_path)
    with NotionCounter(sb.urls["notion"]) as again:
        updated = run_on(sb, tmp_path)
    assert created["page"]["action"] == "created" and updated["page"]["action"] == "updated"
    assert first.total <= 10 and again.total <= 12, (first.routes, again.routes)
    # the newest edits of the window hold the pages whose title lacks the keyword; the first run read them
    assert notion_titles(created) == notion_titles(updated) == FOUND
    assert {PLAN, SUPPORT} <= set(first.listed())
    assert first.count("GET", "/v1/users") == 1 and first.count("GET", "/v1/users/") == 0  # one list, no per-page


def test_a_rerun_with_nothing_changed_reads_no_page_body(sb, tmp_path):
    first = run_on(sb, tmp_path)
    with NotionCounter(sb.urls["notion"]) as again:
        run_on(sb, tmp_path)
    # the one children listing left is the report page's own head, read to replace its content
    assert plain(again.listed()) == plain([first["page"]["id"]])
    assert again.count("GET", "/v1/users") == 0  # the authors' names are stored too


def test_an_edited_page_is_read_again_and_only_it(sb, tmp_path):
    run_on(sb, tmp_path)
    person = httpx.Client(base_url=sb.urls["notion"] + "/v1/", headers={
        "Authorization": f"Bearer {sb.env['NOTION_TOKEN']}", "Notion-Version": "2022-06-28"})
    note = {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [
        {"type": "text", "text": {"content": "Update: SUMMER25 goodwill codes sent to 95 customers."}}]}}
    person.patch(f"blocks/{SUPPORT}/children", json={"children": [note]}).raise_for_status()
    with NotionCounter(sb.urls["notion"]) as again:
        result = run_on(sb, tmp_path)
    bodies = plain(again.listed()) - plain([result["page"]["id"]])
    assert plain([SUPPORT]) <= bodies and not bodies & plain([PLAN, PROMO])
    support = next(e for e in result["evidence"] if e["ref"] == SUPPORT)
    assert "goodwill codes sent to 95 customers" in support["text"]


def test_under_the_realistic_profile_no_request_is_rate_limited():
    """Notion allows 3 requests/s on average: the run paces itself rather than be told to wait (and retry)."""
    with Sandbox(profile="realistic") as sb, TemporaryDirectory() as tmp:
        with NotionCounter(sb.urls["notion"]) as first:
            created = run_on(sb, Path(tmp))
        with NotionCounter(sb.urls["notion"]) as again:
            updated = run_on(sb, Path(tmp))
    assert created["page"]["action"] == "created" and updated["page"]["action"] == "updated"
    assert first.limited == again.limited == 0 and first.total <= 10 and again.total <= 12


def test_bodies_are_read_at_most_three_at_a_time(make_sandbox, tmp_path):
    pages = [{"title": f"QUUX7 notes {i}", "created": f"2025-08-04T1{i}:00:00Z", "author": "ann",
              "content": f"- point {i}\n- it came up again"} for i in range(8)]
    sb = make_sandbox(workspace_dict(notion={"users": [{"name": "ann"}], "pages": pages}))
    sb.faults.set("notion", latency_s=0.05)  # long enough for reads to overlap
    cfg = Configuration(**{"notion_base_url": sb.urls["notion"], "notion_token": sb.env["NOTION_TOKEN"],
                           "notion_rate": 0.0, "checkpoint_db": str(tmp_path / "runs.sqlite")})
    source = NotionSource(cfg, store=NotionStore(tmp_path / "cache.sqlite", cfg.notion_base_url, cfg.notion_token))
    in_flight, most, lock, send = [0], [0], threading.Lock(), httpx.Client.send

    def counting(client, request, *a, **kw):
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        try:
            return send(client, request, *a, **kw)
        finally:
            with lock:
                in_flight[0] -= 1

    httpx.Client.send = counting
    try:
        found = source.gather({"terms": ["quux7"], "queries": ["quux7"],
                               "window": {"oldest": "2025-08-01T00:00:00Z", "latest": "2025-08-05T00:00:00Z"}})
    finally:
        httpx.Client.send = send
    assert len(found) == 8  # every one a title match: all read
    assert 1 < most[0] <= 3


def test_a_page_linked_from_the_evidence_is_fetched_from_the_store_when_unchanged(sb, tmp_path):
    cfg = Configuration(**{"notion_base_url": sb.urls["notion"], "notion_token": sb.env["NOTION_TOKEN"],
                           "notion_rate": 0.0, "checkpoint_db": str(tmp_path / "runs.sqlite")})
    first = NotionSource(cfg).fetch([PROMO.replace("-", "")])
    with NotionCounter(sb.urls["notion"]) as again:
        second = NotionSource(cfg).fetch([PROMO.replace("-", "")])
    assert [e.text for e in first] == [e.text for e in second] and "SUMMER25" in second[0].text
    assert second[0].author == "Stefan Ortiz"  # the name comes from the store
    assert again.routes == {"GET /v1/pages/<id>": 1}  # its last edit, nothing else


def test_a_burst_of_reads_is_paced_below_notions_rate_limit(tmp_path):
    """22 requests as fast as 3 at a time would go: Notion's 3/s (burst 10) would answer some with 429."""
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    pages = [{"title": f"QUUX7 notes {i}", "created": f"2025-08-04T1{i}:00:00Z", "author": "ann",
              "content": f"- point {i}\n{table}"} for i in range(10)]
    data = workspace_dict(notion={"users": [{"name": "ann"}], "pages": pages})
    with Sandbox(parse_workspace(data, "burst"), profile="realistic") as sb:
        cfg = Configuration(**{"notion_base_url": sb.urls["notion"], "notion_token": sb.env["NOTION_TOKEN"],
                               "notion_rate": 3.0, "checkpoint_db": str(tmp_path / "runs.sqlite")})
        with NotionCounter(sb.urls["notion"]) as counter:
            found = NotionSource(cfg).gather({"terms": ["quux7"], "queries": ["quux7"], "window": {
                "oldest": "2025-08-01T00:00:00Z", "latest": "2025-08-05T00:00:00Z"}})
    assert len(found) == 10 and all("1 | 2" in e.text for e in found)
    assert counter.total == 22 and counter.limited == 0
