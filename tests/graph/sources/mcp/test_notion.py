"""The Notion source read through @notionhq/notion-mcp-server (stdio) gives notion-client's evidence and errors."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from notion_client import APIResponseError

from cli.commands import sandbox_overrides
from graph.configuration import Configuration
from graph.nodes.gather import plan
from graph.publish.notion_io import PublishError
from graph.sources.base import SourceError
from graph.sources.mcp.config import load_config
from graph.sources.mcp.notion import NotionMcpClient
from graph.sources.mcp.session import McpHub, ServerTools
from graph.sources.notion import NotionSource, make_client
from graph.sources.retry import Budget
from sandbox.server import Sandbox
from tests.support.notion_count import NotionCounter

ROOT = Path(__file__).resolve().parents[4]
SERVER = ROOT / "tools/mcp/node_modules/.bin/notion-mcp-server"
FOUND = {"July 25 Launch Campaign Plan", "Checkout issues – notes from support",
         "Promo Code Error – July 25 Launch Campaign"}  # tests/graph/sources/test_notion_budget.py
PROMO = "24539f4d-e219-8011-a3c2-c0de5a1e0425"  # linked from Slack
MISSING = "0f0e0d0c-0b0a-4090-8070-605040302010"


def notion_connection(env: dict) -> dict:
    """The notion entry of mcp.sandbox.json, as `postmortem run --via mcp` starts it."""
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make mcp` to install the Notion MCP server", pytrace=False)
    return load_config(ROOT / "mcp.sandbox.json", env)["notion"]


@pytest.fixture(scope="module")
def sb():
    with Sandbox() as sandbox:  # this module's own summer25: its faults reach no other test
        yield sandbox


@pytest.fixture(scope="module")
def hub(sb):
    hub = McpHub({"notion": notion_connection(sb.env)})
    yield hub
    hub.close()


@pytest.fixture
def tools(hub) -> ServerTools:
    return hub.server("notion")


def config(sb, tmp_path: Path, side: str) -> Configuration:
    # NotionSource keeps page bodies and people beside the checkpoint db: each side gets its own, so both read
    return Configuration(**sandbox_overrides(sb) | {"checkpoint_db": str(tmp_path / side / "runs.sqlite")})


def summer25_plan(cfg: Configuration) -> dict:
    return plan({"incident": "summer25"}, {"configurable": vars(cfg)})["plan"]


def dumped(items) -> list[dict]:
    return [e.model_dump() for e in items]


def test_gather_and_fetch_give_the_native_evidence_with_one_tool_call_per_request(sb, tools, tmp_path):
    native_cfg, mcp_cfg = config(sb, tmp_path, "native"), config(sb, tmp_path, "mcp")
    the_plan = summer25_plan(native_cfg)
    native = NotionSource(native_cfg)
    via_mcp = NotionSource(mcp_cfg, client=NotionMcpClient(tools))
    with NotionCounter(sb.urls["notion"]) as sent:
        expected = native.gather(the_plan)
    before = tools.calls
    got = via_mcp.gather(the_plan)
    assert dumped(got) == dumped(expected)
    assert FOUND <= {e.title for e in got} and all(e.author for e in got)  # bodies and names were really read
    assert via_mcp.reader.read_ids and sorted(via_mcp.reader.read_ids) == sorted(native.reader.read_ids)
    assert tools.calls - before == sent.total

    refs = [e.ref for e in expected] + [PROMO, MISSING]  # a dead link is left out, on both sides
    fresh_native = NotionSource(config(sb, tmp_path, "native-fetch"))
    fresh_mcp = NotionSource(config(sb, tmp_path, "mcp-fetch"), client=NotionMcpClient(tools))
    fetched = fresh_mcp.fetch(refs)
    assert dumped(fetched) == dumped(fresh_native.fetch(refs))
    assert PROMO in {e.ref for e in fetched} and MISSING not in {e.ref for e in fetched}
    assert fresh_mcp.reader.read_ids  # its own store was empty


def test_a_server_without_a_needed_tool_is_refused_by_name(hub, tools):
    lacking = ServerTools(hub, "notion", {k: v for k, v in tools.tools.items() if k != "API-get-block-children"})
    with pytest.raises(SourceError) as err:
        NotionMcpClient(lacking)
    message = str(err.value)
    assert "'notion'" in message and "'API-get-block-children'" in message and "API-post-search" in message


def test_a_call_the_server_has_no_tool_for_fails_as_a_source_and_publish_error(hub, tools):
    no_update = NotionMcpClient(ServerTools(hub, "notion", {k: v for k, v in tools.tools.items()
                                                            if k != "API-update-a-block"}))
    with pytest.raises(SourceError) as err:
        no_update.blocks.update(block_id=MISSING, paragraph={"rich_text": []})
    assert isinstance(err.value, PublishError)  # graph/nodes/report.py reports it instead of crashing
    assert "'API-update-a-block'" in str(err.value) and "blocks.update" in str(err.value)
    with pytest.raises(SourceError, match="no tool for Notion's pages.move"):
        NotionMcpClient(tools).pages.move(page_id=MISSING, parent={"page_id": MISSING})


def test_a_notion_error_is_the_error_notion_client_raises(sb, tools, tmp_path):
    errors = []
    for client in (make_client(config(sb, tmp_path, "native")), NotionMcpClient(tools)):
        with pytest.raises(APIResponseError) as err:
            client.pages.retrieve(page_id=MISSING)
        errors.append(err.value)
    native, mcp = errors
    assert (mcp.status, mcp.code, str(mcp)) == (native.status, native.code, str(native)) == (
        404, "object_not_found", str(native))
    assert type(mcp) is type(native)


def source_error(source: NotionSource, page_id: str) -> str:
    with pytest.raises(SourceError) as err:
        source._call(source.client.pages.retrieve, page_id=page_id)
    return str(err.value)


def source(sb, tmp_path, budget_s: float, tools: ServerTools | None = None) -> NotionSource:
    """A native source, or one through the server's `tools`, whose budget starts now."""
    if tools is None:
        return NotionSource(config(sb, tmp_path, "native"), budget=Budget(budget_s))
    return NotionSource(config(sb, tmp_path, "mcp"), client=NotionMcpClient(tools), budget=Budget(budget_s))


