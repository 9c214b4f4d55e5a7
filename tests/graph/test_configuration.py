"""Configuration from the environment, including the names the original demo used."""

from __future__ import annotations

import json

from graph.configuration import Configuration


def clear(monkeypatch):
    for name in ("NOTION_TOKEN", "NOTION_API_KEY", "OPENAPI_MCP_HEADERS", "POSTMORTEM_SLACK_CHANNELS", "POSTMORTEM_NOW"):
        monkeypatch.delenv(name, raising=False)


def test_notion_token_from_any_of_the_accepted_names(monkeypatch):
    clear(monkeypatch)
    monkeypatch.setenv("OPENAPI_MCP_HEADERS", json.dumps({"Authorization": "Bearer ntn_from_mcp",
                                                          "Notion-Version": "2022-06-28"}))
    assert Configuration().notion_token == "ntn_from_mcp"
    monkeypatch.setenv("NOTION_API_KEY", "ntn_api_key")
    assert Configuration().notion_token == "ntn_api_key"
    monkeypatch.setenv("NOTION_TOKEN", "ntn_token")
    assert Configuration().notion_token == "ntn_token"
    monkeypatch.setenv("OPENAPI_MCP_HEADERS", "not json")
    monkeypatch.delenv("NOTION_TOKEN")
    monkeypatch.delenv("NOTION_API_KEY")
    assert Configuration().notion_token == ""


def test_channels_now_and_overrides(monkeypatch):
    clear(monkeypatch)
    monkeypatch.setenv("POSTMORTEM_SLACK_CHANNELS", "#marketing-ops, incidents")
    monkeypatch.setenv("POSTMORTEM_NOW", "2025-08-05T12:00:00Z")
    cfg = Configuration()
    assert cfg.slack_channels == ["marketing-ops", "incidents"]
    assert cfg.current_time().isoformat() == "2025-08-05T12:00:00+00:00"
    over = Configuration.from_runnable_config({"configurable": {"token_budget": 500, "thread_id": "x"}})
    assert over.token_budget == 500 and over.slack_channels == ["marketing-ops", "incidents"]
