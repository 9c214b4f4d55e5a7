"""Slack markup in a report: mentions, channels and links as readable text, never raw ids."""

from __future__ import annotations

import re
from typing import Any

SLACK_REF = re.compile(r"<([@#!])([^>|]*)(?:\|([^>]*))?>")
SLACK_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")
RAW_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")


def clean_markup(text: str, names: dict[str, str]) -> tuple[str, int]:
    """Slack mrkdwn references (<@U…>, <#C…|name>, <!here>, <url|label>) as plain readable text."""

    def reference(m: re.Match) -> str:
        sigil, target, label = m.group(1), m.group(2), m.group(3)
        if sigil == "@":
            return names.get(target) or (label or "").lstrip("@") or "unknown user"
        if sigil == "#":
            name = label or names.get(target)
            return "#" + name.lstrip("#") if name else "a channel"
        return label or "@" + target.split("^")[0]

    text, links = SLACK_LINK.subn(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
    text, refs = SLACK_REF.subn(reference, text)
    bare = 0
    for user_id, name in names.items():
        if RAW_USER_ID.match(user_id):
            text, n = re.subn(rf"@?\b{re.escape(user_id)}\b", name, text)
            bare += n
    return text, links + refs + bare


def clean_markup_tree(value: Any, names: dict[str, str]) -> tuple[Any, int]:
    if isinstance(value, str):
        return clean_markup(value, names)
    if isinstance(value, list):
        pairs = [clean_markup_tree(v, names) for v in value]
        return [v for v, _ in pairs], sum(n for _, n in pairs)
    if isinstance(value, dict):
        pairs = {k: clean_markup_tree(v, names) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    return value, 0
