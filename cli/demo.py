"""`postmortem demo`: sandbox up, the real bot up against it, `/postmortem summer25` sent as Slack would send it,
then the Slack thread printed as a person reads it; the sandbox keeps serving so the page opens in a browser."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime

from cli.commands import execute, sandbox_overrides, say, start_sandbox
from cli.dev import channel_url, start_bot
from cli.sandbox_cmd import serve_forever
from sandbox.faults import FaultSpecError
from sandbox.workspace.loader import WorkspaceError

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def _readable(text: str, names: dict[str, str]) -> str:
    text = _MENTION.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)
    return _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)


def _shown(m: dict) -> str:
    """What Slack shows: the Block Kit blocks when there are any, else the text."""
    parts = []
    for b in m.get("blocks") or []:
        if b.get("type") == "section":
            parts.append((b.get("text") or {}).get("text", ""))
        elif b.get("type") == "context":
            parts.extend(e.get("text", "") for e in b.get("elements", []))
    return "\n".join(p for p in parts if p) or m.get("text", "")


def print_thread(driver, channel: str, ts: str, names: dict[str, str]) -> None:
    print(f"#{channel}")
    for i, m in enumerate(driver.thread_messages(channel, ts)):
        who = names.get(m.get("user", ""), m.get("username") or "bot")
        at = datetime.fromtimestamp(float(m["ts"]), UTC).strftime("%H:%M:%S")
        edited = " (edited)" if m.get("edited") else ""
        body = _readable(_shown(m), names).replace("\n", "\n" + " " * (8 if i else 4))
        print(f"{'    ' if not i else '    └─ '}{at} {who}{edited}: {body}")
    print()


def _wait_for_result(bot, driver, channel: str, timeout: float = 180) -> str | None:
    """The ts of the bot's parent message once its job has finished (None if it never appeared)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parents = [m for m in driver.channel_messages(channel) if m.get("bot_id") and "requested by" in m["text"]]
        stats = bot.jobs.stats()
        if parents and stats.get("done", 0) >= 1 and not stats.get("queued") and not stats.get("running"):
            return parents[-1]["ts"]
        time.sleep(0.1)
    return None


def run_through_bot(sb, bot, offline: bool) -> int:
    from sandbox.slack.events import SlackDriver

    say(f"bot: HTTP mode at {sb.ctx.bot_url} (signature verification on)")
    driver = SlackDriver(sb, sb.ctx.bot_url)
    names = {u.id: u.real_name or u.name for u in sb.workspace.slack.users}
    say("slack: Stefan Ortiz types `/postmortem summer25` in #marketing-ops")
    delivery = driver.slash_command("stefan", "marketing-ops", "summer25", via="http")
    say(f"slack: the bot acknowledged in {delivery.latency * 1000:.0f} ms (HTTP {delivery.status})")
    ts = _wait_for_result(bot, driver, "marketing-ops")
    if ts is None:
        say("demo: the bot did not finish in time")
        return 1
    print()
    print_thread(driver, "marketing-ops", ts, names)
    last = driver.thread_messages("marketing-ops", ts)[-1].get("text", "")
    page = re.search(r"(https?://\S+)", last)
    if page:
        say(f"open the post-mortem in a browser: {page.group(1)}")
    return 0 if page else 1


def run_demo(args) -> int:
    try:
        sb = start_sandbox(args.workspace, args.port)
    except (WorkspaceError, FaultSpecError) as exc:
        say(f"postmortem: {exc}")
        return 2
    say(f"sandbox: Slack {sb.urls['slack']} · Notion {sb.urls['notion']} · Jira {sb.urls['jira']}")
    offline = args.offline or not os.environ.get("OPENAI_API_KEY")
    bot = None
    if args.direct:
        code = execute("summer25", {"incident": "summer25", "offline": offline}, sandbox_overrides(sb), as_json=False)
    else:
        bot = start_bot(sb, offline, socket_mode=False)
        code = run_through_bot(sb, bot, offline)
    try:
        if args.no_serve:
            sb.stop()
            return code
        say(f"sandbox: the links keep working while it serves (Notion index {sb.urls['notion']}/, "
            f"Slack {sb.urls['slack']}/)")
        if bot:
            say(f"type into the channel yourself (as any user; the bot answers): {channel_url(sb)}")
        serve_forever(sb)
        return code
    finally:
        if bot:
            bot.stop()
