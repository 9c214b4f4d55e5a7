"""Generated workspaces: valid for the strict loader, deterministic, the requested size, and served by the sandbox."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sandbox.generate.build import generate_workspace
from sandbox.workspace.loader import load_workspace, parse_workspace
from tests.support import ROOT

SIZES = {"messages": 2_000, "issues": 120, "pages": 60}


@pytest.fixture(scope="module")
def small() -> dict:
    return generate_workspace(**SIZES, seed=7)


def _message_count(ws) -> int:
    return sum(1 + len(m.replies) for c in ws.slack.channels for m in c.messages)


def test_small_workspace_passes_the_strict_loader_with_the_requested_sizes(small):
    ws = parse_workspace(small, "generated")
    assert _message_count(ws) == SIZES["messages"]
    assert len(ws.jira.issues) == SIZES["issues"]
    assert len(ws.notion.pages) == SIZES["pages"]
    assert sum(1 for c in ws.slack.channels for m in c.messages if m.replies) > 0
    assert any(c.private for c in ws.slack.channels)
    assert any(p.parent for p in ws.notion.pages), "pages should form a tree, not a flat list"


def test_same_seed_gives_the_same_workspace_and_another_seed_a_different_one(small):
    assert generate_workspace(**SIZES, seed=7) == small
    assert generate_workspace(**SIZES, seed=8) != small


def test_cli_writes_json_and_yaml_that_load_to_the_same_workspace(tmp_path):
    args = ["--messages=300", "--issues=20", "--pages=10", "--seed=3"]
    for name in ("ws.json", "ws.yaml"):
        subprocess.run([sys.executable, "-m", "sandbox.generate", *args, "--out", str(tmp_path / name)],
                       cwd=ROOT, check=True, capture_output=True)
    from_json, from_yaml = load_workspace(tmp_path / "ws.json"), load_workspace(tmp_path / "ws.yaml")
    assert _message_count(from_json) == 300
    assert from_json.model_dump() == from_yaml.model_dump()


def test_sandbox_serves_the_generated_history_through_slack_sdk(small, make_sandbox):
    from slack_sdk import WebClient

    sb = make_sandbox(small)
    ws = sb.workspace
    channel = max((c for c in ws.slack.channels if c.members is None or "postmortem" in c.members),
                  key=lambda c: len(c.messages))
    client = WebClient(token=sb.env["SLACK_BOT_TOKEN"], base_url=sb.env["SLACK_API_URL"])
    seen, cursor = [], None
    while True:
        resp = client.conversations_history(channel=channel.id, limit=100, cursor=cursor)
        seen += resp["messages"]
        cursor = resp.get("response_metadata", {}).get("next_cursor")
        if not cursor:
            break
    expected = sorted(channel.messages, key=lambda m: float(m.ts), reverse=True)
    assert [m["ts"] for m in seen] == [m.ts for m in expected]
    assert seen[0]["text"] == expected[0].text
