"""The Slack rows: the bot token, its scopes against manifest.yml, the user token, and the channels."""

from __future__ import annotations

import pytest

from doctor.slack import check_slack
from tests.doctor.support import config, row
from tests.support.workspaces import workspace_dict


def statuses(rows) -> dict[str, str]:
    return {r.check: r.status for r in rows}


def test_a_working_slack_setup_passes_every_row(summer25):
    rows = check_slack(config(summer25))
    assert statuses(rows) == {"Slack bot token": "ok", "Slack bot scopes": "ok", "Slack user token": "ok",
                              "Slack channels": "ok", "Configured channels": "skip"}
    assert row(rows, "Slack bot token").detail == "valid: @postmortem in Acme"
    assert row(rows, "Slack bot scopes").detail == "all 9 that manifest.yml declares"
    assert row(rows, "Slack channels").detail == "in 3: #general, #incidents, #marketing-ops"
    assert "search:read" in row(rows, "Slack user token").detail
    assert all(not r.fix for r in rows)


@pytest.mark.parametrize(("fault", "token", "expected"), [
    ("token_revoked", None, "Slack refused SLACK_BOT_TOKEN (token_revoked)"),
    (None, "xoxb-not-the-real-one", "Slack refused SLACK_BOT_TOKEN (invalid_auth)"),
])
def test_a_refused_bot_token_says_where_to_copy_a_good_one(sb, fault, token, expected):
    if fault:
        sb.faults.set("slack", auth=fault)
    rows = check_slack(config(sb, **({"slack_bot_token": token} if token else {})))
    bad = row(rows, "Slack bot token")
    assert (bad.status, bad.detail) == ("fail", expected)
    assert "OAuth & Permissions" in bad.fix and "reinstall" in bad.fix
    for check in ("Slack bot scopes", "Slack channels", "Configured channels"):
        assert row(rows, check).status == "skip", "nothing else can be checked without a token"


@pytest.mark.parametrize(("token", "expected"), [
    ("", "SLACK_BOT_TOKEN is not set"),
    ("xapp-1-A0-socket", "SLACK_BOT_TOKEN is an app-level token (xapp-…)"),
    ("xoxp-a-user-token", "SLACK_BOT_TOKEN is not a bot token (xoxb-…)"),
])
def test_a_missing_or_wrong_kind_of_bot_token(summer25, token, expected):
    bad = row(check_slack(config(summer25, slack_bot_token=token)), "Slack bot token")
    assert (bad.status, bad.detail) == ("fail", expected)
    assert "Bot User OAuth Token (xoxb-…)" in bad.fix


def test_slack_down_is_told_apart_from_a_bad_token(sb):
    sb.faults.set("slack", status=503)
    bad = row(check_slack(config(sb)), "Slack bot token")
    assert bad.status == "fail" and bad.detail == "Slack answered HTTP 503 (internal_error)"
    assert "run postmortem doctor again" in bad.fix


def test_a_token_without_a_scope_the_manifest_declares_fails_naming_it(sb):
    sb.faults.set("slack", scopes=("-channels:history", "-users:read"))
    bad = row(check_slack(config(sb)), "Slack bot scopes")
    assert (bad.status, bad.detail) == ("fail", "missing channels:history, users:read")
    assert "under oauth_config.scopes.bot" in bad.fix and "reinstall the app" in bad.fix


def test_the_user_token_is_optional(summer25):
    skipped = row(check_slack(config(summer25, slack_user_token="")), "Slack user token")
    assert skipped.status == "skip" and skipped.detail.startswith("optional")


@pytest.mark.parametrize(("token", "expected"), [
    ("xoxb-sandbox-0000000001-postmortem-bot", "SLACK_USER_TOKEN is not a user token (xoxp-…)"),
    ("xoxp-revoked", "Slack refused SLACK_USER_TOKEN (invalid_auth)"),
])
def test_a_user_token_that_cannot_search_fails(summer25, token, expected):
    bad = row(check_slack(config(summer25, slack_user_token=token)), "Slack user token")
    assert (bad.status, bad.detail) == ("fail", expected)
    assert "User OAuth Token (xoxp-…)" in bad.fix and "optional" in bad.fix


def test_configured_channels_not_joined_or_not_existing_fail_with_the_invite_to_type(summer25):
    rows = check_slack(config(summer25, slack_channels=["incidents", "random", "incidnts", "leadership"]))
    bad = row(rows, "Configured channels")
    assert bad.status == "fail"
    assert bad.detail == ("#random: not joined; #incidnts: no such channel (did you mean #incidents?); "
                          "#leadership: no such channel")
    assert "Type /invite @postmortem in #random." in bad.fix
    assert "Fix #incidnts, #leadership in POSTMORTEM_SLACK_CHANNELS" in bad.fix
    assert row(rows, "Slack channels").status == "ok"


def test_configured_channels_the_bot_is_in_pass(summer25):
    good = row(check_slack(config(summer25, slack_channels=["incidents", "marketing-ops"])), "Configured channels")
    assert (good.status, good.detail) == ("ok", "all 2 joined: #incidents, #marketing-ops")


def test_a_bot_in_no_channel_fails(make_sandbox):
    sb = make_sandbox(workspace_dict(slack={"users": [{"name": "ana"}], "channels": [
        {"name": "incidents", "members": ["ana"]}]}))
    bad = row(check_slack(config(sb)), "Slack channels")
    assert (bad.status, bad.detail) == ("fail", "the bot is in no channel, so it has nothing to read")
    assert "/invite @postmortem" in bad.fix
