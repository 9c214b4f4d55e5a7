"""The sandbox's Slack names each token's scopes (X-OAuth-Scopes) and enforces them; a fault takes some away."""

from __future__ import annotations

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.faults import Faults, FaultSpecError
from tests.support import ROOT


def client(sb, token: str = "SLACK_BOT_TOKEN") -> WebClient:
    return WebClient(token=sb.env[token], base_url=sb.env["SLACK_API_URL"])


def scopes(response) -> list[str]:
    header = {k.lower(): v for k, v in response.headers.items()}["x-oauth-scopes"]
    return header.split(",")


def test_tokens_carry_the_scopes_manifest_yml_declares(summer25):
    declared = yaml.safe_load((ROOT / "manifest.yml").read_text())["oauth_config"]["scopes"]
    assert scopes(client(summer25).auth_test()) == declared["bot"]
    assert scopes(client(summer25, "SLACK_USER_TOKEN").auth_test()) == declared["user"]


def test_a_scope_taken_away_is_missing_from_the_header_and_refused(sb):
    sb.faults.load("slack:scopes=-channels:history")
    bot = client(sb)
    assert "channels:history" not in scopes(bot.auth_test())
    incidents = sb.state("slack").channel_by_name("incidents").id
    with pytest.raises(SlackApiError) as refused:
        bot.conversations_history(channel=incidents)
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "channels:history"
    assert bot.conversations_info(channel=incidents)["ok"], "what the other scopes allow still works"


def test_a_revoked_token_is_refused_everywhere(sb):
    sb.faults.load("slack:auth=token_revoked")
    with pytest.raises(SlackApiError) as refused:
        client(sb).auth_test()
    assert refused.value.response["error"] == "token_revoked"
    assert client(sb, "SLACK_USER_TOKEN").auth_test()["ok"], "only the bot token is revoked"


@pytest.mark.parametrize(("spec", "expected"), [
    ("slack:scopes=channels:history", "give a scope to remove or add"),
    ("jira:scopes=-channels:history", "Slack token faults"),
    ("notion:auth=token_revoked", "Slack token faults"),
])
def test_token_faults_that_make_no_sense_are_refused(spec, expected):
    with pytest.raises(FaultSpecError, match=expected):
        Faults().load(spec)
