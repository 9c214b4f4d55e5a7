"""The sandbox's Slack Web API conventions, through slack_sdk: tokens, errors, channel access, form posts, 429s."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from tests.support.openapi_check import validate_response
from tests.support.slack_api import _cid, _error, _slack

WORKSPACE = _slack  # served by conftest.py's `sb`


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


def test_unknown_thread_and_channel_errors(sb, bot):
    cid = _cid(sb, "incidents")
    assert _error(lambda: bot.conversations_replies(channel=cid, ts="1000000000.000001")) == "thread_not_found"
    assert _error(lambda: bot.conversations_history(channel="C0NOPE00000")) == "channel_not_found"
    assert _error(lambda: bot.users_info(user="U0NOBODY00")) == "user_not_found"


def test_form_encoded_post_with_token_field_is_accepted(sb):
    client = WebClient(base_url=sb.env["SLACK_API_URL"])
    body = client.api_call("chat.postMessage", data={"token": sb.env["SLACK_BOT_TOKEN"], "channel": "#incidents",
                                                     "blocks": '[{"type": "divider"}]', "text": "form post"}).data
    assert body["ok"] and body["channel"] == _cid(sb, "incidents") and body["message"]["blocks"] == [{"type": "divider"}]


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
