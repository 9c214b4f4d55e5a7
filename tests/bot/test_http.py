"""The bot over HTTP, end to end: Slack (the sandbox) sends signed requests, the bot answers in threads and Notion."""

from __future__ import annotations

import pytest

from bot.listeners.mentions import incident_from_text
from sandbox.server import Sandbox
from tests.support.bot import (
    bot_pages,
    bot_parents,
    final_reply,
    health,
    page_link,
    page_text,
    replies,
    running_bot,
    wait_done,
    wait_until,
)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A sandbox of its own (this module publishes pages) and the bot serving it over HTTP."""
    with Sandbox() as sb, running_bot(sb, tmp_path_factory.mktemp("bot")) as (bot, drv):
        yield sb, bot, drv


def test_slash_command_acks_empty_then_posts_parent_progress_and_a_link_to_the_new_page(env):
    sb, bot, drv = env
    before = wait_done(bot, 0)["done"]  # counted from an idle bot: an earlier job may still be finishing
    d = drv.slash_command("stefan", "marketing-ops", "summer25")
    assert d.status == 200 and d.body == ""  # acknowledged with nothing shown: the work goes to the channel
    parent = wait_until(lambda: bot_parents(drv, "marketing-ops"), what="the parent message")[-1]
    assert parent["text"] == "Post-mortem for *summer25* requested by <@U0STEFAN1>"
    result = final_reply(drv, "marketing-ops", parent["ts"])
    wait_done(bot, before + 1)
    progress, *_ = replies(drv, "marketing-ops", parent["ts"])
    assert progress["text"].startswith("Slack: ") and " · Notion: " in progress["text"] and "done" in progress["text"]
    assert progress.get("edited"), "the progress line is one message edited in place"
    url = page_link(result)
    assert url.rsplit("-", 1)[-1] in {pid.replace("-", "") for pid in bot_pages(sb)}
    assert "SUMMER25" in page_text(url)
    blocks = str(result["blocks"])
    assert "Root cause:" in blocks and "inactive" in blocks
    assert "Action items" in blocks and "Tom Becker" in blocks  # owners named, never raw ids
    assert "Sources: Slack: " in blocks


def test_asking_twice_for_the_same_incident_updates_the_page_instead_of_adding_one(env):
    sb, bot, drv = env
    pages = len(bot_pages(sb))
    verbs = []
    for _ in range(2):
        drv.slash_command("mike", "incidents", "SUMMER25 checkout failures")
        parent = wait_until(lambda: [p for p in bot_parents(drv, "incidents") if "checkout failures" in p["text"]
                                     and p["ts"] not in {v[0] for v in verbs}], what="a new parent")[-1]
        verbs.append((parent["ts"], final_reply(drv, "incidents", parent["ts"])["text"].split(":")[0]))
    assert [v for _, v in verbs] == ["Post-mortem created", "Post-mortem updated"]
    assert len(bot_pages(sb)) == pages + 1


def test_mention_answers_in_the_thread_of_the_mention(env):
    _, _, drv = env
    d = drv.mention("priya", "incidents", "summer25")
    assert d.status == 200
    result = final_reply(drv, "incidents", d.message_ts)
    assert result["text"].startswith("Post-mortem ") and "http" in result["text"]
    assert replies(drv, "incidents", d.message_ts)[0]["text"].startswith("Slack: ")


def test_bare_mention_in_a_thread_writes_up_the_incident_that_thread_discusses(env):
    _, _, drv = env
    parent = next(m for m in drv.channel_messages("marketing-ops") if m.get("reply_count") and "SUMMER25" in m["text"])
    d = drv.mention("lea", "marketing-ops", "", thread_ts=parent["ts"])
    result = final_reply(drv, "marketing-ops", parent["ts"])
    assert result["thread_ts"] == parent["ts"]
    assert "SUMMER25" in page_text(page_link(result))
    assert d.status == 200


def test_bare_mention_outside_a_thread_and_help_get_usage_and_no_job(env):
    _, bot, drv = env
    done = wait_done(bot, 0)["done"]  # counted from an idle bot: an earlier job may still be finishing
    for text in ("", "help"):
        d = drv.mention("mike", "incidents", text)
        reply = wait_until(lambda d=d: replies(drv, "incidents", d.message_ts), what="the usage reply")
        assert "How to use me" in reply[0]["text"] and "/postmortem summer25" in reply[0]["text"]
    assert health(bot)["done"] == done and not health(bot)["queued"]


def test_slash_command_without_text_shows_usage_only_to_the_person(env):
    _, _, drv = env
    posted = len(drv.channel_messages("general"))
    d = drv.slash_command("tom", "general", "  ")
    assert d.status == 200 and "How to use me" in d.body
    assert any("How to use me" in e["text"] for e in drv.ephemerals("tom"))
    assert len(drv.channel_messages("general")) == posted


@pytest.mark.parametrize("fault", ["bad_signature", "stale"])
def test_unsigned_or_replayed_requests_are_refused(env, fault):
    _, bot, drv = env
    done, posted = wait_done(bot, 0)["done"], len(drv.channel_messages("general"))
    d = drv.slash_command("tom", "general", "summer25", **{fault: True})
    assert d.status == 401
    e = drv.mention("tom", "general", "summer25", **{fault: True})
    assert e.status == 401
    assert len(drv.channel_messages("general")) == posted + 1  # only tom's own message
    assert health(bot)["done"] == done and not health(bot)["queued"]


def test_retried_event_delivery_is_acked_but_makes_one_page(env):
    sb, bot, drv = env
    done = wait_done(bot, 0)["done"]  # counted from an idle bot: an earlier job may still be finishing
    pages = len(bot_pages(sb))
    d = drv.mention("mike", "incidents", "summer25 retry drill", retry=2)
    assert d.status == 200 and [r.status for r in d.retries] == [200, 200]
    final_reply(drv, "incidents", d.message_ts)
    wait_done(bot, done + 1)
    bot_msgs = [m for m in replies(drv, "incidents", d.message_ts) if m.get("bot_id")]
    assert len(bot_msgs) == 2  # one progress line, one result
    assert len(bot_pages(sb)) == pages + 1


def test_command_in_a_public_channel_the_bot_is_not_in_joins_it(env):
    sb, _, drv = env
    assert sb.state("slack").bot_user_id not in sb.state("slack").channel_by_name("random").members
    drv.slash_command("carla", "random", "summer25")
    parent = wait_until(lambda: bot_parents(drv, "random"), what="the parent in #random")[-1]
    assert final_reply(drv, "random", parent["ts"])["text"].startswith("Post-mortem ")
    assert sb.state("slack").bot_user_id in sb.state("slack").channel_by_name("random").members


def test_command_in_a_private_channel_without_the_bot_explains_how_to_invite_it(env):
    _, _, drv = env
    d = drv.slash_command("dana", "leadership", "summer25")
    assert d.status == 200
    hint = wait_until(lambda: [e for e in drv.ephemerals("dana") if "/invite @postmortem" in e["text"]],
                      what="the invite hint")
    assert hint[0]["channel"] == "G0LEADRS1"
    assert not bot_parents(drv, "leadership")


def test_health_endpoint_and_url_verification(env):
    _, bot, drv = env
    h = health(bot)
    assert h["ok"] is True and h["mode"] == "http" and h["workers"] == 4
    assert drv.url_verification().acked


@pytest.mark.parametrize(("parent", "incident"), [
    ("<!here> customers say the SUMMER25 code fails :scream:", "SUMMER25"),
    ("Checkout is down for EU customers since the 10:00 deploy, see <https://status.example.com|status>",
     "Checkout is down for EU customers since the"),
    ("<@U0MIKE001> #promo42 looks broken", "promo42"),
])
def test_a_bare_mention_names_the_incident_after_the_threads_first_message(parent, incident):
    assert incident_from_text(parent) == incident
