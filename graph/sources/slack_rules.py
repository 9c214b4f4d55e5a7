"""What a Slack read may use: channels asked for by name must exist, and this app's own posts are never evidence."""

from __future__ import annotations

import difflib

from graph.sources.base import SourceError


class UnknownChannelError(SourceError):
    """Channel names that match no channel the bot can see; bad input, not an outage."""

    def __init__(self, unknown: dict[str, str | None], known: list[str]):
        self.unknown, self.known = unknown, known  # name -> closest existing name (or None)
        super().__init__(self.describe())

    def describe(self, where: str = "Slack channels") -> str:
        parts = [f"#{name}" + (f" (did you mean #{near}?)" if near else "") for name, near in self.unknown.items()]
        noun = "channel" if len(parts) == 1 else "channels"
        out = f"{where}: no {noun} named {', '.join(parts)}"
        if not any(self.unknown.values()) and self.known:
            shown = ", ".join(f"#{n}" for n in self.known[:10]) + (", …" if len(self.known) > 10 else "")
            out += f"; the channels the bot can see are {shown}"
        return out


def check_channel_names(wanted: list[str], listing: list[dict]) -> None:
    """Raise UnknownChannelError for each wanted name or id that no listed channel has, with the closest name."""
    names = sorted(ch["name"] for ch in listing)
    known = set(names) | {ch["id"] for ch in listing}
    unknown = {}
    for w in wanted:
        if w not in known:
            near = difflib.get_close_matches(w.lower(), names, n=1, cutoff=0.6)
            unknown[w] = near[0] if near else None
    if unknown:
        raise UnknownChannelError(unknown, names)


def own_ids(auth: dict) -> frozenset[str]:
    """The ids auth.test gives this app: its bot user and its bot; messages carrying either are the app's own."""
    return frozenset(v for v in (auth.get("user_id"), auth.get("bot_id")) if v)


def is_own(message: dict, mine: frozenset[str]) -> bool:
    """A message this app posted (its replies, progress lines, "requested by" parents): never evidence, or the next
    report would cite the last one. Other apps' posts (monitoring alerts) carry other ids and stay evidence."""
    return bool(mine) and (message.get("bot_id") in mine or message.get("user") in mine)


def is_integration(m: dict) -> bool:
    """Posted by an app (a monitoring bot, a deploy tool) rather than a person."""
    return bool(m.get("bot_id")) or m.get("subtype") == "bot_message"
