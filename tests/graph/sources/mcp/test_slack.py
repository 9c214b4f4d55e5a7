"""SlackSource through SlackMcpClient and the sandbox's Slack MCP server gives the evidence the native client gives;
what the reference tools cannot page to is reported as a gap; a server missing a tool says which."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient

from cli.commands import sandbox_overrides
from graph.configuration import Configuration
from graph.evidence import parse_iso
from graph.sources.base import SourceError
from graph.sources.mcp.config import load_config
from graph.sources.mcp.session import McpHub
from graph.sources.mcp.slack import SlackMcpClient
from graph.sources.slack import SlackSource
from graph.terms import extract_terms
from tests.support.workspaces import workspace_dict

ROOT = Path(__file__).resolve().parents[4]
PLAN = {"terms": extract_terms("summer25"), "seed_thread": None,
        "window": {"oldest": "2025-07-06T12:00:00Z", "latest": "2025-08-05T12:00:00Z"}}


def config(sb) -> Configuration:
    return Configuration(**{**sandbox_overrides(sb), "slack_user_token": ""})  # MCP has no search: both read histories


def identity(cfg: Configuration) -> dict:
    return WebClient(token=cfg.slack_bot_token, base_url=cfg.slack_api_url).auth_test().data


def hub_on(sb, **env) -> McpHub:
    """The `slack` server of mcp.sandbox.json, the file `postmortem run --via mcp` reads, against this sandbox."""
    return McpHub(load_config(ROOT / "mcp.sandbox.json", {**sb.env, "POSTMORTEM_PYTHON": sys.executable, **env}))


def seen(items) -> list[tuple]:
    return [(e.ref, e.at, e.url, e.author, e.text, e.kind, e.channel, e.thread_ts) for e in items]


@pytest.fixture(scope="module")
def cfg(summer25) -> Configuration:
    return config(summer25)


@pytest.fixture(scope="module")
def client(summer25, cfg):
    hub = hub_on(summer25)
    yield SlackMcpClient(hub.server("slack"), identity=identity(cfg))
    hub.close()


@pytest.fixture(scope="module")
def native(cfg) -> list:
    return SlackSource(cfg).gather(PLAN)


def test_gather_gives_the_same_evidence(cfg, client, native):
    source, api = SlackSource(cfg, client=client), SlackSource(cfg)
    assert seen(source.gather(PLAN)) == seen(api.gather(PLAN)) == seen(native)
    assert {e.kind for e in native} == {"message", "reply"} and len(native) > 10
    assert source.gaps == [] and source.scope == api.scope != [] and source.names() == api.names()


def test_fetch_and_around_give_the_same_evidence(cfg, client, native):
    reply = next(e for e in native if e.kind == "reply")
    refs = [f"{reply.ref}@{reply.thread_ts}", "C0NOTACHAN/1754000000.000100"]
    mcp, api = SlackSource(cfg, client=client), SlackSource(cfg)
    assert seen(mcp.fetch(refs)) == seen(api.fetch(refs)) != []
    matched = [e for e in native if e.matched]
    home = {e.ref.split("/")[0] for e in matched}
    start, end = parse_iso(matched[0].at), parse_iso(matched[-1].at)
    people, known = {e.author for e in matched}, {matched[0].ref}
    around = mcp.around(home, start, end, people, known, end + timedelta(hours=6))
    assert seen(around) == seen(api.around(home, start, end, people, known, end + timedelta(hours=6))) != []
    assert all(e.context for e in around)


def test_a_bad_token_fails_the_source_with_slacks_error(summer25, cfg):
    hub = hub_on(summer25, SLACK_BOT_TOKEN="xoxb-not-a-token")
    try:
        source = SlackSource(replace(cfg, slack_bot_token=""), client=SlackMcpClient(hub.server("slack"),
                                                                                     identity=identity(cfg)))
        with pytest.raises(SourceError, match=r"Slack users\.list failed: invalid_auth \(MCP server 'slack', "
                                              r"slack_get_users\)"):
            source.gather(PLAN)
    finally:
        hub.close()
    with pytest.raises(SourceError, match="SLACK_BOT_TOKEN is not set"):  # the native path still needs its token
        SlackSource(replace(cfg, slack_bot_token=""))


def test_history_beyond_what_the_tool_returns_is_a_gap_naming_the_channel(make_sandbox):
    start = parse_iso("2025-08-01T00:00:00Z")
    many = [{"at": (start + timedelta(minutes=i)).isoformat().replace("+00:00", "Z"), "user": "ann",
             "text": f"ZAP9 check {i}"} for i in range(1005)]
    slack = {"team": {"id": "T0TINY001", "name": "Tiny", "domain": "tiny"},
             "users": [{"name": "ann", "real_name": "Ann Lee"}], "channels": [{"name": "ops", "messages": many}]}
    sb = make_sandbox(workspace_dict(slack=slack))
    cfg, hub = config(sb), hub_on(sb)
    plan = {"terms": ["zap9"], "seed_thread": None,
            "window": {"oldest": "2025-07-31T00:00:00Z", "latest": "2025-08-05T12:00:00Z"}}
    try:
        source = SlackSource(cfg, client=SlackMcpClient(hub.server("slack"), identity=identity(cfg)))
        got, full = source.gather(plan), SlackSource(cfg).gather(plan)
        assert len(full) == 1005 and seen(got) == seen(full)[-999:]  # the newest 999, nothing made up
        gap, = source.gaps
        assert gap.startswith("#ops: ") and "999" in gap and "2025-07-31T00:00:00Z" in gap
        narrow = {**plan, "window": {"oldest": "2025-08-01T00:10:00Z", "latest": "2025-08-01T00:20:00Z"}}
        fresh = SlackSource(cfg, client=SlackMcpClient(hub.server("slack"), identity=identity(cfg)))
        assert seen(fresh.gather(narrow)) == seen(SlackSource(cfg).gather(narrow)) and fresh.gaps == []
    finally:
        hub.close()


class Canned:
    """ServerTools answering canned JSON, for the window and gap rules on their own."""

    server = "slack"

    def __init__(self, answers: dict):
        self.answers, self.asked = answers, []

    def require(self, needed):
        pass

    def json(self, tool, args):
        self.asked.append((tool, args))
        return self.answers[tool]


def test_the_window_is_cut_client_side_with_slacks_inclusive_rule():
    msgs = [{"ts": f"{t}.000100", "text": str(t)} for t in (105, 104, 103, 102, 101)]
    tools = Canned({"slack_get_channel_history": {"ok": True, "messages": msgs, "has_more": True},
                    "slack_get_thread_replies": {"ok": True, "messages": msgs[:2], "has_more": True},
                    "slack_list_channels": {"ok": True, "channels": [{"id": "C1", "name": "ops"}]}})
    client = SlackMcpClient(tools, identity={"url": "https://x.slack.com/"})
    window = {"channel": "C1", "oldest": "102.000100", "latest": "104.000100"}
    inclusive = client.conversations_history(**window, inclusive=True, limit=200).data
    assert [m["text"] for m in inclusive["messages"]] == ["104", "103", "102"] and not inclusive["has_more"]
    assert [m["text"] for m in client.conversations_history(**window).data["messages"]] == ["103"]
    assert tools.asked[0] == ("slack_get_channel_history", {"channel_id": "C1", "limit": 999})
    assert client.gaps == []  # the page reached back past the window's start
    client.conversations_list(types="public_channel,private_channel", limit=500)
    assert tools.asked[-1] == ("slack_list_channels", {"limit": 200})
    client.conversations_history(channel="C1", oldest="100.000000", latest="104.000100", inclusive=True)
    client.conversations_replies(channel="C1", ts="105.000100", limit=200)
    assert len(client.gaps) == 2 and all(g.startswith("#ops: ") for g in client.gaps)
    assert client.auth_test().data == {"ok": True, "url": "https://x.slack.com/"}


def test_a_server_without_a_needed_tool_is_named_with_what_it_offers(tmp_path):
    script = tmp_path / "tiny_slack.py"
    script.write_text("from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP('tiny')\n\n\n@mcp.tool()\n"
                      "def slack_list_channels(limit: int = 100) -> str:\n    return '{}'\n\n\nmcp.run()\n")
    hub = McpHub({"slack": {"transport": "stdio", "command": sys.executable, "args": [str(script)]}})
    try:
        with pytest.raises(SourceError) as caught:
            SlackMcpClient(hub.server("slack"), identity={})
    finally:
        hub.close()
    text = str(caught.value)
    assert "MCP server 'slack'" in text and "'slack_get_channel_history'" in text and "'slack_get_users'" in text
    assert "it offers: slack_list_channels" in text


def test_the_gather_node_says_it_read_through_mcp_and_carries_the_gap_into_the_result(make_sandbox, monkeypatch):
    from graph.nodes.gather import _gather
    from graph.result import build_result
    from graph.sources.mcp.session import close_all
    from tests.support.mcp import SANDBOX_CONFIG, sandbox_env

    start = parse_iso("2025-08-01T00:00:00Z")
    many = [{"at": (start + timedelta(minutes=i)).isoformat().replace("+00:00", "Z"), "user": "ann",
             "text": f"ZAP9 check {i}"} for i in range(1005)]
    sb = make_sandbox(workspace_dict(slack={"team": {"id": "T0TINY001", "name": "Tiny", "domain": "tiny"},
                                            "users": [{"name": "ann", "real_name": "Ann Lee"}],
                                            "channels": [{"name": "ops", "messages": many}]}))
    sandbox_env(sb, monkeypatch)
    config = {"configurable": {**sandbox_overrides(sb), "mcp_config": str(SANDBOX_CONFIG)}}
    plan = {"terms": ["zap9"], "seed_thread": None, "queries": ["zap9"],
            "window": {"oldest": "2025-07-31T00:00:00Z", "latest": "2025-08-05T12:00:00Z"}}
    try:
        update = _gather("slack", {"plan": plan}, config)
    finally:
        close_all()
    slack = update["slack"]
    assert (slack["status"], slack["via"], len(slack["items"])) == ("ok", "mcp", 999)
    summary = build_result("zap9", {"slack": slack})["sources"]["slack"]
    assert summary["via"] == "mcp" and summary["gaps"] == slack["gaps"] and "#ops" in summary["gaps"][0]
