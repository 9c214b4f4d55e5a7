"""The bot's own Slack posts are never evidence (or each report would cite the last); other apps' alerts still are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from graph.sources.slack_rules import is_own, own_ids
from sandbox.server import Sandbox
from tests.support.bot import bot_parents, final_reply, running_bot, wait_done, wait_until
from tests.support.graph import run_on
from tests.support.workspaces import workspace_dict


@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    """A sandbox where the bot has answered twice: `/postmortem summer25` (its parent and thread in the channel) and
    a bare `@postmortem` in the incident's own thread (its progress line and result reply land in that thread)."""
    with Sandbox() as sb, running_bot(sb, tmp_path_factory.mktemp("bot")) as (bot, drv):
        drv.slash_command("stefan", "marketing-ops", "summer25")
        parent = wait_until(lambda: bot_parents(drv, "marketing-ops"), what="the parent message")[-1]
        final_reply(drv, "marketing-ops", parent["ts"])
        incident = next(m for m in drv.channel_messages("marketing-ops")
                        if m.get("reply_count") and "SUMMER25" in m["text"] and not m.get("bot_id"))
        drv.mention("lea", "marketing-ops", "", thread_ts=incident["ts"])
        final_reply(drv, "marketing-ops", incident["ts"])
        wait_done(bot, 2)
        yield sb, bot, drv, parent, incident


def _bot_refs(sb, drv, channel: str, *threads: dict) -> set[str]:
    cid = sb.state("slack").channel(channel).id
    return {f"{cid}/{m['ts']}" for t in threads for m in drv.thread_messages(channel, t["ts"]) if m.get("bot_id")}


def _a_day_later(sb) -> dict:
    """The window of a run a day after the bot answered, so its posts are inside it (as with a real clock)."""
    return {"now": (sb.workspace.now + timedelta(days=1)).isoformat()}


def test_a_second_run_cites_none_of_the_bots_earlier_posts(answered, tmp_path):
    sb, _, drv, parent, incident = answered
    mine = _bot_refs(sb, drv, "marketing-ops", parent, incident)
    assert len(mine) >= 5  # the parent, two progress lines and two result replies
    result = run_on(sb, tmp_path, incident="summer25", overrides=_a_day_later(sb))
    assert result["sources"]["slack"]["items"] > 0
    assert not [e for e in result["evidence"] if e["author"] == "Postmortem" or e["ref"] in mine]
    root = result["report"]["root_cause"]
    assert "Postmortem" not in root["text"]
    cited = {e["id"]: e for e in result["evidence"]}
    assert all(cited[i]["author"] != "Postmortem" for i in root.get("evidence", []) if i in cited)


def test_asking_the_bot_again_does_not_credit_the_root_cause_to_the_bot(answered):
    sb, bot, drv, _, _ = answered
    done = bot.jobs.stats()["done"]
    drv.slash_command("mike", "marketing-ops", "summer25")
    wait_done(bot, done + 1)
    parent = bot_parents(drv, "marketing-ops")[-1]
    blocks = str(final_reply(drv, "marketing-ops", parent["ts"])["blocks"])
    assert "Root cause:" in blocks and "Postmortem" not in blocks


def test_people_replying_in_the_bots_thread_are_still_heard(answered, tmp_path):
    sb, bot, drv, parent, _ = answered
    done = bot.jobs.stats()["done"]
    drv.mention("lea", "marketing-ops", "for SUMMER25 the rollback finished at 11:02", thread_ts=parent["ts"])
    wait_done(bot, done + 1)  # the bot answers that mention too, in the same thread
    result = run_on(sb, tmp_path, incident="summer25", overrides=_a_day_later(sb))
    assert any("rollback finished at 11:02" in e["text"] for e in result["evidence"])


ALERTS = workspace_dict(slack={
    "team": {"name": "Tiny", "domain": "tiny"},
    "users": [{"name": "ana", "real_name": "Ana Ruiz"},
              {"name": "datadog", "real_name": "Datadog", "is_bot": True},
              {"name": "postmortem", "real_name": "Postmortem", "is_bot": True}],
    "channels": [{"name": "alerts", "messages": [
        {"at": "2025-08-04T09:00:00Z", "user": "datadog",
         "text": "[Triggered] ZAP9 checkout error rate 12% (threshold 5%)"},
        {"at": "2025-08-04T09:05:00Z", "user": "ana", "text": "Looking at ZAP9 now"},
        {"at": "2025-08-04T10:00:00Z", "user": "postmortem",
         "text": "Post-mortem for *ZAP9* requested by Ana: root cause was the config push"},
    ]}],
})


def test_other_apps_alerts_are_evidence_the_bots_own_posts_are_not(make_sandbox, tmp_path):
    result = run_on(make_sandbox(ALERTS), tmp_path, incident="zap9")
    authors = [e["author"] for e in result["evidence"]]
    assert "Datadog" in authors and "Ana Ruiz" in authors
    assert "Postmortem" not in authors


def test_a_message_is_the_apps_own_only_by_its_ids():
    mine = own_ids({"ok": True, "user_id": "U0PMBOT01", "bot_id": "B0PMBOT01"})
    assert is_own({"bot_id": "B0PMBOT01", "user": "U0PMBOT01", "text": "Post-mortem created"}, mine)
    assert is_own({"bot_id": "B0PMBOT01", "text": "an old post without a user"}, mine)
    assert not is_own({"bot_id": "B0DATADOG", "user": "U0DATADOG", "subtype": "bot_message", "text": "alert"}, mine)
    assert not is_own({"user": "U0ANA0001", "text": "a person"}, mine)
    assert not is_own({"user": "U0ANA0001"}, own_ids({}))  # auth.test without ids filters nothing
