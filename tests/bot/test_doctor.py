"""`/postmortem doctor` in Slack: the setup table, shown only to the person who asked."""

from __future__ import annotations

import pytest

from sandbox.server import Sandbox
from tests.support.bot import bot_parents, health, running_bot, wait_until


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A sandbox of its own (the doctor writes a test page to its Notion, and a test injects faults)."""
    with Sandbox() as sb, running_bot(sb, tmp_path_factory.mktemp("bot")) as (bot, drv):
        yield sb, bot, drv


def ask(drv, user: str, channel: str) -> dict:
    """`/postmortem doctor` as `user`; returns the private answer holding the table."""
    before = len(drv.ephemerals(user))
    d = drv.slash_command(user, channel, "doctor")
    assert d.status == 200 and "only you will see the results" in d.body
    found = wait_until(lambda: [e for e in drv.ephemerals(user)[before:] if "*postmortem doctor*" in e["text"]],
                       what="the doctor's answer")
    assert len(found) == 1
    return found[0]


def test_the_doctor_answers_privately_with_the_table(env):
    sb, bot, drv = env
    channel = sb.state("slack").channel_by_name("marketing-ops").id
    seen_in_channel = drv.channel_messages("marketing-ops")
    others = {u: len(drv.ephemerals(u)) for u in ("mike", "priya", "dana")}
    answer = ask(drv, "stefan", "marketing-ops")
    assert answer["channel"] == channel and answer.get("via") is None, "posted with chat.postEphemeral"
    text = answer["text"]
    assert text.startswith(":white_check_mark: *postmortem doctor*: All checks passed"), text
    for check in ("Slack bot token", "Slack bot scopes", "Slack connection", "Notion publish target",
                  "Jira projects", "Model"):
        assert f"\n{check} " in text
    assert "HTTP mode" in text and "offline analyzer" in text, "the bot's own mode and analyzer"
    assert drv.channel_messages("marketing-ops") == seen_in_channel, "nothing is said in the channel"
    assert {u: len(drv.ephemerals(u)) for u in others} == others, "no one else sees it"
    assert not bot_parents(drv, "marketing-ops") and health(bot)["done"] == 0, "no post-mortem was started"


def test_a_failing_service_shows_in_the_private_table(env):
    sb, _, drv = env
    sb.faults.set("jira", status=401)
    try:
        text = ask(drv, "priya", "incidents")["text"]
    finally:
        sb.faults.clear("jira")
    assert text.startswith(":x: *postmortem doctor*: 1 of 14 checks failed: Jira credentials.")
    (line,) = [x for x in text.splitlines() if x.startswith("Jira credentials")]
    assert line.split()[2] == "FAIL" and "(401)" in line


def test_where_the_bot_cannot_post_the_answer_goes_through_the_response_url(env):
    _, _, drv = env
    answer = ask(drv, "dana", "leadership")  # a private channel the bot is not in
    assert answer["via"] == "response_url" and answer["user"] == drv.state.user_by_name("dana").id
