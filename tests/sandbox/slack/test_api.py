"""The sandbox's Slack Web API, driven through the real slack_sdk WebClient over HTTP."""

from __future__ import annotations

import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from sandbox import ids
from tests.support.openapi_check import validate_response
from tests.support.workspaces import workspace_dict

USERS = [
    {"name": "ana", "real_name": "Ana Lopez", "title": "SRE", "email": "ana@tiny.test"},
    {"name": "ben", "real_name": "Ben Ode"},
]


def _slack(**extra_channels) -> dict:
    incidents = {
        "name": "incidents",
        "topic": "Outages",
        "messages": [
            {"at": f"2025-08-04T09:0{i}:00Z", "user": "ana" if i % 2 else "ben", "text": f"update number {i}"}
            for i in range(7)
        ] + [{
            "at": "2025-08-04T10:00:00Z", "user": "ana", "text": "Checkout is DOWN for everyone",
            "replies": [
                {"at": "2025-08-04T10:01:00Z", "user": "ben", "text": "looking at the load balancer"},
                {"at": "2025-08-04T10:02:00Z", "user": "ana", "text": "rolled back, recovering"},
                {"at": "2025-08-04T10:03:00Z", "user": "ben", "text": f"all green <@{ids.slack_id('U', 'ana')}>"},
            ],
        }],
    }
    channels = [
        incidents,
        {"name": "random", "members": ["ana", "ben"],
         "messages": [{"at": "2025-08-04T08:00:00Z", "user": "ben", "text": "lunch? checkout the new place"}]},
        {"name": "secret", "private": True, "members": ["ana"],
         "messages": [{"at": "2025-08-04T08:00:00Z", "user": "ana", "text": "checkout salaries"}]},
        {"name": "ops-private", "private": True, "members": ["ana", "postmortem"]},
    ]
    return workspace_dict(slack={"team": {"id": "T0TINY0001", "name": "Tiny", "domain": "tiny"},
                                 "users": USERS, "channels": channels})


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(_slack())


@pytest.fixture
def bot(sb):
    return WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_BOT_TOKEN"])


def _cid(sb, name: str) -> str:
    return sb.state("slack").channel_by_name(name).id


def _error(call) -> str:
    with pytest.raises(SlackApiError) as exc:
        call()
    body = exc.value.response.data
    # Slack's shape for failures; the 2021 spec's per-method error enums predate codes like not_in_channel.
    assert exc.value.response.status_code == 200 and body["ok"] is False and set(body) <= {"ok", "error", "warning"}
    return body["error"]


def test_auth_test_names_the_bot_and_team(sb, bot):
    body = bot.auth_test().data
    validate_response("slack", "GET", "/auth.test", body)
    assert body["user"] == "postmortem" and body["team"] == "Tiny" and body["team_id"] == "T0TINY0001"
    assert body["url"] == sb.urls["slack"] + "/" and body["bot_id"].startswith("B")
    assert body["user_id"] == sb.state("slack").user_by_name("postmortem").id


def test_bad_or_missing_token_is_refused_like_slack(sb):
    url = sb.env["SLACK_API_URL"]
    assert _error(lambda: WebClient(base_url=url, token="xoxb-nope").auth_test()) == "invalid_auth"
    assert _error(lambda: WebClient(base_url=url).conversations_list()) == "not_authed"


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


def test_unknown_thread_and_channel_errors(sb, bot):
    cid = _cid(sb, "incidents")
    assert _error(lambda: bot.conversations_replies(channel=cid, ts="1000000000.000001")) == "thread_not_found"
    assert _error(lambda: bot.conversations_history(channel="C0NOPE00000")) == "channel_not_found"
    assert _error(lambda: bot.users_info(user="U0NOBODY00")) == "user_not_found"


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


