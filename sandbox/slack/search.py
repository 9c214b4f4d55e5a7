"""search.messages for the sandbox: every query word must appear (case-insensitively) in a public-channel message."""

from __future__ import annotations

import math

from sandbox.slack.state import SlackError, SlackState


def _filters(query: str, s: SlackState) -> tuple[list[str], set[str] | None, set[str] | None]:
    """Words, plus Slack's `in:#channel` and `from:@user` modifiers (the ones a bot is likely to send)."""
    words, chans, users = [], None, None
    for word in query.split():
        key, _, value = word.partition(":")
        if key == "in" and value:
            c = s.channel(value.strip("<>#").split("|")[0])
            chans = (chans or set()) | ({c.id} if c else {""})
        elif key == "from" and value:
            ref = value.strip("<>@")
            u = s.users.get(ref) or s.user_by_name(ref)
            users = (users or set()) | ({u.id} if u else {""})
        else:
            words.append(word.strip('"').lower())
    return [w for w in words if w], chans, users


def search_messages(s: SlackState, viewer: str, args: dict) -> dict:
    query = str(args.get("query") or "").strip()
    if not query:
        raise SlackError("no_query")
    try:
        count = min(max(int(args.get("count") or 20), 1), 100)
        page = max(int(args.get("page") or 1), 1)
    except ValueError:
        raise SlackError("invalid_arguments") from None
    words, chans, users = _filters(query, s)
    hits = []
    # A full scan: search is rare and its cost is one pass of lower() per message, not per query word.
    for c in s.channels.values():
        if c.private or (chans is not None and c.id not in chans):
            continue
        for m in c.by_ts.values():
            if users is not None and m.user not in users:
                continue
            text = m.text.lower()
            if all(w in text for w in words):
                hits.append((m.ts, c, m))
    sort_asc = str(args.get("sort_dir") or "desc").lower() == "asc"
    hits.sort(key=lambda h: h[0], reverse=not sort_asc)
    total = len(hits)
    pages = max(math.ceil(total / count), 1)
    chunk = hits[(page - 1) * count:page * count]
    matches = [_match(s, c, m) for _, c, m in chunk]
    first = (page - 1) * count + 1 if chunk else 0
    return {
        "query": query,
        "messages": {
            "total": total, "matches": matches,
            "pagination": {"total_count": total, "page": page, "per_page": count, "page_count": pages,
                           "first": first, "last": first + len(chunk) - 1 if chunk else 0},
            "paging": {"count": count, "total": total, "page": page, "pages": pages},
        },
    }


def _match(s: SlackState, c, m) -> dict:
    u = s.users[m.user]
    return {
        "iid": f"{c.id}-{m.ts}", "team": s.team.id, "score": 0, "type": "message", "ts": m.ts, "text": m.text,
        "user": u.id, "username": u.name, "permalink": s.permalink(c.id, m),
        "channel": {"id": c.id, "name": c.name, "is_channel": True, "is_group": False, "is_im": False,
                    "is_mpim": False, "is_private": c.private, "is_shared": False, "is_org_shared": False,
                    "is_ext_shared": False, "pending_shared": [], "is_pending_ext_shared": False},
        # Real matches name a reply's thread only inside the permalink (?thread_ts=…), never as a field.
        "no_reactions": not m.reactions,
    }
