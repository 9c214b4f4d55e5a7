"""Publishing to the sandbox's Notion through notion-client over HTTP: native blocks, one page per incident, retries."""

from __future__ import annotations

import time

import pytest

from graph.evidence import Evidence
from graph.publish import notion_io
from graph.publish.blocks import report_blocks
from graph.publish.notion import page_title, publish_report
from graph.publish.notion_io import PublishError, make_client
from graph.terms import incident_key
from tests.graph.publish.test_render import OK, sample_evidence, sample_report
from tests.support.workspaces import workspace_dict

PARENT = {"title": "Post Mortems", "id": "23339f4d-e219-808c-86ab-d3e898053672", "parent": None,
          "created": "2025-07-17T11:36:00Z", "content": "Where we keep our incident reviews."}
OTHER = {"title": "Post-mortem: Newsletter sent twice (2025-06-12)", "parent": "Post Mortems",
         "created": "2025-07-17T14:02:00Z", "content": "# What happened\nThe newsletter went out twice."}


def notion_ws(*pages: dict) -> dict:
    return workspace_dict(notion={"users": [], "pages": list(pages)})


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(notion_ws(PARENT, OTHER))


def client_for(sb):
    return make_client(sb.env["NOTION_TOKEN"], sb.env["NOTION_BASE_URL"])


def blocks_for(report=None, evidence=None, incident="SUMMER25") -> list[dict]:
    return report_blocks(report or sample_report(), evidence or sample_evidence(), incident=incident,
                         analyzer="offline", sources=OK)


def publish(sb, blocks=None, incident="SUMMER25", **kw) -> dict:
    title = page_title(sample_report(), "2025-08-04T09:07:22Z")
    kw.setdefault("parent_page_id", None)
    return publish_report(client_for(sb), blocks or blocks_for(incident=incident), title, incident_key(incident), **kw)


def children(client, block_id: str) -> list[dict]:
    out, cursor = [], None
    while True:
        res = client.blocks.children.list(block_id=block_id, **({"start_cursor": cursor} if cursor else {}))
        out += res["results"]
        cursor = res.get("next_cursor")
        if not res["has_more"]:
            return out


def report_of(client, page_id: str) -> list[dict]:
    """The page's top-level blocks with the report's container (graph/publish/container.py) opened in place."""
    out = []
    for block in children(client, page_id):
        out += children(client, block["id"]) if block["type"] == "synced_block" else [block]
    return out


def pages_for_key(client, key: str) -> list[str]:
    found = []
    for child in children(client, PARENT["id"]):
        if child["type"] == "child_page":
            first = [b for b in children(client, child["id"]) if b["type"] != "child_page"][:1]
            rich = first[0].get(first[0]["type"], {}).get("rich_text", []) if first else []
            if f"Incident key: {key} " in "".join(r["plain_text"] for r in rich):
                found.append(child["id"])
    return found


def test_creates_a_page_of_native_blocks_under_post_mortems(sb):
    page = publish(sb)
    client = client_for(sb)
    assert page["action"] == "created"
    assert page["title"] == "Post-mortem: Promo code SUMMER25 rejected at checkout (2025-08-04)"
    assert client.pages.retrieve(page_id=page["id"])["url"] == page["url"]
    blocks = report_of(client, page["id"])
    types = [b["type"] for b in blocks]
    assert types[0] == "paragraph" and {"callout", "heading_2", "table", "to_do", "bulleted_list_item"} <= set(types)
    rows = children(client, next(b for b in blocks if b["type"] == "table")["id"])
    assert len(rows) == 5 and all(r["type"] == "table_row" for r in rows)
    assert rows[1]["table_row"]["cells"][3][0]["href"].endswith("/p1754298441")
    assert pages_for_key(client, "summer25") == [page["id"]]


def test_publishing_again_updates_the_same_page_and_replaces_its_content(sb):
    first = publish(sb)
    client = client_for(sb)
    old_ids = {b["id"] for b in report_of(client, first["id"])} - {report_of(client, first["id"])[0]["id"]}
    notes = client.pages.create(parent={"page_id": first["id"]},
                                properties={"title": {"title": [{"text": {"content": "Review notes"}}]}})
    report = sample_report(summary="Second draft: the code was never switched live.")
    again = publish(sb, blocks_for(report))
    assert again["action"] == "updated" and again["id"] == first["id"]
    blocks = report_of(client, again["id"])
    assert not old_ids & {b["id"] for b in blocks}  # the marker paragraph stays; the rest is new
    assert blocks[-1]["type"] == "child_page" and blocks[-1]["id"] == notes["id"]  # someone's sub-page survives
    assert blocks[0]["paragraph"]["rich_text"][0]["plain_text"].startswith("Incident key: summer25")
    texts = [r["plain_text"] for b in blocks for r in b.get(b["type"], {}).get("rich_text", [])]
    assert "Second draft: the code was never switched live." in texts
    assert len([b for b in blocks if b["type"] == "table"]) == 1
    assert pages_for_key(client, "summer25") == [first["id"]]
    assert publish(sb)["id"] == first["id"]  # still found with the sub-page above the report


