"""Publishing through the Notion MCP server makes the page and the database row notion-client makes, call for call."""

from __future__ import annotations

import json

import pytest
import yaml

from graph.publish.database import publish_row
from graph.publish.notion import publish_report
from graph.publish.notion_io import make_client
from graph.sources.mcp.notion import NotionMcpClient
from graph.sources.mcp.session import McpHub
from graph.sources.notion_store import NotionStore
from sandbox.workspace.loader import BUNDLED
from tests.graph.publish.test_notion import OTHER, PARENT, blocks_for, children, notion_ws
from tests.graph.publish.test_render import sample_evidence, sample_report
from tests.graph.publish.test_update_cost import long_blocks
from tests.graph.sources.mcp.test_notion import notion_connection
from tests.support.notion_count import NotionCounter

TITLE = "Post-mortem: Promo code SUMMER25 rejected at checkout (2025-08-04)"
DB = "5c8e0f8a-1b2c-4d3e-8f90-a1b2c3d4e5f6"
JSONISH = ['{"code": "PROMO_EXPIRED", "status": 400}', "[1, 2]", '"[3]"']  # what the server would parse as JSON


def paragraph(content: str) -> dict:
    return {"object": "block", "type": "paragraph",
            "paragraph": {"rich_text": [{"type": "text", "text": {"content": content, "link": None},
                                         "annotations": {"code": True}}]}}


class Side:
    """One sandbox and the client that publishes to it: notion-client, or the adapter over the MCP server."""

    def __init__(self, sb, tmp_path, name: str, hub: McpHub | None = None):
        self.sb, self.reader = sb, make_client(sb.env["NOTION_TOKEN"], sb.env["NOTION_BASE_URL"])
        self.tools = hub.server("notion") if hub else None
        self.client = NotionMcpClient(self.tools) if hub else self.reader
        self.store = NotionStore(tmp_path / name / "notion.sqlite", sb.env["NOTION_BASE_URL"], sb.env["NOTION_TOKEN"])

    def publish(self, fn, *args, **kw) -> tuple[dict, int]:
        """What `fn` answers, and how many requests (notion-client) or tool calls (MCP) it took."""
        calls = self.tools.calls if self.tools else 0
        with NotionCounter(self.sb.urls["notion"]) as sent:
            page = fn(self.client, *args, **kw)
        return page, (self.tools.calls - calls if self.tools else sent.total)

    def tree(self, block_id: str) -> list:
        """The blocks under `block_id` as a reader sees them: type, settings, text runs, children; no ids, no times."""
        out = []
        for b in children(self.reader, block_id):
            data = b.get(b["type"]) or {}
            rich = data["cells"] if "cells" in data else [data.get("rich_text", [])]
            settings = {k: v for k, v in data.items() if k not in ("rich_text", "cells", "children")}
            out.append((b["type"], settings, [runs(r) for r in rich],
                        self.tree(b["id"]) if b.get("has_children") else []))
        return out


def runs(rich: list[dict]) -> list[tuple]:
    """Rich text as runs of one style and link: the same text in one item or two reads the same."""
    out: list[list] = []
    for t in rich:
        style = (t.get("href"), json.dumps(t.get("annotations"), sort_keys=True))
        if out and out[-1][1:] == list(style):
            out[-1][0] += t["plain_text"]
        else:
            out.append([t["plain_text"], *style])
    return [tuple(r) for r in out]


@pytest.fixture
def sides(make_sandbox, tmp_path, request):
    """Two copies of one workspace: notion-client publishes to the first, the MCP server to the second."""
    data = getattr(request, "param", None) or notion_ws(PARENT, OTHER)
    native_sb, mcp_sb = make_sandbox(data), make_sandbox(data)
    hub = McpHub({"notion": notion_connection(mcp_sb.env)})
    yield Side(native_sb, tmp_path, "native"), Side(mcp_sb, tmp_path, "mcp", hub)
    hub.close()


def test_a_created_then_updated_page_is_the_native_page_in_as_many_calls(sides):
    native, mcp = sides
    first = long_blocks() + [paragraph(t) for t in JSONISH]  # > 100 blocks, a 251-row table, JSON-looking text
    second = blocks_for(sample_report(summary="Second draft: the code was never switched live."), sample_evidence())
    for blocks, action in ((first, "created"), (second, "updated")):
        (want, want_n), (got, got_n) = (side.publish(publish_report, blocks, TITLE, "summer25", parent_page_id=None,
                                                     store=side.store) for side in sides)
        assert got["action"] == want["action"] == action and got["title"] == want["title"] == TITLE
        assert got_n == want_n
        assert mcp.tree(got["id"]) == native.tree(want["id"])
        assert mcp.reader.pages.retrieve(page_id=got["id"])["properties"] == \
            native.reader.pages.retrieve(page_id=want["id"])["properties"]
    texts = [r[0] for b in native.tree(want["id"])[1][3] for cell in b[2] for r in cell]
    assert "Second draft: the code was never switched live. " in texts and JSONISH[0] not in texts  # replaced


def test_the_server_itself_would_refuse_text_that_reads_as_json(sides):
    _, mcp = sides
    answer = mcp.tools.json("API-post-page", {"parent": {"page_id": PARENT["id"]},
                                              "properties": {"title": {"title": [{"text": {"content": "t"}}]}},
                                              "children": [paragraph(JSONISH[0])]})
    assert answer["status"] == 400 and answer["code"] == "validation_error" and "should be a string" in \
        answer["message"]  # why the adapter splits such text in two (graph/sources/mcp/notion_write.py)


def with_database() -> dict:
    data = yaml.safe_load((BUNDLED / "summer25.yaml").read_text())  # as tests/graph/publish/test_database.py
    data["notion"]["databases"] = [{"parent": "Post Mortems", "created": "2025-07-17T11:40:00Z", "title":
                                    "Post-mortems", "id": DB, "properties": {
                                        "Name": "title", "Incident date": "date", "Owner": "people",
                                        "Stage": {"status": ["Draft", "In review", "Published"]},
                                        "Incident key": "rich_text"}}]
    return data


@pytest.mark.parametrize("sides", [with_database()], indirect=True)
def test_a_database_row_is_the_native_row_in_as_many_calls(sides):
    native, mcp = sides
    for summary, action in (("First draft.", "created"), ("Second draft.", "updated")):
        blocks = blocks_for(sample_report(summary=summary), sample_evidence())
        (want, want_n), (got, got_n) = (side.publish(publish_row, blocks, TITLE, "summer25", database_id=DB,
                                                     started="2025-08-04T09:07:22Z", owners=["Priya Nair"])
                                        for side in sides)
        assert got["action"] == want["action"] == action and got_n == want_n
        assert mcp.tree(got["id"]) == native.tree(want["id"])
        props = [{k: (p["type"], p[p["type"]]) for k, p in side.reader.pages.retrieve(page_id=page["id"])[
            "properties"].items()} for side, page in ((native, want), (mcp, got))]
        assert props[0] == props[1] and props[1]["Owner"][1][0]["name"] == "Priya Nair"
