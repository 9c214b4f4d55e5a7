"""A person's side of the sandbox Slack pages: a tiny workspace, page fetches, the message box, the bot's client."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from slack_sdk import WebClient

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PEOPLE = [{"name": "ana", "real_name": "Ana Lopez"}, {"name": "ben", "real_name": "Ben Ode"},
          {"name": "cara", "real_name": "Cara Diaz"}, {"name": "postmortem", "real_name": "Postmortem", "is_bot": True}]
THREAD = {"at": "2025-08-04T10:00:00Z", "user": "ana", "text": "Checkout is DOWN", "replies": [
    {"at": "2025-08-04T10:01:00Z", "user": "ben", "text": "looking"},
    {"at": "2025-08-04T10:02:00Z", "user": "ana", "text": "rolled back"},
    {"at": "2025-08-04T10:07:00Z", "user": "ben", "text": "all green"}]}
CHANNELS = [
    {"name": "incidents", "id": "C0INCID001", "messages": [
        {"at": "2025-08-04T09:00:00Z", "user": "ben", "text": "morning"}, THREAD]},
    {"name": "secret", "id": "G0SECRET01", "private": True, "members": ["ana", "postmortem"],
     "messages": [{"at": "2025-08-04T09:00:00Z", "user": "ana", "text": "shh"}]},
]


def get(url: str) -> str:
    with _NO_PROXY.open(url, timeout=10) as resp:
        return resp.read().decode()


def send(sb, channel: str, user: str, text: str, thread_ts: str | None = None) -> dict:
    """What the page's message box does: POST /ui/send as `user`."""
    form = urllib.parse.urlencode({"channel": channel, "user": user, "text": text, "thread_ts": thread_ts or ""})
    req = urllib.request.Request(sb.urls["slack"] + "/ui/send", form.encode(), {"Accept": "application/json"})
    with _NO_PROXY.open(req, timeout=30) as resp:
        return json.loads(resp.read())


def fragment(sb, channel: str, viewer: str = "", thread_ts: str = "") -> str:
    q = urllib.parse.urlencode({"channel": channel, "as": viewer, "thread_ts": thread_ts})
    return get(f"{sb.urls['slack']}/ui/messages?{q}")


def uid(sb, name: str) -> str:
    return sb.state("slack").user_by_name(name).id


def bot_client(sb) -> WebClient:
    return WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_BOT_TOKEN"])
