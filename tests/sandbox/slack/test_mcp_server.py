"""sandbox.slack.mcp_server, a real subprocess over stdio and streamable HTTP: the reference server's read tools,
schemas and answers (the sandbox's Web API JSON as text, errors as text too)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from slack_sdk import WebClient

ROOT = Path(__file__).resolve().parents[3]
SERVER = [sys.executable, "-m", "sandbox.slack.mcp_server"]
# From src/slack/index.ts of @modelcontextprotocol/server-slack 0.6.2: required arguments, (type, default) of each.
REFERENCE = {
    "slack_list_channels": ([], {"limit": ("number", 100), "cursor": ("string", None)}),
    "slack_get_channel_history": (["channel_id"], {"channel_id": ("string", None), "limit": ("number", 10)}),
    "slack_get_thread_replies": (["channel_id", "thread_ts"], {"channel_id": ("string", None),
                                                               "thread_ts": ("string", None)}),
    "slack_get_users": ([], {"cursor": ("string", None), "limit": ("number", 100)}),
    "slack_get_user_profile": (["user_id"], {"user_id": ("string", None)}),
}


def stdio(env: dict) -> StdioServerParameters:
    return StdioServerParameters(command=SERVER[0], args=SERVER[1:], env={**os.environ, **env}, cwd=str(ROOT))


async def _session(where, calls: list[tuple[str, dict | None]]) -> dict:
    """The tool listing and each call's (isError, text), in one session."""
    opener = stdio_client(where) if isinstance(where, StdioServerParameters) else streamable_http_client(where)
    async with opener as streams, ClientSession(streams[0], streams[1]) as session:
        await session.initialize()
        listed = (await session.list_tools()).tools
        answers = []
        for name, args in calls:
            result = await session.call_tool(name, args)
            answers.append((result.isError, "".join(c.text for c in result.content)))
        return {"tools": listed, "answers": answers}


def run(where, calls) -> dict:
    return asyncio.run(_session(where, calls))


def compact(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)  # how JSON.stringify writes the answer


@pytest.fixture(scope="module")
def env(summer25) -> dict:
    return {"SLACK_BOT_TOKEN": summer25.env["SLACK_BOT_TOKEN"], "SLACK_API_URL": summer25.env["SLACK_API_URL"]}


@pytest.fixture(scope="module")
def web(env) -> WebClient:
    return WebClient(token=env["SLACK_BOT_TOKEN"], base_url=env["SLACK_API_URL"])


@pytest.fixture(scope="module")
def thread(web) -> tuple[str, str]:
    """A channel the bot is in and a thread in it."""
    for ch in web.conversations_list(types="public_channel", limit=200)["channels"]:
        if ch.get("is_member"):
            for m in web.conversations_history(channel=ch["id"], limit=200)["messages"]:
                if m.get("reply_count"):
                    return ch["id"], m["ts"]
    raise AssertionError("summer25 has no thread in a channel the bot is in")


@pytest.fixture(scope="module")
def http_url(env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*SERVER, "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
                            env={**os.environ, **env}, cwd=ROOT, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"the HTTP server did not start: {proc.stderr.read().decode()}") from None
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/mcp"
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module", params=["stdio", "http"])
def session(request, env, thread) -> dict:
    """One session per transport: every call the tests below look at."""
    ch, ts = thread
    calls = [("slack_list_channels", {}), ("slack_get_channel_history", {"channel_id": ch}),
             ("slack_get_channel_history", {"channel_id": ch, "limit": 999}),
             ("slack_get_thread_replies", {"channel_id": ch, "thread_ts": ts}),
             ("slack_get_users", {"limit": 2}), ("slack_get_users", {"limit": 500}),
             ("slack_get_channel_history", {}), ("slack_post_message", {"channel_id": ch, "text": "hi"}),
             ("slack_get_thread_replies", {"channel_id": ch, "thread_ts": "1.000001"})]
    where = stdio(env) if request.param == "stdio" else request.getfixturevalue("http_url")
    return run(where, calls)


def test_it_lists_exactly_the_reference_read_tools_with_their_schemas(session):
    tools = {t.name: t for t in session["tools"]}
    assert list(tools) == list(REFERENCE)
    for name, (required, props) in REFERENCE.items():
        schema = tools[name].inputSchema
        assert schema["type"] == "object" and schema.get("required", []) == required, name
        assert {k: (v["type"], v.get("default")) for k, v in schema["properties"].items()} == props, name
    assert tools["slack_get_channel_history"].description == "Get recent messages from a channel"


def test_answers_are_the_web_apis_json_as_text(session, web, thread):
    ch, ts = thread
    answers = session["answers"]
    assert not any(is_error for is_error, _ in answers)  # the reference never answers isError
    expected = [web.conversations_list(types="public_channel", exclude_archived=True, limit=100),
                web.conversations_history(channel=ch, limit=10), web.conversations_history(channel=ch, limit=999),
                web.conversations_replies(channel=ch, ts=ts)]
    for (_, text), want in zip(answers, expected, strict=False):
        assert text == compact(want.data)
    assert len(json.loads(answers[1][1])["messages"]) == 10  # the reference's default limit
    assert len(json.loads(answers[3][1])["messages"]) > 1


def test_users_page_by_cursor_and_the_limit_is_capped_at_200(session, web):
    first, capped = (json.loads(text) for _, text in session["answers"][4:6])
    want = web.users_list(limit=2).data
    assert first.pop("cache_ts") and want.pop("cache_ts")  # the sandbox's clock moves between the two calls
    assert first == want and first["response_metadata"]["next_cursor"]
    assert len(capped["members"]) == len(web.users_list(limit=200)["members"])


def test_errors_are_text_as_the_reference_gives_them(session):
    missing, unknown, no_thread = session["answers"][6:9]
    assert missing == (False, '{"error":"Missing required argument: channel_id"}')
    assert unknown == (False, '{"error":"Unknown tool: slack_post_message"}')  # its write tools are not offered
    assert no_thread == (False, '{"ok":false,"error":"thread_not_found"}')


def test_a_bad_token_or_an_unreachable_api_is_answered_as_text(env, thread):
    bad = run(stdio({**env, "SLACK_BOT_TOKEN": "xoxb-not-a-token"}),
              [("slack_get_channel_history", {"channel_id": thread[0]}), ("slack_list_channels", {})])
    assert bad["answers"] == [(False, '{"ok":false,"error":"invalid_auth"}')] * 2
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{s.getsockname()[1]}/api/"
    (is_error, text), = run(stdio({**env, "SLACK_API_URL": gone}), [("slack_get_users", {})])["answers"]
    assert not is_error and list(json.loads(text)) == ["error"]


def test_without_a_token_it_says_so_and_exits():
    env = {k: v for k, v in os.environ.items() if k != "SLACK_BOT_TOKEN"}
    done = subprocess.run(SERVER, env=env, cwd=ROOT, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode == 1 and "SLACK_BOT_TOKEN" in done.stderr
