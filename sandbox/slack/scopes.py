"""OAuth scopes in the sandbox: its tokens carry what manifest.yml asks for, and each method needs its scope."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
# The scope each Web API method needs (docs.slack.dev/reference/methods/<method>, "Required scopes"); methods absent
# here (auth.test, chat.getPermalink) need none.
FIXED = {"users.info": "users:read", "users.list": "users:read", "chat.postMessage": "chat:write",
         "chat.update": "chat:write", "chat.postEphemeral": "chat:write", "conversations.join": "channels:join",
         "search.messages": "search:read"}
BY_CHANNEL = {"conversations.history": "history", "conversations.replies": "history", "conversations.info": "read",
              "conversations.members": "read"}  # channels:… for a public channel, groups:… for a private one
BY_TYPE = {"public_channel": "channels:read", "private_channel": "groups:read", "im": "im:read", "mpim": "mpim:read"}


@lru_cache(maxsize=1)
def installed() -> dict[str, tuple[str, ...]]:
    """The scopes the app was installed with, per token kind: manifest.yml's, as if Slack installed it from there."""
    try:
        manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8")) or {}
        declared = manifest.get("oauth_config", {}).get("scopes", {})
    except OSError:
        # An installed copy has no manifest beside it: then the app holds every scope the methods here need.
        every = {*FIXED.values(), *BY_TYPE.values(), *(f"{p}:{k}" for p in ("channels", "groups")
                                                       for k in BY_CHANNEL.values())}
        declared = {"bot": sorted(every - {"search:read"}), "user": ["search:read"]}
    return {"bot": tuple(declared.get("bot") or ()), "user": tuple(declared.get("user") or ()),
            "app": ("connections:write",)}


def granted(kind: str, fault) -> list[str]:
    """The caller's scopes, after the Slack fault's changes ('-channels:history') when the caller is the bot."""
    scopes = list(installed().get(kind, ()))
    for change in (fault.scopes if fault is not None and kind == "bot" else ()):
        name = change[1:]
        if change[0] == "-" and name in scopes:
            scopes.remove(name)
        elif change[0] == "+" and name not in scopes:
            scopes.append(name)
    return scopes


def needed(method: str, state, args: dict) -> list[str]:
    """The scopes `method` needs with these arguments (a private channel needs groups:… where a public one needs
    channels:…; conversations.list needs one per type it lists)."""
    if method in FIXED:
        return [FIXED[method]]
    if method in BY_CHANNEL:
        c = state.channel(str(args.get("channel") or ""))
        return [f"{'groups' if c is not None and c.private else 'channels'}:{BY_CHANNEL[method]}"]
    if method == "conversations.list":
        types = str(args.get("types") or "public_channel").split(",")
        return [BY_TYPE[t.strip()] for t in types if t.strip() in BY_TYPE]
    return []
