"""`postmortem dev`: the sandbox and the real bot together, so local development is "run, open the page, type"."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cli.commands import sandbox_overrides, say, start_sandbox
from cli.sandbox_cmd import serve_forever
from sandbox.faults import FaultSpecError
from sandbox.server import Sandbox
from sandbox.workspace.loader import WorkspaceError


def start_bot(sb: Sandbox, offline: bool, socket_mode: bool = True):
    """The real bot (bot/) against the sandbox: Socket Mode as in development, or HTTP with signatures checked."""
    from bot.app_factory import serve_http, start_socket_mode
    from bot.config import load_settings

    env = dict(sb.env) | {"POSTMORTEM_OFFLINE": "1" if offline else ""}
    if not socket_mode:
        env.pop("SLACK_APP_TOKEN")
    db = Path(tempfile.mkdtemp(prefix="postmortem-dev-")) / "runs.sqlite"  # runs of a sandbox die with it
    settings = load_settings(env, sandbox_overrides(sb) | {"checkpoint_db": str(db)})
    if socket_mode:
        return start_socket_mode(settings)
    bot = serve_http(settings, port=0, host="127.0.0.1")
    sb.ctx.bot_url = bot.url + "/slack/events"  # where the sandbox's Slack pages deliver what a person types
    return bot


def channel_url(sb: Sandbox, name: str | None = None) -> str:
    """The page of `name` (default: #marketing-ops, else the first channel the bot is in)."""
    slack = sb.state("slack")
    chan = slack.channel_by_name(name or "marketing-ops")
    if chan is None and name:
        raise LookupError(f"no channel #{name} in workspace {sb.workspace.name!r}; "
                          f"channels: {', '.join(sorted(c.name for c in slack.channels.values()))}")
    if chan is None:
        chan = next(c for c in slack.channels.values() if slack.bot_user_id in c.members)
    return f"{sb.urls['slack']}/archives/{chan.id}"


def run_dev(args) -> int:
    try:
        sb = start_sandbox(args.workspace, args.port)
        url = channel_url(sb, args.channel)
    except (WorkspaceError, FaultSpecError, LookupError) as exc:
        say(f"postmortem: {exc}")
        return 2
    offline = args.offline or not os.environ.get("OPENAI_API_KEY")
    bot = start_bot(sb, offline, socket_mode=not args.http)
    mode = "HTTP at " + sb.ctx.bot_url if args.http else "Socket Mode"
    say(f"sandbox: Slack {sb.urls['slack']} · Notion {sb.urls['notion']} · Jira {sb.urls['jira']}")
    say(f"bot: connected over {mode} ({'offline analyzer' if offline else 'model: ' + os.environ.get('OPENAI_MODEL', 'gpt-4o-mini')})")
    say("type `/postmortem summer25` or `@postmortem summer25` in the channel page:")
    print(url, flush=True)
    try:
        serve_forever(sb)
    finally:
        bot.stop()
    return 0
