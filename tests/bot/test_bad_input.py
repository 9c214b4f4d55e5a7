"""Bad incident text gets a private answer from the bot; what it repeats of someone's text is short and harmless."""

from __future__ import annotations

import json

import pytest

from bot.replies import ECHO_MAX
from sandbox.server import Sandbox
from tests.support.bot import bot_pages, bot_parents, final_reply, health, running_bot, wait_done, wait_until

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A sandbox of its own (the echo test publishes a page) and the bot serving it over HTTP."""
    with Sandbox() as sb, running_bot(sb, tmp_path_factory.mktemp("bot")) as (bot, drv):
        yield sb, bot, drv


def _nothing_started(sb, bot, drv, channel: str, parents: int, pages: int) -> None:
    assert len(bot_parents(drv, channel)) == parents, "no visible message for a refused request"
    assert len(bot_pages(sb)) == pages
    assert health(bot)["queued"] == 0 and health(bot)["running"] == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("\u200b\u200b", "the text after /postmortem has only invisible characters (such as U+200B ZERO WIDTH SPACE)"),
    (BIDI + "\ufeff\u00ad", "the text after /postmortem has only invisible characters (such as U+202A"),
    ("summer25 " * 1112, "the text after /postmortem is 10007 characters long; the limit is 500"),
])
def test_slash_command_with_unusable_text_is_answered_privately(env, text, expected):
    sb, bot, drv = env
    parents, pages, before = len(bot_parents(drv, "marketing-ops")), len(bot_pages(sb)), len(drv.ephemerals("stefan"))
    d = drv.slash_command("stefan", "marketing-ops", text)
    assert d.status == 200 and expected in d.body
    seen = drv.ephemerals("stefan")[before:]
    assert [e["text"] for e in seen] == [d.body]  # the ack's text, shown to the person who typed the command only
    assert len(seen[0]["text"]) < 300, "the refusal does not repeat the text back"
    _nothing_started(sb, bot, drv, "marketing-ops", parents, pages)


@pytest.mark.parametrize(("text", "expected"), [
    ("\u200b\u2060", "the text after @postmortem has only invisible characters (such as U+200B ZERO WIDTH SPACE)"),
    ("incident " * 100, "the text after @postmortem is 899 characters long; the limit is 500"),
])
def test_mention_with_unusable_text_is_answered_privately(env, text, expected):
    sb, bot, drv = env
    parents, pages, before = len(bot_parents(drv, "incidents")), len(bot_pages(sb)), len(drv.ephemerals("priya"))
    d = drv.mention("priya", "incidents", text)
    assert d.status == 200
    said = wait_until(lambda: drv.ephemerals("priya")[before:], what="the private answer")
    assert expected in said[0]["text"]
    assert [m for m in drv.thread_messages("incidents", d.message_ts)[1:] if m.get("bot_id")] == [], \
        "nothing is said in the thread for everyone to see"
    _nothing_started(sb, bot, drv, "incidents", parents, pages)


def test_echoed_text_is_clipped_stripped_of_direction_controls_and_escaped(env):
    sb, bot, drv = env
    done = wait_done(bot, 0)["done"]  # counted from an idle bot: an earlier job may still be finishing
    text = "\u202esummer25\u202c <!channel> <@U0STEFAN1> &amp; " + "checkout " * 40
    drv.slash_command("tom", "incidents", text)
    parent = wait_until(lambda: [p for p in bot_parents(drv, "incidents") if "checkout" in p["text"]],
                        what="the parent message")[-1]
    echoed = parent["text"].removeprefix("Post-mortem for *").split("* requested by ")[0]
    assert echoed.startswith("summer25 &lt;!channel&gt; &lt;@U0STEFAN1&gt; &amp;amp; checkout")
    assert echoed.endswith("…") and len(echoed) <= ECHO_MAX + 40  # escaping lengthens what was clipped
    assert not set(BIDI) & set(parent["text"])
    reply = final_reply(drv, "incidents", parent["ts"])
    wait_done(bot, done + 1)
    shown = reply["text"] + json.dumps(reply.get("blocks"), ensure_ascii=False)
    assert "<!channel>" not in shown and not set(BIDI) & set(shown)
