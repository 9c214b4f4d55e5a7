"""The message box, as Slack's composer behaves: slash commands, @mentions to <@U…>, plain posts, Slackbot's notes."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from sandbox.slack import deliver
from sandbox.slack.messages import SLACKBOT

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"  # the app's manifest, when run from the repository
NO_BOT = "no bot is connected: start one with `postmortem dev`"
_COMMAND = re.compile(r"^(/[\w.-]+)(?:\s+(.*))?$", re.S)
_SPECIAL = {"here": "<!here>", "channel": "<!channel>", "everyone": "<!everyone>"}
# What Slack's client says; wording as Slack shows it.
NOT_IN_THREADS = "{cmd} is not supported in threads. Sorry!"
NOT_VALID = ("{cmd} is not a valid command. In Slack, all messages that start with the “/” character are "
             "interpreted as commands.\n\nIf you are trying to send a message and not run a command, try preceding "
             "the “/” with an empty space.")
FAILED = '{cmd} failed with the error "{error}"'


@functools.cache
def registered_commands() -> frozenset[str]:
    """The app's slash commands from manifest.yml (features.slash_commands), /postmortem when there is none."""
    try:
        manifest = yaml.safe_load(MANIFEST.read_text()) or {}
        found = {c["command"] for c in manifest.get("features", {}).get("slash_commands") or [] if c.get("command")}
    except (OSError, yaml.YAMLError, AttributeError, TypeError, KeyError):
        found = set()
    return frozenset(found or {"/postmortem"})


def slack_escape(text: str) -> str:
    """Slack stores typed &, < and > as entities, so only the client's own <…> tokens are markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def encode(s, text: str) -> str:
    """Typed text as Slack stores it: @Name (login, display or real name) to <@U…>, #channel to <#C…>."""
    names: dict[str, str] = {}
    for u in s.users.values():
        for n in (u.name, u.display_name, u.real_name):
            if n:
                names.setdefault(slack_escape(n).lower(), u.id)
    text = slack_escape(text)
    if names:
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        text = re.sub(rf"(?<![\w@])@({alternatives})(?![\w-])", lambda m: f"<@{names[m.group(1).lower()]}>", text,
                      flags=re.I)
    text = re.sub(r"(?<![\w@])@(here|channel|everyone)\b", lambda m: _SPECIAL[m.group(1).lower()], text, flags=re.I)
    return re.sub(r"(?<![\w&])#([\w-]+)", lambda m: f"<#{c.id}>" if (c := s.channel_by_name(m.group(1))) else
                  m.group(0), text)


def slackbot(hub, c, u, text: str, thread_ts: str | None = None) -> None:
    """A note from Slackbot only the person sees (refused or failed commands), as the Slack client shows it."""
    s = hub.state
    s.ephemeral.append({"channel": c.id, "user": u.id, "ts": s.next_ts(c, hub.ctx.now()), "text": text,
                        "blocks": None, "thread_ts": thread_ts, "from": SLACKBOT, "via": "slackbot"})


def _join(c, u) -> None:
    c.members.add(u.id)  # typing in a public channel one is not in joins it, as Slack's "Join channel" does


def _failure(d: deliver.Delivery) -> str:
    if d.timed_out or d.error == "not_acked":
        return "operation_timeout"
    if d.status is None:
        return "dispatch_failed"
    return "http_client_error" if d.status < 500 else "http_service_error"


def _summary(via: str, d: deliver.Delivery) -> dict:
    return {"via": via, "acked": d.acked, "status": d.status, "error": d.error, "latency": d.latency}


async def submit(hub, c, u, text: str, thread_ts: str | None) -> dict:
    """Run what was typed as user `u`; the answer tells the page what happened and what to show."""
    m = _COMMAND.match(text)
    if m:
        return await _command(hub, c, u, m.group(1), (m.group(2) or "").strip(), thread_ts)
    s = hub.state
    _join(c, u)
    msg = s.post(c.id, u.id, encode(s, text), hub.ctx.now(), thread_ts=thread_ts, bot=False)
    out: dict = {"posted": True, "kind": "message", "ts": msg.ts}
    if f"<@{s.bot_user_id}>" not in msg.text:
        return out
    out["kind"] = "mention"
    if s.bot_user_id not in c.members:
        slackbot(hub, c, u, f"You mentioned <@{s.bot_user_id}>, but they’re not in this channel. "
                 f"Add them with `/invite @{s.users[s.bot_user_id].name}`.", msg.thread_ts)
        return out
    route = await deliver.choose(hub)
    if route is None:
        return out | {"error": "no_bot", "notice": NO_BOT}
    d = await deliver.app_mention(hub, u, c, msg, *route)
    out["delivery"] = _summary(route[0], d)
    if not d.acked:
        out.update(error="not_acked", notice=f"The app did not acknowledge the mention ({_failure(d)}).")
    return out


async def _command(hub, c, u, command: str, args: str, thread_ts: str | None) -> dict:
    out: dict = {"posted": False, "kind": "command", "command": command}
    if command == "/invite":
        return out | _invite(hub, c, u, args, thread_ts)
    if command not in registered_commands():
        slackbot(hub, c, u, NOT_VALID.format(cmd=command), thread_ts)
        return out | {"error": "invalid_command"}
    if thread_ts:  # app commands cannot be used in threads: Slack refuses before anything is sent
        slackbot(hub, c, u, NOT_IN_THREADS.format(cmd=command), thread_ts)
        return out | {"error": "not_supported_in_threads"}
    route = await deliver.choose(hub)
    if route is None:
        return out | {"error": "no_bot", "notice": NO_BOT}
    _join(c, u)
    d = await deliver.slash_command(hub, u, c, command, slack_escape(args), *route)
    out.update(posted=d.acked, delivery=_summary(route[0], d))
    if not d.acked:
        slackbot(hub, c, u, FAILED.format(cmd=command, error=_failure(d)))
        out["error"] = _failure(d)
    return out


def _invite(hub, c, u, args: str, thread_ts: str | None) -> dict:
    """Slack's built-in /invite @someone: adds people to this channel (how the bot gets into a private one)."""
    s = hub.state
    ids = re.findall(r"<@(\w+)>", encode(s, args))
    if not ids or u.id not in c.members:
        slackbot(hub, c, u, "Usage: `/invite @person` — and only members of a channel can invite to it.", thread_ts)
        return {"error": "invalid_invite"}
    c.members.update(ids)
    who = ", ".join(f"<@{i}>" for i in ids)
    slackbot(hub, c, u, f"You added {who} to <#{c.id}>.", thread_ts)
    return {"posted": True}
