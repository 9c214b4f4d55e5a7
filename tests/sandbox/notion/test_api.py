"""The Notion sandbox through the real notion_client.Client over HTTP: search, pages, blocks, limits, HTML view."""

from __future__ import annotations

import urllib.error
import urllib.request

import httpx
import pytest
from notion_client import APIResponseError, Client

from tests.support.openapi_check import validate_response
from tests.support.workspaces import workspace_dict

ROOT = "11111111-1111-4111-8111-111111111111"
REVIEW = "22222222-2222-4222-8222-222222222222"
SECRET = "33333333-3333-4333-8333-333333333333"
BANDS = "44444444-4444-4444-8444-444444444444"
REVIEW_BODY = """Checkout failed for **all** users. See [MKT-151](https://acme.atlassian.net/browse/MKT-151).
# What happened
The zebracorn flag was off.
## Timeline
- 09:00 deploy
- [x] rollback done
- [ ] add alert
| When | What |
|---|---|
| 09:00 | deploy <b> |
"""


def pages():
    return [
        {"title": "Post Mortems", "id": ROOT, "created": "2025-07-01T10:00:00Z", "author": "stefan",
         "content": "Where reviews live."},
        {"title": "Checkout outage review", "id": REVIEW, "parent": "Post Mortems", "created": "2025-08-01T10:00:00Z",
         "edited": "2025-08-02T10:00:00Z", "author": "mike", "content": REVIEW_BODY},
        {"title": "Campaigns", "created": "2025-06-01T10:00:00Z", "author": "stefan"},
        {"title": "Secret HR outage", "id": SECRET, "created": "2025-07-05T10:00:00Z", "shared": False},
        {"title": "Salary bands", "id": BANDS, "parent": SECRET, "created": "2025-07-06T10:00:00Z"},
    ]


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(workspace_dict(notion={"users": [{"name": "stefan", "email": "stefan@acme.test"},
                                                         {"name": "mike"}], "pages": pages()}))


@pytest.fixture
def notion(sb):
    return Client(auth=sb.env["NOTION_TOKEN"], base_url=sb.env["NOTION_BASE_URL"])


def titles(results):
    return [r["properties"]["title"]["title"][0]["plain_text"] for r in results]


def para(text: str) -> dict:
    return {"type": "paragraph", "paragraph": {"rich_text": [{"type": "text", "text": {"content": text}}]}}


def test_search_matches_titles_only_and_hides_unshared_pages(notion):
    res = notion.search(query="OUTAGE")
    validate_response("notion", "POST", "/v1/search", res)
    assert titles(res["results"]) == ["Checkout outage review"]
    assert res["type"] == "page_or_data_source"
    assert notion.search(query="zebracorn")["results"] == []  # a body-only word, as in real Notion
    assert notion.search(query="review checkout")["results"] == []  # the whole query is one substring
    assert titles(notion.search()["results"]) == ["Checkout outage review", "Post Mortems", "Campaigns"]


def test_search_sort_filter_and_pagination(notion):
    first = notion.search(page_size=2, sort={"timestamp": "last_edited_time", "direction": "ascending"})
    assert titles(first["results"]) == ["Campaigns", "Post Mortems"] and first["has_more"]
    rest = notion.search(page_size=2, start_cursor=first["next_cursor"],
                         sort={"timestamp": "last_edited_time", "direction": "ascending"})
    assert titles(rest["results"]) == ["Checkout outage review"]
    assert rest["has_more"] is False and rest["next_cursor"] is None
    assert notion.search(filter={"property": "object", "value": "data_source"})["results"] == []
    assert len(notion.search(filter={"property": "object", "value": "page"})["results"]) == 3
    with pytest.raises(APIResponseError) as err:
        notion.search(page_size=101)
    assert err.value.code == "validation_error"


def test_users_me_is_the_bot_and_users_lists_people(notion):
    me = notion.users.me()
    validate_response("notion", "GET", "/v1/users/me", me)
    assert me["type"] == "bot" and me["bot"]["owner"] == {"type": "workspace", "workspace": True}
    listed = notion.users.list()
    validate_response("notion", "GET", "/v1/users", listed)
    people = listed["results"]
    assert {"stefan", "mike", "Postmortem"} <= {u["name"] for u in people}
    stefan = next(u for u in people if u["name"] == "stefan")
    one = notion.users.retrieve(stefan["id"])
    assert one["person"]["email"] == "stefan@acme.test"


