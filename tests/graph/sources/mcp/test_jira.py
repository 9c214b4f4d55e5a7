"""Jira through mcp-atlassian 0.23.1 (stdio, mcp.sandbox.json) gives the native client's evidence on Data Center."""

from __future__ import annotations

from pathlib import Path

import pytest
from jira import JIRA

from cli.commands import sandbox_overrides
from graph.configuration import Configuration
from graph.nodes.gather import plan
from graph.sources import jira as native_jira
from graph.sources.base import SourceError
from graph.sources.jira import JiraSource
from graph.sources.mcp import jira as mcp_jira
from graph.sources.mcp.config import load_config
from graph.sources.mcp.jira import JiraMcpClient
from graph.sources.mcp.session import McpHub
from sandbox.server import Sandbox

ROOT = Path(__file__).resolve().parents[4]
SERVER = ROOT / ".mcp/atlassian/bin/mcp-atlassian"
FIELDS = {"ref", "key", "at", "url", "author", "title", "kind", "text", "matched", "score"}


@pytest.fixture(scope="module")
def dc():
    # mcp-atlassian takes its Server/Data Center path for a loopback URL: the sandbox presents as Data Center too.
    with Sandbox(jira_deployment="datacenter") as sb:
        yield sb


def _hub(sb: Sandbox, **env: str) -> McpHub:
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run `make mcp` to install the pinned mcp-atlassian")
    connections = load_config(ROOT / "mcp.sandbox.json", dict(sb.env))
    connections["jira"]["env"] |= env
    return McpHub({"jira": connections["jira"]})


@pytest.fixture(scope="module")
def tools(dc):
    hub = _hub(dc)
    yield hub.server("jira")
    hub.close()


@pytest.fixture(scope="module")
def cfg(dc) -> Configuration:
    return Configuration(**sandbox_overrides(dc))


def _plan(dc: Sandbox) -> dict:
    return plan({"incident": "summer25"}, {"configurable": sandbox_overrides(dc)})["plan"]


def _rows(items) -> list[dict]:
    return [e.model_dump(include=FIELDS) for e in items]


def test_the_summer25_gather_is_the_native_one(dc, tools, cfg):
    p = _plan(dc)
    native = JiraSource(cfg).gather(p)
    through_mcp = JiraSource(cfg, client=JiraMcpClient(tools)).gather(p)
    assert _rows(through_mcp) == _rows(native)
    assert {e.kind for e in native} == {"issue", "comment", "change"} and len(native) > 10
    assert any(e.key == "MKT-151" and e.at == "2025-08-04T09:12:00Z" and e.author == "Stefan Ortiz" for e in native)


def test_fetching_the_incident_s_keys_is_the_native_fetch(dc, tools, cfg):
    keys = sorted({e.key for e in JiraSource(cfg).gather(_plan(dc))}) + ["UTF-8", "MKT-99999"]  # two that are no issue
    native = _rows(JiraSource(cfg).fetch(keys))
    through_mcp = _rows(JiraSource(cfg, client=JiraMcpClient(tools)).fetch(keys))
    assert {r["key"] for r in native} == set(keys) - {"UTF-8", "MKT-99999"}
    # jira_get_issue passes descriptions and comments through its text cleaner, which strips them even with
    # DISABLE_JIRA_MARKUP_TRANSLATION (set in mcp.sandbox.json, so Jira's markup is not turned into Markdown):
    # a description's trailing newline is lost, nothing else.
    for a, b in zip(native, through_mcp, strict=True):
        assert a["text"].rstrip() == b["text"] and a["text"].startswith(b["text"])
        a["text"] = b["text"]
    assert through_mcp == native


def test_pages_are_followed_as_the_library_follows_them(dc, tools, monkeypatch):
    jql = "project = MKT ORDER BY key ASC"
    native = JIRA(server=dc.env["JIRA_URL"], basic_auth=(dc.env["JIRA_EMAIL"], dc.env["JIRA_API_TOKEN"]))
    expected = [i.key for i in native.search_issues(jql, maxResults=7, fields=["summary"])]
    monkeypatch.setattr(mcp_jira, "PAGE", 3)
    calls = tools.calls
    found = JiraMcpClient(tools).search_issues(jql, maxResults=7, fields=["summary"])
    assert [i.key for i in found] == expected and len(expected) == 7
    assert tools.calls - calls == 3  # 3 + 3 + 1
    everything = JiraMcpClient(tools).search_issues(jql, maxResults=native_jira.MAX_ISSUES, fields=["summary"])
    assert [i.key for i in everything] == [i.key for i in native.search_issues(jql, maxResults=False)]


def test_a_server_hiding_a_needed_tool_is_named_at_once(dc):
    hub = _hub(dc, ENABLED_TOOLS="jira_search")
    try:
        with pytest.raises(SourceError, match=r"MCP server 'jira' has no tool 'jira_get_issue' "
                                              r"\(it offers: jira_search\)"):
            JiraMcpClient(hub.server("jira"))
    finally:
        hub.close()


def test_times_in_a_zone_named_by_abbreviation_are_refused_not_guessed(dc, cfg):
    # mcp-atlassian writes an issue's created in its process's zone ('2025-08-04 11:12:00 CEST'): only UTC is exact.
    hub = _hub(dc, TZ="Europe/Berlin")
    try:
        with pytest.raises(SourceError, match=r"'2025-08-04 11:12:00 CEST'.*start it with TZ=UTC"):
            JiraSource(cfg, client=JiraMcpClient(hub.server("jira"))).fetch(["MKT-151"])
    finally:
        hub.close()
