"""Who may ask for a post-mortem where, and which channels a report may draw on for the person who asked."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.slack_api import SlackAPI


def _listed(allowed: frozenset[str], *names: str | None) -> bool:
    return not allowed or any(n and n in allowed for n in names)


def refusal(settings: Settings, user_id: str, channel_id: str, user_name: str | None = None,
            channel_name: str | None = None) -> str | None:
    """Why the request is refused, or None. Works on what the request carries, so it costs no API call."""
    if not _listed(settings.allowed_users, user_id, user_name):
        return ("Sorry, you're not on the list of people who can request post-mortems here. "
                "Ask whoever runs the postmortem bot to add you to POSTMORTEM_ALLOWED_USERS.")
    if not _listed(settings.allowed_channels, channel_id, channel_name):
        allowed = ", ".join(f"<#{c}>" if c[:1] in "CG" and c.isupper() else f"#{c}"
                            for c in sorted(settings.allowed_channels))
        return f"Sorry, post-mortems can't be requested in this channel. Try one of: {allowed}."
    return None


def refusal_with_lookup(settings: Settings, api: SlackAPI, user_id: str, channel_id: str) -> str | None:
    """Like `refusal`, for events that carry only ids: names are looked up only when an allow-list uses names."""
    user_name = channel_name = None
    if settings.allowed_users and user_id not in settings.allowed_users:
        user_name = _quiet(lambda: api.users_info(user_id).get("name"))
    if settings.allowed_channels and channel_id not in settings.allowed_channels:
        channel_name = _quiet(lambda: api.conversation_info(channel_id).get("name"))
    return refusal(settings, user_id, channel_id, user_name, channel_name)


def _quiet(fn):
    try:
        return fn()
    except SlackApiError:
        return None  # unknown name: the id alone decides, which refuses


class AccessRefused(Exception):
    """The requester may not have a report here; the message says why in words they understand."""


@dataclass(frozen=True)
class Audience:
    """Who will see the answer: everyone in `channel`, and everyone who can open the page it links to."""

    kind: str  # "public" or "private" (private channel, DM or group DM)
    channel: str
    name: str

    def as_input(self) -> dict:
        return {"kind": self.kind, "channel": self.channel, "name": self.name}


def audience_of(api: SlackAPI, channel_id: str) -> Audience:
    info = api.conversation_info(channel_id)
    private = bool(info.get("is_private") or info.get("is_im") or info.get("is_mpim"))
    name = info.get("name") or ("direct message" if info.get("is_im") else channel_id)
    return Audience("private" if private else "public", channel_id, name)


def readable_channels(api: SlackAPI, user_id: str, audience: Audience) -> list[str]:
    """Ids of the channels a report for `audience` may draw on, asked for by `user_id`.

    Everything used must be visible to the whole audience and to the requester: public channels the requester is
    in, plus the private conversation the answer is posted in (never any other private one, whoever asks). Errors
    propagate: with no answer the job fails rather than running unrestricted.
    """
    out = []
    for ch in api.conversations():
        if not ch.get("is_member") or (ch.get("is_private") and ch["id"] != audience.channel):
            continue
        if user_id in api.conversation_members(ch["id"]):
            out.append(ch["id"])
    if audience.kind == "private" and audience.channel not in out:
        try:  # DMs are not in conversations.list
            member = user_id in api.conversation_members(audience.channel)
        except SlackApiError:
            member = False
        if not member:
            raise AccessRefused("You're not a member of this conversation, so I can't write a report here for you.")
        out.append(audience.channel)
    return out
