"""Through the real bot: the Slack thread and the page it links to never show a pasted or typed credential."""

from __future__ import annotations

import json

import pytest

from bot.config import ConfigError, load_settings
from tests.support.bot import (
    bot_env,
    bot_parents,
    final_reply,
    page_link,
    page_text,
    running_bot,
    wait_done,
    wait_until,
)
from tests.support.leaky_workspace import EXTRA_PATTERNS, leaks, leaky_workspace

TYPED = "promo42 DATABASE_URL=postgres://cms:Pr0mo-Launch-2025@db.internal:5432/cms"
EXTRA = {"redact_patterns": EXTRA_PATTERNS}


def _thread(drv, typed: str) -> tuple[dict, dict, list[dict]]:
    drv.slash_command("ann", "incidents", typed)
    parent = wait_until(lambda: bot_parents(drv, "incidents"), what="the parent message")[-1]
    final = final_reply(drv, "incidents", parent["ts"])
    return parent, final, drv.thread_messages("incidents", parent["ts"])


def test_the_slack_thread_and_the_linked_page_show_no_credential(make_sandbox, tmp_path):
    sb = make_sandbox(leaky_workspace())
    with running_bot(sb, tmp_path, overrides=EXTRA) as (bot, drv):
        parent, final, _ = _thread(drv, TYPED)
        wait_done(bot, 1)  # everything the job posts, the Markdown's last message included
        thread = drv.thread_messages("incidents", parent["ts"])
    assert parent["text"].startswith("Post-mortem for *promo42 DATABASE_URL=postgres://cms:[redacted: password-in-url]@")
    assert final["text"].startswith("Post-mortem created")
    assert leaks(json.dumps(thread)) == []  # every message's text and blocks: parent, progress, result
    page = page_text(page_link(final))
    assert leaks(page) == [] and "credentials were redacted" in page


def test_the_markdown_fallback_in_the_thread_shows_no_credential(make_sandbox, tmp_path):
    sb = make_sandbox(leaky_workspace())
    with running_bot(sb, tmp_path, overrides=EXTRA | {"notion_token": ""}) as (bot, drv):
        parent, final, _ = _thread(drv, TYPED)
        wait_done(bot, 1)  # everything the job posts, the Markdown's last message included
        thread = drv.thread_messages("incidents", parent["ts"])
    markdown = [m["text"] for m in thread if m["text"].startswith("```")]
    assert markdown and "[redacted: password-in-url]@db.internal:5432/cms" in "\n".join(markdown)
    assert "credentials were redacted" in "\n".join(markdown)
    assert leaks(json.dumps(thread)) == []


def test_a_malformed_pattern_stops_the_bot_at_start_naming_the_variable(summer25):
    env = bot_env(summer25, POSTMORTEM_REDACT_PATTERNS="acme-key=acme_[")
    with pytest.raises(ConfigError, match="POSTMORTEM_REDACT_PATTERNS: pattern 'acme-key'"):
        load_settings(env)
