"""Who may ask for a post-mortem where, and which channels a report may draw on for the person who asked."""

from __future__ import annotations

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


def readable_channels(api: SlackAPI, user_id: str) -> list[str]:
    """Ids of the channels the bot can read that `user_id` is also a member of.

    The graph only reads channels the bot is in; of those, the report may use only the ones the requester could
    read themselves, so a post-mortem never leaks a private channel to someone outside it. Errors propagate: with
    no answer the job fails rather than running unrestricted.
    """
    out = []
    for ch in api.conversations():
        if not ch.get("is_member"):
            continue
        if user_id in api.conversation_members(ch["id"]):
            out.append(ch["id"])
    return out
