"""What updating the incident's page costs: a handful of requests however long the report, the same page and URL,
and what people added to the page kept."""

from __future__ import annotations

import pytest

from graph.evidence import Evidence
from graph.publish.notion import publish_report
from graph.sources.notion_store import NotionStore
from tests.graph.publish.test_notion import (
    OTHER,
    PARENT,
    blocks_for,
    children,
    client_for,
    notion_ws,
    pages_for_key,
    publish,
    report_of,
)
from tests.graph.publish.test_render import sample_evidence, sample_report
from tests.support.notion_count import NotionCounter


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(notion_ws(PARENT, OTHER))


@pytest.fixture
def store(sb, tmp_path):
    return NotionStore(tmp_path / "notion-cache.sqlite", sb.env["NOTION_BASE_URL"], sb.env["NOTION_TOKEN"])


def long_blocks(summary: str = "The code was never activated.") -> list[dict]:
    evidence = sample_evidence() + [
        Evidence(id=f"E{i}", source="slack", ref=f"C1/{i}", channel="ops", url=f"https://slack.test/p{i}",
                 at="2025-08-04T10:00:00Z", author="Tom", text=f"note {i}") for i in range(7, 257)]
    return blocks_for(sample_report(events=250, summary=summary), evidence)


def add_sub_page(sb, page_id: str) -> str:
    return client_for(sb).pages.create(parent={"page_id": page_id}, properties={
        "title": {"title": [{"text": {"content": "Review notes"}}]}})["id"]


def test_an_update_costs_a_handful_of_requests_and_keeps_the_url_and_a_sub_page(sb, store):
    first = publish(sb, store=store)
    notes = add_sub_page(sb, first["id"])
    with NotionCounter(sb.urls["notion"]) as update:
        again = publish(sb, blocks_for(sample_report(summary="Second draft: never switched live.")), store=store)
    assert again["action"] == "updated" and again["id"] == first["id"] and again["url"] == first["url"]
    # the page and its head, the new report in one request, the old one gone in one
    assert update.total <= 5 and update.count("DELETE", "/v1/blocks/") == 1, update.routes
    blocks = report_of(client_for(sb), again["id"])
    assert blocks[0]["paragraph"]["rich_text"][0]["plain_text"].startswith("Incident key: summer25")
    assert [b["id"] for b in blocks if b["type"] == "child_page"] == [notes]
    texts = [r["plain_text"] for b in blocks for r in b.get(b["type"], {}).get("rich_text", [])]
    assert "Second draft: never switched live." in texts and sample_report().summary not in texts
    assert pages_for_key(client_for(sb), "summer25") == [first["id"]]


def test_a_long_report_is_written_in_few_requests_and_replaced_by_one_delete(sb, store):
    with NotionCounter(sb.urls["notion"]) as create:
        first = publish(sb, long_blocks(), store=store)
    with NotionCounter(sb.urls["notion"]) as update:
        again = publish(sb, long_blocks("Second draft."), store=store)
    assert again["id"] == first["id"]
    # 500+ blocks with 251 table rows: Notion takes 100 children a request, so 5 writes at least
    assert create.total <= 10 and update.total <= 10, (create.routes, update.routes)
    assert update.count("DELETE", "/v1/blocks/") == 1
    published = report_of(client_for(sb), again["id"])
    assert [b["type"] for b in published] == [b["type"] for b in long_blocks()]
    rows = children(client_for(sb), next(b for b in published if b["type"] == "table")["id"])
    assert len(rows) == 251


def test_without_the_store_the_page_is_still_found_and_a_persons_pages_are_not_opened(sb, store, tmp_path):
    first = publish(sb, store=store)
    elsewhere = NotionStore(tmp_path / "other.sqlite", sb.env["NOTION_BASE_URL"], sb.env["NOTION_TOKEN"])
    elsewhere.put_people([{"id": u, "name": n, "type": "person"} for u, (n, _) in sb.state("notion").people.items()])
    with NotionCounter(sb.urls["notion"]) as update:
        again = publish(sb, store=elsewhere)
    assert again["action"] == "updated" and again["id"] == first["id"]
    # the parent's children are listed; "Newsletter sent twice" was written by a person: never opened
    opened = {i.replace("-", "") for i in update.listed()}
    newsletter = next(p.id for p in sb.state("notion").pages.values() if "Newsletter" in sb.state("notion").title_of(p.id))
    assert newsletter.replace("-", "") not in opened and update.total <= 7, update.routes


def test_a_page_written_before_the_container_is_converted_once(sb, store):
    client = client_for(sb)
    flat = blocks_for()  # as earlier versions wrote it: the report's blocks at the page's top level
    title = {"title": {"title": [{"text": {"content": "Post-mortem: old layout"}}]}}
    page = client.pages.create(parent={"page_id": PARENT["id"]}, properties=title, children=flat[:100])
    notes = add_sub_page(sb, page["id"])
    again = publish(sb, store=store)
    assert again["action"] == "updated" and again["id"] == page["id"]
    top = children(client, page["id"])
    assert [b["type"] for b in top] == ["paragraph", "synced_block", "child_page"] and top[2]["id"] == notes
    with NotionCounter(sb.urls["notion"]) as update:
        publish(sb, store=store)
    assert update.count("DELETE", "/v1/blocks/") == 1


def test_a_remembered_parent_that_is_gone_is_looked_up_again(sb, store):
    store.put_parent("", "0f0e0d0c-0b0a-4090-8070-605040302010")  # e.g. a page deleted since the last run
    page = publish(sb, store=store)
    assert page["action"] == "created" and pages_for_key(client_for(sb), "summer25") == [page["id"]]
    assert store.parent("").replace("-", "") == PARENT["id"].replace("-", "")


def test_a_kept_page_is_not_touched(sb, store):
    first = publish(sb, store=store)
    before = report_of(client_for(sb), first["id"])
    title = "Post-mortem: anything"
    kept = publish_report(client_for(sb), blocks_for(), title, "summer25", parent_page_id=None,
                          made_from=["slack", "notion"], store=store)
    assert kept["action"] == "kept" and kept["sources"] == ["slack", "notion", "jira"]
    assert report_of(client_for(sb), first["id"]) == before
