"""Helpers for the bot tests: a bot started in-process against a sandbox, and ways to read what Slack users see."""

from __future__ import annotations

import html
import json
import re
import socket
import time
import urllib.request
from contextlib import contextmanager

from bot.app_factory import serve_http, start_socket_mode
from bot.config import load_settings
from cli.commands import sandbox_overrides
from sandbox.slack.events import SlackDriver

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
LINK = re.compile(r"<(http[^|>]+)\|")


def bot_env(sb, socket: bool = False, **extra: str) -> dict:
    env = dict(sb.env)
    if not socket:
        env.pop("SLACK_APP_TOKEN")
    env.pop("OPENAI_API_KEY", None)
    return env | extra


@contextmanager
def running_bot(sb, tmp_path, socket: bool = False, overrides: dict | None = None, **env: str):
    """The bot serving the sandbox's Slack (HTTP or Socket Mode), its graph pointed at the sandbox, offline."""
    graph = sandbox_overrides(sb) | {"checkpoint_db": str(tmp_path / "runs.sqlite"), "openai_api_key": ""}
    settings = load_settings(bot_env(sb, socket, **env), graph | (overrides or {}))
    bot = start_socket_mode(settings, health_port=0) if socket else serve_http(settings, port=0, host="127.0.0.1")
    try:
        yield bot, SlackDriver(sb, None if socket else bot.url + "/slack/events")
    finally:
        bot.stop()


def get(url: str) -> tuple[int, str]:
    with _NO_PROXY.open(url, timeout=10) as resp:
        return resp.status, resp.read().decode()


def health(bot) -> dict:
    return json.loads(get(bot.url + "/healthz")[1])


def wait_until(check, timeout: float = 60, what: str = "the condition"):
    """Poll until `check()` is truthy (a guard against hanging, not a latency assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def wait_done(bot, n: int, timeout: float = 60) -> dict:
    """Wait until `n` jobs have finished in total (read from /healthz) and nothing is queued or running."""
    def idle():
        h = health(bot)
        return h if h["done"] >= n and not h["queued"] and not h["running"] else None
    return wait_until(idle, timeout=timeout, what=f"{n} finished post-mortems")


def bot_parents(drv, channel: str) -> list[dict]:
    """The bot's visible "Post-mortem for … requested by …" messages in a channel, oldest first."""
    return [m for m in drv.channel_messages(channel) if m.get("bot_id") and "requested by" in m["text"]]


def replies(drv, channel: str, ts: str) -> list[dict]:
    return drv.thread_messages(channel, ts)[1:]


def final_reply(drv, channel: str, ts: str) -> dict:
    """The last bot reply of a thread once it is the result or a failure (not the progress line)."""
    def last():
        bot = [m for m in replies(drv, channel, ts) if m.get("bot_id")]
        done = [m for m in bot if m["text"].startswith(("Post-mortem ", ":warning:", ":x:", ":no_entry:", ":hourglass_flowing_sand:",
                                                                   ":double_vertical_bar:", "```",
                                                                   ":information_source:", ":mag:"))]
        return done[-1] if done else None
    return wait_until(last, what=f"the result in thread {channel}/{ts}")


def page_link(reply: dict) -> str:
    return LINK.search(json.dumps(reply.get("blocks"))).group(1)


def page_text(url: str) -> str:
    """What a person sees when opening the Notion link (the sandbox renders pages as HTML)."""
    status, body = get(url)
    assert status == 200
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def bot_pages(sb) -> dict:
    """Notion pages the integration created."""
    st = sb.state("notion")
    return {pid: p for pid, p in st.pages.items() if p.created_by == st.bot_id}


def request(drv, channel: str, text: str, user: str = "stefan") -> list[dict]:
    """`/postmortem text` as `user`; waits for the result and returns the bot's thread (progress line first)."""
    seen = {p["ts"] for p in bot_parents(drv, channel)}
    assert drv.slash_command(user, channel, text).status == 200
    parent = wait_until(lambda: [p for p in bot_parents(drv, channel) if p["ts"] not in seen], what="the parent")[0]
    final_reply(drv, channel, parent["ts"])
    return replies(drv, channel, parent["ts"])


def free_port() -> int:
    """A port nothing listens on now, for a process that must be told its port in advance (PORT=…)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
