"""search.messages in the sandbox Slack, through slack_sdk: a user token, every word matched, public channels only."""

from __future__ import annotations

from slack_sdk import WebClient

from tests.support.openapi_check import validate_response
from tests.support.slack_api import _error, _slack

WORKSPACE = _slack  # served by conftest.py's `sb`


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


def test_a_reply_names_its_thread_only_inside_the_permalink(sb):
    user = WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_USER_TOKEN"])
    reply = user.search_messages(query="load balancer").data["messages"]["matches"][0]
    parent = user.search_messages(query="everyone").data["messages"]["matches"][0]
    assert "thread_ts" not in reply and "thread_ts" not in parent  # as on Slack: no thread field in a match
    assert reply["permalink"].endswith(f"?thread_ts={parent['ts']}&cid={reply['channel']['id']}")
    assert "?" not in parent["permalink"]