def test_workspace_content_is_real_blocks_with_child_pages_last(notion):
    kids = notion.blocks.children.list(REVIEW)
    validate_response("notion", "GET", f"/v1/blocks/{REVIEW}/children", kids)
    types = [b["type"] for b in kids["results"]]
    assert types == ["paragraph", "heading_1", "paragraph", "heading_2", "bulleted_list_item", "to_do", "to_do",
                     "table"]
    rich = kids["results"][0]["paragraph"]["rich_text"]
    assert rich[1]["annotations"]["bold"] and rich[1]["plain_text"] == "all"
    assert rich[3]["href"] == "https://acme.atlassian.net/browse/MKT-151"
    assert [b["to_do"]["checked"] for b in kids["results"][5:7]] == [True, False]
    table = kids["results"][-1]
    assert table["has_children"] and table["table"]["has_column_header"]
    rows = notion.blocks.children.list(table["id"])["results"]
    assert [c[0]["plain_text"] for c in rows[1]["table_row"]["cells"]] == ["09:00", "deploy <b>"]
    root = notion.blocks.children.list(ROOT)["results"]
    assert [b["type"] for b in root] == ["paragraph", "child_page"]
    assert root[1]["child_page"]["title"] == "Checkout outage review" and root[1]["id"] == REVIEW


def test_create_page_then_retrieve_and_page_through_many_children(notion, sb):
    page = notion.pages.create(parent={"page_id": ROOT}, icon={"emoji": "🔥"},
                               properties={"title": {"title": [{"text": {"content": "Promo: code error (Aug 4)"}}]}},
                               children=[para(f"intro {i}") for i in range(50)])
    validate_response("notion", "POST", "/v1/pages", page)
    assert page["url"] == f"{sb.env['NOTION_BASE_URL']}/Promo-code-error-Aug-4-{page['id'].replace('-', '')}"
    assert page["parent"] == {"type": "page_id", "page_id": ROOT} and page["icon"]["emoji"] == "🔥"
    for batch in range(3):
        out = notion.blocks.children.append(page["id"], children=[para(f"b{batch}-{i}") for i in range(100)])
        validate_response("notion", "PATCH", f"/v1/blocks/{page['id']}/children", out)
        assert len(out["results"]) == 100 and out["results"][0]["parent"]["page_id"] == page["id"]
    texts, cursor, calls = [], None, 0
    while True:
        res = notion.blocks.children.list(page["id"], **({"start_cursor": cursor} if cursor else {}))
        calls += 1
        texts += [b["paragraph"]["rich_text"][0]["plain_text"] for b in res["results"]]
        if not res["has_more"]:
            break
        cursor = res["next_cursor"]
    assert calls == 4 and len(texts) == 350 and texts[49:51] == ["intro 49", "b0-0"] and texts[-1] == "b2-99"
    got = notion.pages.retrieve(page["id"])
    validate_response("notion", "GET", f"/v1/pages/{page['id']}", got)
    assert got["properties"]["title"]["title"][0]["plain_text"] == "Promo: code error (Aug 4)"
    assert titles(notion.search(query="promo")["results"]) == ["Promo: code error (Aug 4)"]
    assert notion.blocks.children.list(ROOT)["results"][-1]["id"] == page["id"]
    assert sb.state("notion").pages[page["id"]].parent == ROOT


def test_append_nested_children_and_after(notion):
    table = {"type": "table", "table": {"table_width": 2, "has_column_header": True, "children": [
        {"type": "table_row", "table_row": {"cells": [[{"text": {"content": h}}] for h in ("Owner", "Task")]}},
        {"type": "table_row", "table_row": {"cells": [[{"text": {"content": h}}] for h in ("Mike", "Alert")]}}]}}
    bullet = {"type": "bulleted_list_item", "bulleted_list_item": {
        "rich_text": [{"text": {"content": "parent"}}], "children": [para("child")]}}
    first = notion.blocks.children.list(ROOT)["results"][0]["id"]
    made = notion.blocks.children.append(ROOT, children=[table, bullet], after=first)["results"]
    assert [b["type"] for b in notion.blocks.children.list(ROOT)["results"]] == [
        "paragraph", "table", "bulleted_list_item", "child_page"]
    rows = notion.blocks.children.list(made[0]["id"])["results"]
    assert [r["table_row"]["cells"][0][0]["plain_text"] for r in rows] == ["Owner", "Mike"]
    assert rows[0]["parent"] == {"type": "block_id", "block_id": made[0]["id"]}
    assert made[1]["has_children"]
    with pytest.raises(APIResponseError) as err:  # a row wider than its table
        notion.blocks.children.append(made[0]["id"], children=[{"table_row": {"cells": [[], [], []]}}])
    assert err.value.code == "validation_error"


def _deep(levels: int) -> dict:
    block = para("leaf")
    for _ in range(levels - 1):
        block = {"type": "toggle", "toggle": {"rich_text": [], "children": [block]}}
    return block


@pytest.mark.parametrize("children, message", [
    ([para("x" * 2001)], "body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, "
                         "instead was `2001`."),
    ([para("x")] * 101, "body.children.length should be ≤ `100`, instead was `101`."),
    ([_deep(4)], "body.children[0].toggle.children[0].toggle.children[0].toggle.children should be not present"),
    ([{"type": "toggle", "toggle": {"rich_text": [], "children": [para("x")] * 10}}] * 91, "at most `1000` blocks"),
    ([{"type": "paragraph", "paragraph": {"rich_text": [{"text": {"content": "y" * 2000}}] * 3}}] * 100,
     "Request body too large"),
    ([{"type": "sparkle", "sparkle": {}}], "body.children[0].type should be a supported block type"),
])
def test_limits_are_enforced_like_notion(notion, children, message):
    with pytest.raises(APIResponseError) as err:
        notion.blocks.children.append(ROOT, children=children)
    assert err.value.code == "validation_error" and err.value.status == 400
    assert message in str(err.value)
    assert len(notion.blocks.children.list(ROOT)["results"]) == 2  # nothing half-written
    notion.blocks.children.append(ROOT, children=[_deep(3)])  # two levels of nesting are fine


