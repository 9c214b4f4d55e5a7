"""With a search token, Slack is read by search.messages and the matching threads, not by walking whole histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.support.graph import run_on
from tests.support.workspaces import workspace_dict

USERS = [{"name": "ann", "real_name": "Ann Lee"}, {"name": "bo", "real_name": "Bo Chen"}]
START = datetime(2025, 7, 10, tzinfo=UTC)


def at(minutes: int) -> str:
    return (START + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def busy_workspace() -> dict:
    """#ops: 1,000 messages of chatter (five pages of history) around one incident thread and two loose mentions."""
    messages = [{"at": at(30 * i), "user": "ann", "text": f"deploy {i} went fine"} for i in range(1000)]
    messages += [
        {"at": at(20_000), "user": "ann", "text": "ZAP9 is rejected at checkout", "replies": [
            {"at": at(20_001), "user": "bo", "text": "Looking"}, {"at": at(20_002), "user": "bo", "text": "Fixed"}]},
        {"at": at(20_010), "user": "bo", "text": "zap9 refunds are being handled"},
        {"at": at(20_020), "user": "ann", "text": "the Zap 9 code works again"},  # the matcher's zap9 too
    ]
    return workspace_dict(slack={"team": {"id": "T0TINY001", "name": "Tiny", "domain": "tiny"}, "users": USERS,
                                 "channels": [{"name": "ops", "messages": messages}]})


def slack_refs(result: dict) -> set[str]:
    return {e["ref"] for e in result["evidence"] if e["source"] == "slack"}


def test_search_reads_only_the_matching_threads_and_finds_what_the_history_walk_finds(make_sandbox, tmp_path):
    sb = make_sandbox(busy_workspace())
    searched = run_on(sb, tmp_path, incident="zap9")
    walked = run_on(sb, tmp_path, incident="zap9", overrides={"slack_user_token": ""})
    assert slack_refs(searched) == slack_refs(walked) and len(slack_refs(searched)) == 5 + 10
    # without the keyword: what #ops said in the two hours before the incident's first message (4 notes), and the
    # latest 5 rollout notes of the 36 hours before that, read for the change that may have set it off
    notes = sorted(e["at"] for e in searched["evidence"] if e["text"].endswith("went fine"))
    assert all(e["context"] for e in searched["evidence"] if e["text"].endswith("went fine"))
    assert notes == [at(30 * i) for i in range(658, 668)]  # 17:00 … 21:30: five rollout notes, then the range
    # auth.test, users.list, conversations.list; search for "zap9", "zap 9" and "zap-9"; the three matches' threads;
    # then auth.test, conversations.list and one page of #ops history for the range
    assert searched["requests"]["slack"] == 3 + 3 + 3 + 3
    # auth.test, users.list, conversations.list; six pages of history; the one thread with replies; the range
    assert walked["requests"]["slack"] == 3 + 6 + 1 + 3


def test_a_token_that_may_not_search_falls_back_to_the_history_walk(make_sandbox, tmp_path):
    sb = make_sandbox(busy_workspace())
    bot_token = sb.env["SLACK_BOT_TOKEN"]  # Slack refuses search.messages to bot tokens
    result = run_on(sb, tmp_path, incident="zap9", overrides={"slack_user_token": bot_token})
    assert len(slack_refs(result)) == 5 + 10 and result["sources"]["slack"]["status"] == "ok"
    assert result["requests"]["slack"] == 3 + 1 + 6 + 1 + 3  # the refused search, then the walk, then the range
