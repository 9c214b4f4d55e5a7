"""Slack's JSON shapes for the sandbox's users, channels and messages (as the Web API returns them)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from sandbox.slack.state import Chan, Msg, SlackState

_AVATAR = "https://a.slack-edge.com/80588/img/avatars/ava_0001-{size}.png"  # Slack's default avatar


def _zone(name: str | None) -> dict:
    if not name:
        return {"tz": "Etc/UTC", "tz_label": "Coordinated Universal Time", "tz_offset": 0}
    here = datetime.now(ZoneInfo(name))  # Slack reports the label and offset in force today
    return {"tz": name, "tz_label": here.tzname(), "tz_offset": int(here.utcoffset().total_seconds())}


def render_user(s: SlackState, u) -> dict:
    real = u.real_name or u.name
    display = u.display_name or ""
    profile = {
        "real_name": real, "real_name_normalized": real, "display_name": display,
        "display_name_normalized": display, "title": u.title or "", "phone": "", "skype": "",
        "status_text": "", "status_emoji": "", "status_expiration": 0, "fields": None,
        "avatar_hash": hashlib.md5(u.id.encode()).hexdigest()[:12],  # noqa: S324 - a label, not security
        "first_name": real.split(" ")[0], "last_name": " ".join(real.split(" ")[1:]), "team": s.team.id,
        **{f"image_{n}": _AVATAR.format(size=n) for n in (24, 32, 48, 72, 192, 512)},
    }
    if u.email:
        profile["email"] = u.email
    if u.id == s.bot_user_id:
        profile.update(bot_id=s.bot_id, api_app_id=s.app_id, always_active=True)
    return {
        "id": u.id, "team_id": s.team.id, "name": u.name, "deleted": False, "color": "9f69e7",
        "real_name": real, **_zone(u.tz),
        "profile": profile, "is_admin": False, "is_owner": False, "is_primary_owner": False,
        "is_restricted": False, "is_ultra_restricted": False, "is_bot": u.is_bot, "is_app_user": False,
        "updated": 1_700_000_000, "is_email_confirmed": bool(u.email),
    }


def render_channel(s: SlackState, c: Chan, viewer: str) -> dict:
    def about(value: str) -> dict:
        return {"value": value, "creator": c.creator if value else "", "last_set": c.created if value else 0}

    return {
        "id": c.id, "name": c.name, "is_channel": True, "is_group": False, "is_im": False, "is_mpim": False,
        "is_private": c.private, "created": c.created, "is_archived": False, "is_general": False,
        "unlinked": 0, "name_normalized": c.name, "is_shared": False, "is_org_shared": False,
        "is_pending_ext_shared": False, "pending_shared": [], "context_team_id": s.team.id,
        "updated": c.created * 1000, "parent_conversation": None, "creator": c.creator, "is_ext_shared": False,
        "shared_team_ids": [s.team.id], "pending_connected_team_ids": [], "is_member": viewer in c.members,
        "topic": about(c.topic), "purpose": about(c.purpose), "previous_names": [], "num_members": len(c.members),
    }


def bot_profile(s: SlackState) -> dict:
    icons = {f"image_{n}": _AVATAR.format(size=n) for n in (36, 48, 72)}
    return {"id": s.bot_id, "deleted": False, "name": "postmortem", "updated": 1_700_000_000,
            "app_id": s.app_id, "icons": icons, "team_id": s.team.id}


def integration_bot_id(s: SlackState, name: str) -> str:
    return "B" + hashlib.sha1(f"{s.team.id}:{name}".encode()).hexdigest()[:10].upper()


def render_message(s: SlackState, c: Chan, m: Msg, in_thread: bool = False) -> dict:
    out = {"type": "message", "user": m.user, "text": m.text, "ts": m.ts, "team": s.team.id}
    if m.bot:
        out.update(bot_id=s.bot_id, app_id=s.app_id, bot_profile=bot_profile(s))
    elif (author := s.users.get(m.user)) is not None and author.is_bot:
        out.update(bot_id=integration_bot_id(s, author.name), bot_profile={  # an integration: Datadog, PagerDuty…
            "id": integration_bot_id(s, author.name), "name": author.real_name or author.name, "deleted": False,
            "team_id": s.team.id})
    if m.blocks is not None:
        out["blocks"] = m.blocks
    if m.thread_ts:
        out["thread_ts"] = m.thread_ts
        if m.thread_ts == m.ts:
            _thread_fields(c, m, out, in_thread)
        else:
            out["parent_user_id"] = c.by_ts[m.thread_ts].user
            if m.broadcast:
                out["subtype"] = "thread_broadcast"
    if m.edited:
        out["edited"] = dict(m.edited)
    if m.reactions:
        out["reactions"] = [dict(r, users=list(r["users"])) for r in m.reactions]
    if m.files:
        out["files"] = [dict(f) for f in m.files]
        out["upload"] = False
    return out


def _thread_fields(c: Chan, m: Msg, out: dict, in_thread: bool) -> None:
    users: list[str] = []
    for t in m.replies:
        u = c.by_ts[t].user
        if u not in users:
            users.append(u)
    out.update(reply_count=len(m.replies), reply_users_count=len(users), is_locked=False)
    if users:
        out["reply_users"] = users[:5]  # Slack lists at most five repliers
    if m.replies:
        out["latest_reply"] = m.replies[-1]
    if in_thread:
        out["subscribed"] = False
