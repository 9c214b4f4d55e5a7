"""Slack's outgoing payloads, shaped exactly as Slack sends them: slash commands, events, interactions, signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import re
import time
import uuid

from sandbox.slack.views import views_of

VERIFICATION_TOKEN = "sAnDbOxVeRiFiCaTiOn0TkN"  # Slack's deprecated per-app verification token
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MENTION = re.compile(r"<([@#])([A-Z0-9]+)(?:\|[^>]*)?>")


def signature(secret: str, timestamp: str, body: bytes | str) -> str:
    """X-Slack-Signature: v0= HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret."""
    raw = body if isinstance(body, bytes) else body.encode()
    mac = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
    return "v0=" + mac.hexdigest()


def event_id() -> str:
    return "Ev" + "".join(random.choices(_ALNUM, k=10))


def slash_command(state, user, chan, command: str, text: str, response_url: str) -> dict:
    """The form fields of a slash command request, in Slack's order (strings only, as the form carries them); its
    trigger_id opens a modal once, within three seconds."""
    team = state.team
    return {"token": VERIFICATION_TOKEN, "team_id": team.id, "team_domain": team.domain, "channel_id": chan.id,
            "channel_name": chan.name, "user_id": user.id, "user_name": user.name, "command": command,
            "text": text, "api_app_id": state.app_id, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": views_of(state).issue_trigger(user.id, channel=chan.id)}


def rich_text(text: str) -> list[dict]:
    """The rich_text block Slack's composer attaches to a typed message (mentions become user elements)."""
    elements, pos = [], 0
    for m in _MENTION.finditer(text):
        if m.start() > pos:
            elements.append({"type": "text", "text": text[pos:m.start()]})
        kind, ref = m.groups()
        elements.append({"type": "user", "user_id": ref} if kind == "@" else {"type": "channel", "channel_id": ref})
        pos = m.end()
    if pos < len(text):
        elements.append({"type": "text", "text": text[pos:]})
    block_id = base64.b32encode(hashlib.sha1(text.encode()).digest()[:3]).decode()[:5]  # noqa: S324 - an id
    return [{"type": "rich_text", "block_id": block_id,
             "elements": [{"type": "rich_text_section", "elements": elements}]}]


def app_mention(state, user, chan, msg, parent_user: str | None = None) -> dict:
    """The app_mention event for a message the user just posted (msg: a slack_state.Msg)."""
    event = {"client_msg_id": str(uuid.uuid4()), "type": "app_mention", "text": msg.text, "user": user.id,
             "ts": msg.ts, "blocks": rich_text(msg.text), "team": state.team.id}
    if msg.thread_ts:
        event.update(thread_ts=msg.thread_ts, parent_user_id=parent_user)
    event.update(channel=chan.id, event_ts=msg.ts)
    return event


def event_callback(state, event: dict) -> dict:
    """The Events API envelope around one event, as delivered to this app's bot installation."""
    team, app = state.team.id, state.app_id
    context = {"et": event["type"], "tid": team, "aid": app, "cid": event.get("channel")}
    packed = base64.urlsafe_b64encode(json.dumps(context, separators=(",", ":")).encode()).decode().rstrip("=")
    return {"token": VERIFICATION_TOKEN, "team_id": team, "context_team_id": team, "context_enterprise_id": None,
            "api_app_id": app, "event": event, "type": "event_callback", "event_id": event_id(),
            "event_time": int(float(event.get("event_ts") or time.time())),
            "authorizations": [{"enterprise_id": None, "team_id": team, "user_id": state.bot_user_id,
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": False, "event_context": "4-" + packed}


def url_verification() -> dict:
    return {"token": VERIFICATION_TOKEN, "challenge": uuid.uuid4().hex + uuid.uuid4().hex[:16],
            "type": "url_verification"}


def _who(state, user) -> tuple[dict, dict]:
    team = {"id": state.team.id, "domain": state.team.domain}
    return team, {"id": user.id, "username": user.name, "name": user.name, "team_id": state.team.id}


def block_actions(state, user, chan, message: dict | None, message_ts: str, action: dict, trigger: str,
                  response_url: str, values: dict) -> dict:
    """A click in a message (message: as conversations.history shows it; None for an ephemeral one, which Slack
    does not send back)."""
    team, who = _who(state, user)
    out = {"type": "block_actions", "user": who, "api_app_id": state.app_id, "token": VERIFICATION_TOKEN,
           "container": {"type": "message", "message_ts": message_ts, "channel_id": chan.id,
                         "is_ephemeral": message is None},
           "trigger_id": trigger, "team": team, "enterprise": None, "is_enterprise_install": False,
           "channel": {"id": chan.id, "name": chan.name}}
    if message is not None:
        out["message"] = message
    out.update(state={"values": values}, response_url=response_url, actions=[action])
    return out


def view_block_actions(state, user, view: dict, action: dict, trigger: str) -> dict:
    """A click (or pick) inside an open modal: the view comes along with its state; there is no response_url."""
    team, who = _who(state, user)
    return {"type": "block_actions", "user": who, "api_app_id": state.app_id, "token": VERIFICATION_TOKEN,
            "container": {"type": "view", "view_id": view["id"]}, "trigger_id": trigger, "team": team,
            "enterprise": None, "is_enterprise_install": False, "view": view, "actions": [action]}


def view_submission(state, user, view: dict, trigger: str) -> dict:
    team, who = _who(state, user)
    return {"type": "view_submission", "team": team, "user": who, "api_app_id": state.app_id,
            "token": VERIFICATION_TOKEN, "trigger_id": trigger, "view": view, "response_urls": [],
            "is_enterprise_install": False, "enterprise": None}


def view_closed(state, user, view: dict, cleared: bool) -> dict:
    team, who = _who(state, user)
    return {"type": "view_closed", "team": team, "user": who, "view": view, "api_app_id": state.app_id,
            "token": VERIFICATION_TOKEN, "is_cleared": cleared, "is_enterprise_install": False, "enterprise": None}
