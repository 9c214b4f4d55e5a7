"""Slack Web API methods of the sandbox: each takes a Call and returns the success body (minus "ok")."""

from __future__ import annotations

import bisect

from sandbox.slack.args import Call, make_cursor, offset_page, read_cursor, window
from sandbox.slack.render import render_channel, render_message, render_user
from sandbox.slack.search import search_messages
from sandbox.slack.state import SlackError
from sandbox.slack.views_api import VIEW_METHODS


def auth_test(call: Call) -> dict:
    s, u = call.state, call.state.users[call.user]
    out = {"url": s.base_url + "/", "team": s.team.name, "user": u.name, "team_id": s.team.id,
           "user_id": u.id, "is_enterprise_install": False}
    if call.kind == "bot":
        out["bot_id"] = s.bot_id
    return out


def conversations_list(call: Call) -> dict:
    types = set(str(call.args.get("types") or "public_channel").split(","))
    chans = [c for c in call.state.channels.values()
             if ("private_channel" in types and c.private and call.user in c.members)
             or ("public_channel" in types and not c.private)]
    page, meta = offset_page(call, chans, 100)
    return {"channels": [render_channel(call.state, c, call.user) for c in page], "response_metadata": meta}


def conversations_info(call: Call) -> dict:
    return {"channel": render_channel(call.state, call.channel(read=False), call.user)}


def conversations_members(call: Call) -> dict:
    c = call.channel()
    page, meta = offset_page(call, sorted(c.members), 100)
    return {"members": page, "response_metadata": meta}


def conversations_join(call: Call) -> dict:
    c = call.channel(read=False)
    if c.private:
        raise SlackError("method_not_supported_for_channel_type")
    extra = {"warning": "already_in_channel", "response_metadata": {"warnings": ["already_in_channel"]}} \
        if call.user in c.members else {}
    c.members.add(call.user)
    return {"channel": render_channel(call.state, c, call.user), **extra}


def conversations_history(call: Call) -> dict:
    c = call.channel()
    limit = call.limit(100)
    lo, hi = window(call, c.top)
    before = read_cursor(call, "next_ts")
    if before is not None:
        hi = min(hi, bisect.bisect_right(c.top, before))  # the cursor names the next message to return
    start = max(lo, hi - limit)
    msgs = [render_message(call.state, c, c.by_ts[t]) for t in reversed(c.top[start:hi])]
    out = {"messages": msgs, "has_more": start > lo, "pin_count": 0, "channel_actions_ts": None,
           "channel_actions_count": 0}
    if start > lo:
        out["response_metadata"] = {"next_cursor": make_cursor("next_ts", c.top[start - 1])}
    return out


def conversations_replies(call: Call) -> dict:
    c = call.channel()
    thread = call.state.thread(c.id, call.req("ts", "thread_not_found"))
    if not thread:
        raise SlackError("thread_not_found")
    parent, replies = thread[0], [m.ts for m in thread[1:]]
    limit = call.limit(1000)
    lo, hi = window(call, replies)
    after = read_cursor(call, "next_ts")
    first_page = after is None
    if after is not None:
        lo = max(lo, bisect.bisect_left(replies, after))
    # The parent leads the first page only, and counts towards its limit.
    end = min(hi, lo + (limit - 1 if first_page else limit))
    msgs = ([render_message(call.state, c, parent, in_thread=True)] if first_page else []) + \
        [render_message(call.state, c, c.by_ts[t], in_thread=True) for t in replies[lo:end]]
    out = {"messages": msgs, "has_more": end < hi}
    if end < hi:
        out["response_metadata"] = {"next_cursor": make_cursor("next_ts", replies[end])}
    return out


def users_info(call: Call) -> dict:
    u = call.state.users.get(call.req("user", "user_not_found"))
    if u is None:
        raise SlackError("user_not_found")
    return {"user": render_user(call.state, u)}


def users_list(call: Call) -> dict:
    page, meta = offset_page(call, list(call.state.users.values()), 1000)
    return {"members": [render_user(call.state, u) for u in page], "cache_ts": int(call.ctx.now().timestamp()),
            "response_metadata": meta}


def chat_post_message(call: Call) -> dict:
    c = call.channel()
    text, blocks = call.args.get("text"), call.blocks()
    if not text and not blocks:
        raise SlackError("no_text")
    msg = call.state.post(c.id, call.user, str(text or ""), call.ctx.now(), thread_ts=call.args.get("thread_ts"),
                          blocks=blocks, broadcast=call.flag("reply_broadcast"))
    return {"channel": c.id, "ts": msg.ts, "message": render_message(call.state, c, msg)}


def chat_update(call: Call) -> dict:
    c = call.channel()
    text, blocks = call.args.get("text"), call.blocks()
    msg = call.state.update(c.id, call.req("ts", "message_not_found"), call.user, call.ctx.now(),
                            None if text is None else str(text), blocks)
    message = {"text": msg.text, **({"blocks": msg.blocks} if msg.blocks is not None else {})}
    return {"channel": c.id, "ts": msg.ts, "text": msg.text, "message": message}


def chat_post_ephemeral(call: Call) -> dict:
    c = call.channel()
    user = call.req("user", "user_not_found")
    if user not in call.state.users:
        raise SlackError("user_not_found")
    if user not in c.members:
        raise SlackError("user_not_in_channel")
    text, blocks = call.args.get("text"), call.blocks()
    if not text and not blocks:
        raise SlackError("no_text")
    ts = call.state.next_ts(c, call.ctx.now())
    call.state.ephemeral.append({"channel": c.id, "user": user, "ts": ts, "text": str(text or ""),
                                 "blocks": blocks, "thread_ts": call.args.get("thread_ts"), "from": call.user})
    return {"message_ts": ts}


def chat_get_permalink(call: Call) -> dict:
    c = call.channel(read=False)
    msg = c.by_ts.get(call.req("message_ts", "message_not_found"))
    if msg is None:
        raise SlackError("message_not_found")
    return {"channel": c.id, "permalink": call.state.permalink(c.id, msg)}


METHODS = {
    "auth.test": auth_test,
    "conversations.list": conversations_list,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "conversations.join": conversations_join,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "users.info": users_info,
    "users.list": users_list,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "search.messages": lambda call: search_messages(call.state, call.user, call.args),
    **VIEW_METHODS,
}
