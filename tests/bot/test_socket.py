"""The bot over Socket Mode: apps.connections.open on SLACK_API_URL, envelopes acked, the same threads as over HTTP."""

from __future__ import annotations

import pytest

from sandbox.server import Sandbox
from tests.support.bot import (
    bot_pages,
    bot_parents,
    final_reply,
    health,
    page_link,
    replies,
    running_bot,
    wait_done,
    wait_until,
)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with Sandbox() as sb, running_bot(sb, tmp_path_factory.mktemp("bot"), socket=True) as (bot, drv):
        yield sb, bot, drv


def test_slash_command_over_socket_mode_is_acked_and_answered_in_a_thread(env):
    sb, _, drv = env
    d = drv.slash_command("stefan", "marketing-ops", "summer25", via="socket")
    assert d.acked and not d.ack_payload
    parent = wait_until(lambda: bot_parents(drv, "marketing-ops"), what="the parent")[-1]
    result = final_reply(drv, "marketing-ops", parent["ts"])
    assert page_link(result).rsplit("-", 1)[-1] in {p.replace("-", "") for p in bot_pages(sb)}


def test_usage_comes_back_in_the_socket_mode_ack(env):
    _, _, drv = env
    d = drv.slash_command("mike", "incidents", "help", via="socket")
    assert d.acked and "How to use me" in d.ack_payload["text"]


def test_a_redelivered_envelope_makes_one_job(env):
    sb, bot, drv = env
    # An earlier test's job may still be between its reply and its bookkeeping: count from an idle bot.
    idle = wait_done(bot, 0)
    pages, done = len(bot_pages(sb)), idle["done"]
    d = drv.mention("mike", "incidents", "summer25 socket drill", via="socket", retry=2)
    assert d.acked and all(r.acked for r in d.retries) and [r.retry_attempt for r in d.retries] == [1, 2]
    final_reply(drv, "incidents", d.message_ts)
    wait_until(lambda: health(bot)["done"] == done + 1 and not health(bot)["running"], what="the job")
    assert len([m for m in replies(drv, "incidents", d.message_ts) if m.get("bot_id")]) == 2
    assert len(bot_pages(sb)) == pages + 1
    assert health(bot)["mode"] == "socket"