def test_404_and_a_persistent_outage_give_the_native_messages_after_the_same_retries(sb, tools, tmp_path):
    # a budget of 1 s: the first retry's 0.5 s backoff fits in it, the second's 1 s does not
    missing = source_error(source(sb, tmp_path, 1.0), MISSING)
    assert source_error(source(sb, tmp_path, 1.0, tools), MISSING) == missing
    assert missing.startswith("Notion answered 404 ") and "Could not find page" in missing
    sb.faults.set("notion", status=503)
    try:
        down = source_error(source(sb, tmp_path, 1.0), PROMO)
        before = tools.calls
        assert source_error(source(sb, tmp_path, 1.0, tools), PROMO) == down
        assert down.startswith("Notion answered 503 ") and "after 2 attempts" in down
        assert tools.calls - before == 2
    finally:
        sb.faults.clear("notion")


def test_a_rate_limit_is_retried_and_the_page_read(sb, tools, tmp_path):
    native, mcp = source(sb, tmp_path, 10.0), source(sb, tmp_path, 10.0, tools)
    expected = native._call(native.client.pages.retrieve, page_id=PROMO)
    fault = sb.faults.set("notion", status=429, count=1, retry_after=1)
    try:
        before, started = tools.calls, time.monotonic()
        # the server drops Retry-After: the policy's 1 s default is waited, what the sandbox asked for here
        assert mcp._call(mcp.client.pages.retrieve, page_id=PROMO) == expected
        assert fault.seen == 1 and tools.calls - before == 2  # the server itself did not retry
        assert time.monotonic() - started >= 1.0
    finally:
        sb.faults.clear("notion")


def test_a_call_that_outlasts_the_timeout_reads_as_notion_clients_timeout(sb, tools, tmp_path):
    cfg = Configuration(**vars(config(sb, tmp_path, "native")) | {"http_timeout_s": 0.3})
    sb.faults.set("notion", latency_s=1.0)
    try:  # a budget too short for any retry
        native = source_error(NotionSource(cfg, budget=Budget(0.1)), PROMO)
        client = NotionMcpClient(tools, timeout_s=0.3)
        mcp = source_error(NotionSource(config(sb, tmp_path, "mcp"), client=client, budget=Budget(0.1)), PROMO)
        assert mcp == native == "Notion could not be reached (RequestTimeoutError)"
    finally:
        sb.faults.clear("notion")


def test_notion_out_of_reach_reads_as_for_notion_client(sb, tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    cfg = Configuration(**sandbox_overrides(sb) | {"notion_base_url": dead,
                                                   "checkpoint_db": str(tmp_path / "native" / "runs.sqlite")})
    hub = McpHub({"notion": notion_connection({**sb.env, "NOTION_BASE_URL": dead})})
    try:
        tools = hub.server("notion")
        native = source_error(NotionSource(cfg, budget=Budget(1.0)), PROMO)
        mcp = source_error(NotionSource(cfg, client=NotionMcpClient(tools), budget=Budget(1.0)), PROMO)
        assert mcp == native == "Notion could not be reached (ConnectError after 2 attempts)"
    finally:
        hub.close()