def test_form_encoded_post_with_token_field_is_accepted(sb):
    client = WebClient(base_url=sb.env["SLACK_API_URL"])
    body = client.api_call("chat.postMessage", data={"token": sb.env["SLACK_BOT_TOKEN"], "channel": "#incidents",
                                                     "blocks": '[{"type": "divider"}]', "text": "form post"}).data
    assert body["ok"] and body["channel"] == _cid(sb, "incidents") and body["message"]["blocks"] == [{"type": "divider"}]


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


def test_bot_reads_only_channels_it_is_in(sb, bot):
    random_id, secret_id = _cid(sb, "random"), _cid(sb, "secret")
    assert _error(lambda: bot.conversations_history(channel=random_id)) == "not_in_channel"
    assert _error(lambda: bot.chat_postMessage(channel=random_id, text="hi")) == "not_in_channel"
    assert _error(lambda: bot.conversations_history(channel=secret_id)) == "channel_not_found"
    assert _error(lambda: bot.conversations_info(channel=secret_id)) == "channel_not_found"
    assert _error(lambda: bot.conversations_join(channel=secret_id)) == "channel_not_found"
    joined = bot.conversations_join(channel=random_id).data
    validate_response("slack", "POST", "/conversations.join", joined)
    assert joined["channel"]["is_member"] is True
    assert bot.conversations_history(channel=random_id)["messages"][0]["text"].startswith("lunch?")


def test_private_channel_join_is_not_supported(sb, bot):
    assert _error(lambda: bot.conversations_join(channel=_cid(sb, "ops-private"))) == \
        "method_not_supported_for_channel_type"


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


def test_search_needs_a_user_token_and_matches_every_word(sb, bot):
    assert _error(lambda: bot.search_messages(query="checkout")) == "not_allowed_token_type"
    user = WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_USER_TOKEN"])
    body = user.search_messages(query="CHECKOUT").data
    validate_response("slack", "GET", "/search.messages", body)
    texts = {m["text"] for m in body["messages"]["matches"]}
    # Public channels only: #secret's message never shows, even though the words match.
    assert texts == {"Checkout is DOWN for everyone", "lunch? checkout the new place"}
    match = next(m for m in body["messages"]["matches"] if m["channel"]["name"] == "incidents")
    assert match["username"] == "ana" and match["permalink"].startswith(sb.urls["slack"] + "/archives/")
    narrowed = user.search_messages(query="checkout down").data["messages"]
    assert [m["text"] for m in narrowed["matches"]] == ["Checkout is DOWN for everyone"]
    assert narrowed["paging"]["total"] == 1 and narrowed["pagination"]["page_count"] == 1
    paged = user.search_messages(query="update", count=3, page=3).data["messages"]
    assert [m["text"] for m in paged["matches"]] == ["update number 0"] and paged["paging"]["pages"] == 3


def test_rate_limit_is_retried_after_retry_after(sb):
    url, token, cid = sb.env["SLACK_API_URL"], sb.env["SLACK_BOT_TOKEN"], _cid(sb, "incidents")
    fault = sb.faults.set("slack", status=429, count=1, retry_after=1)
    with pytest.raises(SlackApiError) as exc:  # without a retry handler the 429 reaches the caller
        WebClient(base_url=url, token=token).conversations_history(channel=cid)
    assert exc.value.response.status_code == 429 and exc.value.response.headers["Retry-After"] == "1"
    fault = sb.faults.set("slack", status=429, count=1, retry_after=1)
    client = WebClient(base_url=url, token=token, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    body = client.conversations_history(channel=cid).data
    assert fault.seen == 1 and body["ok"] and len(body["messages"]) == 8


def test_posts_are_announced_to_event_listeners(sb, bot):
    events = []
    sb.state("slack").listeners.append(events.append)
    ts = bot.chat_postMessage(channel="incidents", text="hello listeners")["ts"]
    assert events == [{"type": "message", "channel": _cid(sb, "incidents"), "user": bot.auth_test()["user_id"],
                       "text": "hello listeners", "ts": ts, "event_ts": ts, "channel_type": "channel",
                       "team": "T0TINY0001", "bot_id": bot.auth_test()["bot_id"]}]
