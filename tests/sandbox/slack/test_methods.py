"""The sandbox's Slack Web API methods, through slack_sdk: history, replies, posts, edits, ephemerals, lists, users."""

from __future__ import annotations

import urllib.request

from sandbox import ids
from tests.support.openapi_check import validate_response
from tests.support.slack_api import _cid, _error, _slack

WORKSPACE = _slack  # served by conftest.py's `sb`


def test_history_pages_newest_first_and_follows_cursors(sb, bot):
    cid = _cid(sb, "incidents")
    pages, cursor = [], None
    while True:
        body = bot.conversations_history(channel=cid, limit=3, cursor=cursor).data
        validate_response("slack", "GET", "/conversations.history", body)
        pages.append(body)
        cursor = body.get("response_metadata", {}).get("next_cursor")
        assert body["has_more"] == bool(cursor)
        if not cursor:
            break
    texts = [m["text"] for p in pages for m in p["messages"]]
    # Thread replies stay out of history: 7 updates + the thread parent.
    assert [len(p["messages"]) for p in pages] == [3, 3, 2]
    assert texts[0] == "Checkout is DOWN for everyone" and texts[1:] == [f"update number {i}" for i in range(6, -1, -1)]
    parent = pages[0]["messages"][0]
    assert parent["reply_count"] == 3 and parent["reply_users_count"] == 2 and parent["thread_ts"] == parent["ts"]


def test_history_window_is_exclusive_unless_inclusive(sb, bot):
    cid = _cid(sb, "incidents")
    ts = [m.ts for m in sb.state("slack").messages(cid)]  # oldest first
    body = bot.conversations_history(channel=cid, oldest=ts[1], latest=ts[4]).data
    assert [m["ts"] for m in body["messages"]] == [ts[3], ts[2]]
    body = bot.conversations_history(channel=cid, oldest=ts[1], latest=ts[4], inclusive=True).data
    validate_response("slack", "GET", "/conversations.history", body)
    assert [m["ts"] for m in body["messages"]] == [ts[4], ts[3], ts[2], ts[1]]
    body = bot.conversations_history(channel=cid, oldest=ts[1], latest=ts[4], inclusive=True, limit=2).data
    assert [m["ts"] for m in body["messages"]] == [ts[4], ts[3]] and body["has_more"] is True


def test_replies_lead_with_parent_then_every_reply_oldest_first(sb, bot):
    cid = _cid(sb, "incidents")
    parent_ts = sb.state("slack").messages(cid)[-1].ts
    body = bot.conversations_replies(channel=cid, ts=parent_ts).data
    validate_response("slack", "GET", "/conversations.replies", body)
    texts = [m["text"] for m in body["messages"]]
    assert texts == ["Checkout is DOWN for everyone", "looking at the load balancer", "rolled back, recovering",
                     f"all green <@{ids.slack_id('U', 'ana')}>"]
    assert all(m["thread_ts"] == parent_ts for m in body["messages"])
    assert body["messages"][1]["parent_user_id"] == body["messages"][0]["user"]
    # Paged: the parent only leads the first page, and no reply is lost or repeated.
    first = bot.conversations_replies(channel=cid, ts=parent_ts, limit=2).data
    second = bot.conversations_replies(channel=cid, ts=parent_ts, limit=2,
                                       cursor=first["response_metadata"]["next_cursor"]).data
    assert first["has_more"] and not second["has_more"]
    assert [m["text"] for m in first["messages"] + second["messages"]] == texts


