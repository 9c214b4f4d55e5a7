"""The Slack connection row: the mode the bot would start in, and what that mode needs."""

from __future__ import annotations

import pytest

from doctor.mode import check_mode

APP, SECRET = "xapp-1-A0-socket", "8f3a-signing"


@pytest.mark.parametrize(("env", "expected"), [
    ({"SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET}, "Socket Mode: SLACK_APP_TOKEN is set"),
    ({"SLACK_APP_TOKEN": APP}, "Socket Mode: SLACK_APP_TOKEN is set"),
    ({"SLACK_SIGNING_SECRET": SECRET}, "HTTP mode: SLACK_SIGNING_SECRET is set"),
])
def test_each_mode_with_what_it_needs_passes(env, expected):
    (good,) = check_mode(env)
    assert good.status == "ok" and good.detail.startswith(expected)


def test_neither_an_app_token_nor_a_signing_secret_fails_naming_both_ways():
    (bad,) = check_mode({"SLACK_APP_TOKEN": " ", "SLACK_SIGNING_SECRET": ""})
    assert bad.status == "fail"
    assert bad.detail == "neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is set"
    assert "Signing Secret" in bad.fix and "set SLACK_APP_TOKEN to use Socket Mode" in bad.fix


def test_an_app_token_of_the_wrong_kind_fails_even_with_a_signing_secret():
    (bad,) = check_mode({"SLACK_APP_TOKEN": "xoxb-bot-token", "SLACK_SIGNING_SECRET": SECRET})
    assert (bad.status, bad.detail) == ("fail", "SLACK_APP_TOKEN is not an app-level token (xapp-…)")
    assert "connections:write" in bad.fix and "App-Level Tokens" in bad.fix