def test_unshared_and_unknown_pages_are_not_found(notion):
    for call in (lambda: notion.pages.retrieve(SECRET), lambda: notion.blocks.children.list(BANDS),
                 lambda: notion.blocks.retrieve("0" * 32),
                 lambda: notion.pages.create(parent={"page_id": SECRET}, properties={})):
        with pytest.raises(APIResponseError) as err:
            call()
        assert err.value.code == "object_not_found" and err.value.status == 404
        assert "Make sure the relevant pages and databases are shared with your integration" in str(err.value)


def test_bad_token_and_bad_version(sb):
    with pytest.raises(APIResponseError) as err:
        Client(auth="ntn_wrong", base_url=sb.env["NOTION_BASE_URL"]).users.me()
    assert err.value.code == "unauthorized" and err.value.status == 401
    old = Client(auth=sb.env["NOTION_TOKEN"], base_url=sb.env["NOTION_BASE_URL"], notion_version="2022-06-28")
    assert old.search(query="campaigns")["type"] == "page_or_database"
    auth = {"Authorization": f"Bearer {sb.env['NOTION_TOKEN']}"}
    missing = httpx.get(sb.env["NOTION_BASE_URL"] + "/v1/users/me", headers=auth)
    assert missing.status_code == 400 and missing.json()["code"] == "missing_version"
    bad = httpx.get(sb.env["NOTION_BASE_URL"] + "/v1/users/me", headers={**auth, "Notion-Version": "2019-01-01"})
    assert bad.status_code == 400 and bad.json()["code"] == "validation_error"


def test_trash_page_and_delete_and_update_blocks(notion):
    trashed = notion.pages.update(REVIEW, in_trash=True)
    validate_response("notion", "PATCH", f"/v1/pages/{REVIEW}", trashed)
    assert trashed["in_trash"] and notion.pages.retrieve(REVIEW)["in_trash"]
    assert notion.search(query="checkout")["results"] == []
    assert [b["type"] for b in notion.blocks.children.list(ROOT)["results"]] == ["paragraph"]
    notion.pages.update(REVIEW, in_trash=False, properties={"title": {"title": [{"text": {"content": "Renamed"}}]}})
    assert titles(notion.search(query="renamed")["results"]) == ["Renamed"]
    todo = next(b for b in notion.blocks.children.list(REVIEW)["results"] if b["type"] == "to_do")
    updated = notion.blocks.update(todo["id"], to_do={"checked": False})
    validate_response("notion", "PATCH", f"/v1/blocks/{todo['id']}", updated)
    assert updated["to_do"]["checked"] is False and updated["to_do"]["rich_text"][0]["plain_text"] == "rollback done"
    gone = notion.blocks.delete(todo["id"])
    validate_response("notion", "DELETE", f"/v1/blocks/{todo['id']}", gone)
    assert gone["in_trash"] is True
    assert todo["id"] not in [b["id"] for b in notion.blocks.children.list(REVIEW)["results"]]
    again = notion.blocks.retrieve(todo["id"])
    validate_response("notion", "GET", f"/v1/blocks/{todo['id']}", again)
    assert again["in_trash"] is True
    page_block = notion.blocks.delete(REVIEW)
    assert page_block["type"] == "child_page" and notion.pages.retrieve(REVIEW)["in_trash"]


def test_html_view_shows_the_page_as_a_person_sees_it(notion, sb):
    url = notion.pages.retrieve(REVIEW)["url"]
    html = urllib.request.urlopen(url).read().decode()
    assert "<h1 class=title>Checkout outage review</h1>" in html and "<h2>What happened</h2>" in html
    assert '<a href="https://acme.atlassian.net/browse/MKT-151">MKT-151</a>' in html
    assert "<input type=checkbox disabled checked> rollback done" in html
    assert "<th>When</th>" in html and "<td>deploy &lt;b&gt;</td>" in html
    assert '<td class="nowrap">09:00</td>' in html  # times stay on one line; prose cells wrap
    root = urllib.request.urlopen(f"{sb.env['NOTION_BASE_URL']}/{ROOT.replace('-', '')}").read().decode()
    assert f'href="{url}"' in root  # child pages are links
    index = urllib.request.urlopen(sb.env["NOTION_BASE_URL"] + "/").read().decode()
    assert "Post Mortems" in index and "Secret HR" not in index
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{sb.env['NOTION_BASE_URL']}/Nope-{'9' * 32}")
