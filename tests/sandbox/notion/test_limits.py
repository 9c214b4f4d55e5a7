"""Notion's documented request limits the sandbox enforces beyond test_api.py's: tables need rows, URLs ≤ 2000."""

from __future__ import annotations

import pytest
from notion_client import APIResponseError, Client

from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.workspaces import workspace_dict

ROOT = "11111111-1111-4111-8111-111111111111"


@pytest.fixture(scope="module")
def notion():
    data = workspace_dict(notion={"users": [], "pages": [
        {"title": "Post Mortems", "id": ROOT, "created": "2025-07-01T10:00:00Z"}]})
    with Sandbox(parse_workspace(data, "limits")) as sb:
        yield Client(auth=sb.env["NOTION_TOKEN"], base_url=sb.env["NOTION_BASE_URL"], retry=False)


def _row(*cells: str) -> dict:
    return {"type": "table_row", "table_row": {"cells": [[{"text": {"content": c}}] for c in cells]}}


def _rejected(notion, children) -> str:
    with pytest.raises(APIResponseError) as err:
        notion.pages.create(parent={"page_id": ROOT}, properties={"title": [{"text": {"content": "t"}}]},
                            children=children)
    assert err.value.status == 400 and err.value.code == "validation_error"
    return str(err.value)


def test_a_table_needs_at_least_one_row(notion):
    empty = {"type": "table", "table": {"table_width": 2, "has_column_header": True, "children": []}}
    assert "body.children[0].table.children.length should be ≥ `1`, instead was `0`." in _rejected(notion, [empty])
    bare = {"type": "table", "table": {"table_width": 2}}
    assert "body.children[0].table.children should be defined, instead was `undefined`." in _rejected(notion, [bare])
    ok = {"type": "table", "table": {"table_width": 2, "children": [_row("When", "What")]}}
    assert notion.pages.create(parent={"page_id": ROOT}, properties={"title": [{"text": {"content": "t"}}]},
                               children=[ok])["object"] == "page"


def test_a_link_longer_than_2000_characters_is_refused(notion):
    url = "https://example.test/" + "a" * 1980
    link = {"type": "paragraph", "paragraph": {"rich_text": [{"text": {"content": "x", "link": {"url": url}}}]}}
    assert "rich_text[0].text.link.url.length should be ≤ `2000`, instead was `2001`." in _rejected(notion, [link])
    link["paragraph"]["rich_text"][0]["text"]["link"]["url"] = url[:-1]
    notion.blocks.children.append(ROOT, children=[link])