def test_posted_message_and_thread_reply_show_up_where_slack_shows_them(sb, bot):
    cid = _cid(sb, "incidents")
    posted = bot.chat_postMessage(channel=cid, text="Post-mortem draft ready",
                                  blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*Draft*"}}]).data
    validate_response("slack", "POST", "/chat.postMessage", posted)
    top = bot.conversations_history(channel=cid, limit=1).data["messages"][0]
    assert top["ts"] == posted["ts"] and top["text"] == "Post-mortem draft ready"
    assert top["bot_id"] == bot.auth_test()["bot_id"] and top["blocks"][0]["type"] == "section"
    reply = bot.chat_postMessage(channel=cid, text="details inside", thread_ts=posted["ts"]).data
    validate_response("slack", "POST", "/chat.postMessage", reply)
    assert reply["ts"] > posted["ts"] and reply["message"]["thread_ts"] == posted["ts"]
    thread = bot.conversations_replies(channel=cid, ts=posted["ts"]).data["messages"]
    assert [m["text"] for m in thread] == ["Post-mortem draft ready", "details inside"]
    top = bot.conversations_history(channel=cid, limit=1).data["messages"][0]
    assert top["ts"] == posted["ts"] and top["reply_count"] == 1 and top["latest_reply"] == reply["ts"]


def test_chat_update_edits_the_stored_message(sb, bot):
    cid = _cid(sb, "incidents")
    ts = bot.chat_postMessage(channel=cid, text="first draft")["ts"]
    body = bot.chat_update(channel=cid, ts=ts, text="final draft").data
    validate_response("slack", "POST", "/chat.update", body)
    top = bot.conversations_history(channel=cid, limit=1).data["messages"][0]
    assert top["text"] == "final draft" and top["edited"]["user"] == bot.auth_test()["user_id"]
    human_ts = sb.state("slack").messages(cid)[0].ts
    assert _error(lambda: bot.chat_update(channel=cid, ts=human_ts, text="x")) == "cant_update_message"


def test_ephemeral_reaches_one_user_and_stays_out_of_history(sb, bot):
    cid = _cid(sb, "incidents")
    ana = sb.state("slack").user_by_name("ana").id
    body = bot.chat_postEphemeral(channel=cid, user=ana, text="only for you").data
    validate_response("slack", "POST", "/chat.postEphemeral", body)
    assert sb.state("slack").ephemeral[-1]["text"] == "only for you"
    assert all(m["text"] != "only for you" for m in bot.conversations_history(channel=cid).data["messages"])


def test_permalinks_open_a_page_showing_the_message(sb, bot):
    cid = _cid(sb, "incidents")
    parent, *replies = sb.state("slack").thread(cid, sb.state("slack").messages(cid)[-1].ts)
    body = bot.chat_getPermalink(channel=cid, message_ts=parent.ts).data
    validate_response("slack", "GET", "/chat.getPermalink", body)
    assert body["permalink"] == f"{sb.urls['slack']}/archives/{cid}/p{parent.ts.replace('.', '')}"
    link = bot.chat_getPermalink(channel=cid, message_ts=replies[-1].ts)["permalink"]
    assert link.endswith(f"/p{replies[-1].ts.replace('.', '')}?thread_ts={parent.ts}&cid={cid}")
    with urllib.request.urlopen(link) as resp:
        page = resp.read().decode()
    assert resp.status == 200
    assert "Checkout is DOWN for everyone" in page and "all green <b>@Ana Lopez</b>" in page and "Ben Ode" in page
    with urllib.request.urlopen(sb.urls["slack"] + "/") as resp:
        index = resp.read().decode()
    assert "#incidents" in index and "#secret" not in index


def test_conversations_list_info_and_members(sb, bot):
    body = bot.conversations_list(types="public_channel,private_channel").data
    validate_response("slack", "GET", "/conversations.list", body)
    assert {c["name"] for c in body["channels"]} == {"incidents", "random", "ops-private"}
    public = bot.conversations_list().data["channels"]
    assert {c["name"]: c["is_member"] for c in public} == {"incidents": True, "random": False}
    first = bot.conversations_list(types="public_channel,private_channel", limit=2).data
    rest = bot.conversations_list(types="public_channel,private_channel", limit=2,
                                  cursor=first["response_metadata"]["next_cursor"]).data
    assert [c["name"] for c in first["channels"] + rest["channels"]] == [c["name"] for c in body["channels"]]
    info = bot.conversations_info(channel=_cid(sb, "incidents")).data
    validate_response("slack", "GET", "/conversations.info", info)
    assert info["channel"]["topic"]["value"] == "Outages" and info["channel"]["num_members"] == 3
    members = bot.conversations_members(channel=_cid(sb, "ops-private")).data
    validate_response("slack", "GET", "/conversations.members", members)
    s = sb.state("slack")
    assert set(members["members"]) == {s.user_by_name("ana").id, s.user_by_name("postmortem").id}


def test_users_info_and_list(sb, bot):
    ana = sb.state("slack").user_by_name("ana").id
    body = bot.users_info(user=ana).data
    validate_response("slack", "GET", "/users.info", body)
    user = body["user"]
    assert user["real_name"] == "Ana Lopez" and user["profile"]["title"] == "SRE" and user["tz"] == "Etc/UTC"
    assert user["profile"]["email"] == "ana@tiny.test" and user["is_bot"] is False
    listed = bot.users_list().data
    validate_response("slack", "GET", "/users.list", listed)
    assert {u["name"]: u["is_bot"] for u in listed["members"]} == {"ana": False, "ben": False, "postmortem": True}


def test_posts_are_announced_to_event_listeners(sb, bot):
    events = []
    sb.state("slack").listeners.append(events.append)
    ts = bot.chat_postMessage(channel="incidents", text="hello listeners")["ts"]
    assert events == [{"type": "message", "channel": _cid(sb, "incidents"), "user": bot.auth_test()["user_id"],
                       "text": "hello listeners", "ts": ts, "event_ts": ts, "channel_type": "channel",
                       "team": "T0TINY0001", "bot_id": bot.auth_test()["bot_id"]}]