def test_new_page_flag_makes_a_second_page_and_other_incidents_get_their_own(sb):
    first = publish(sb)
    second = publish(sb, new_page=True)
    other = publish(sb, incident="checkout outage")
    assert second["action"] == other["action"] == "created"
    assert len({first["id"], second["id"], other["id"]}) == 3
    client = client_for(sb)
    assert sorted(pages_for_key(client, "summer25")) == sorted([first["id"], second["id"]])
    assert pages_for_key(client, "checkout-outage") == [other["id"]]


def test_long_reports_and_tables_are_published_completely(sb):
    evidence = sample_evidence() + [
        Evidence(id=f"E{i}", source="slack", ref=f"C1/{i}", channel="ops", url=f"https://slack.test/p{i}",
                 at="2025-08-04T10:00:00Z", author="Tom", text=f"note {i}") for i in range(7, 257)]
    blocks = blocks_for(sample_report(events=250), evidence)
    assert len(blocks) > 200
    page = publish(sb, blocks)
    client = client_for(sb)
    published = report_of(client, page["id"])
    assert [b["type"] for b in published] == [b["type"] for b in blocks]
    rows = children(client, next(b for b in published if b["type"] == "table")["id"])
    assert len(rows) == 251
    assert rows[-1]["table_row"]["cells"][2][0]["plain_text"] == "Event 249 @someone"


def test_blocks_nested_deeper_than_one_request_allows_are_appended_afterwards(sb):
    def item(label, kids=()):
        body = {"rich_text": [{"type": "text", "text": {"content": label}}]}
        if kids:
            body["children"] = list(kids)
        return {"object": "block", "type": "bulleted_list_item", "bulleted_list_item": body}

    tree = item("level 1", [item("level 2", [item("level 3", [item("level 4")])])])
    page = publish(sb, blocks_for()[:1] + [tree])
    client = client_for(sb)
    node, labels = report_of(client, page["id"])[1], []
    while node:
        labels.append(node["bulleted_list_item"]["rich_text"][0]["plain_text"])
        node = (children(client, node["id"]) or [None])[0] if node["has_children"] else None
    assert labels == ["level 1", "level 2", "level 3", "level 4"]


def test_without_a_parent_page_the_error_says_how_to_share_one(make_sandbox):
    sb = make_sandbox(notion_ws())
    with pytest.raises(PublishError) as err:
        publish(sb)
    assert "NOTION_PARENT_PAGE_ID" in str(err.value) and "Connections" in str(err.value)


def test_an_unshared_parent_page_id_says_to_share_it(sb):
    with pytest.raises(PublishError) as err:
        publish(sb, parent_page_id="0f0e0d0c-0b0a-4090-8070-605040302010")
    assert "not shared with the integration" in str(err.value) and "Connections" in str(err.value)


def test_explicit_parent_page_id_is_used(sb):
    page = publish(sb, parent_page_id=PARENT["id"].replace("-", ""))
    assert pages_for_key(client_for(sb), "summer25") == [page["id"]]


def test_a_rate_limit_is_retried_after_retry_after(sb):
    fault = sb.faults.set("notion", status=429, count=1, retry_after=1)
    started = time.monotonic()
    page = publish(sb)
    assert page["action"] == "created" and fault.seen == 1
    assert time.monotonic() - started >= 1.0
    assert pages_for_key(client_for(sb), "summer25") == [page["id"]]


def test_a_short_outage_is_retried_and_a_persistent_one_fails_clearly(sb, monkeypatch):
    monkeypatch.setattr(notion_io, "BACKOFF_S", 0.01)
    sb.faults.set("notion", status=503, count=2)
    assert publish(sb)["action"] == "created"
    sb.faults.set("notion", status=503)
    with pytest.raises(PublishError) as err:
        publish(sb)
    assert err.value.code == "service_unavailable" and "after 4 attempts" in str(err.value)


def test_publishes_into_the_demo_workspace_next_to_existing_post_mortems(summer25):
    client = make_client(summer25.env["NOTION_TOKEN"], summer25.env["NOTION_BASE_URL"])
    title = page_title(sample_report(), "2025-08-04T09:07:22Z")
    key = "publish-test-demo"
    first = publish_report(client, blocks_for(incident=key), title, key, parent_page_id=None)
    again = publish_report(client, blocks_for(incident=key), title, key, parent_page_id=None)
    assert (first["action"], again["action"], again["id"]) == ("created", "updated", first["id"])
    assert pages_for_key(client, key) == [first["id"]]
