"""Retrieval through the real clients on small workspaces: spellings, windows, threads, search, privacy, budget."""

from __future__ import annotations

from graph.analyze.request import prompt_tokens
from graph.evidence import Evidence
from graph.rank import rank_and_cap
from graph.terms import extract_terms, is_match
from tests.support.graph import run_on
from tests.support.workspaces import workspace_dict

USERS = [{"name": "ann", "real_name": "Ann Lee"}, {"name": "bo", "real_name": "Bo Chen"}]


def msg(at: str, text: str, user: str = "ann", replies=()):
    out = {"at": at, "user": user, "text": text}
    return out | {"replies": list(replies)} if replies else out


def slack(*channels):
    return {"team": {"id": "T0TINY001", "name": "Tiny", "domain": "tiny"}, "users": USERS, "channels": list(channels)}


def test_spellings_of_the_code_all_match():
    terms = extract_terms("SUMMER25")
    for text in ["SUMMER25 broken", "summer25?", "the Summer 25 code", "#summer25 channel", "<#C1|summer25>"]:
        assert is_match(text, terms), text
    assert not is_match("summer sale 2025", terms)


def test_window_threads_and_names(make_sandbox, tmp_path):
    ops = {"name": "ops", "messages": [
        msg("2025-08-04T09:00:00Z", "Checkout rejects ZAP9 for everyone", replies=[
            msg("2025-08-04T09:01:00Z", "<@U0BO00001> can you look?"),
            msg("2025-08-04T09:02:00Z", "Fixed, it was a typo in the rule", user="bo")]),
        msg("2025-06-01T09:00:00Z", "Old ZAP9 discussion outside the window"),
    ]}
    data = workspace_dict(slack=slack(ops))
    data["slack"]["users"][1]["id"] = "U0BO00001"
    sb = make_sandbox(data)
    result = run_on(sb, tmp_path, incident="zap9")
    slack_items = [e for e in result["evidence"] if e["source"] == "slack"]
    assert [e["at"] for e in slack_items] == ["2025-08-04T09:00:00Z", "2025-08-04T09:01:00Z", "2025-08-04T09:02:00Z"]
    assert "@Bo Chen can you look?" in slack_items[1]["text"] and slack_items[2]["author"] == "Bo Chen"
    narrow = run_on(sb, tmp_path, incident="zap9", since="2025-05-01", until="2025-06-02")
    assert [e["at"] for e in narrow["evidence"] if e["source"] == "slack"] == ["2025-06-01T09:00:00Z"]


def test_search_messages_finds_replies_whose_parent_does_not_name_the_incident(make_sandbox, tmp_path):
    ops = {"name": "ops", "messages": [msg("2025-08-04T09:00:00Z", "Checkout is broken", replies=[
        msg("2025-08-04T09:01:00Z", "It's the QUUX7 code, it expired", user="bo")])]}
    sb = make_sandbox(workspace_dict(slack=slack(ops)))
    with_search = run_on(sb, tmp_path, incident="quux7")
    assert {e["text"] for e in with_search["evidence"]} >= {"Checkout is broken", "It's the QUUX7 code, it expired"}
    without = run_on(sb, tmp_path, incident="quux7", overrides={"slack_user_token": ""})
    assert not [e for e in without["evidence"] if e["source"] == "slack"]


def test_private_channels_are_read_only_when_they_are_the_audience(make_sandbox, tmp_path):
    secret = {"name": "exec", "private": True, "members": ["ann", "postmortem"],
              "messages": [msg("2025-08-04T09:00:00Z", "Board asks about the QUUX7 failure")]}
    other = {"name": "legal", "private": True, "members": ["ann", "postmortem"],
             "messages": [msg("2025-08-04T09:02:00Z", "QUUX7 refunds need legal review")]}
    public = {"name": "ops", "messages": [msg("2025-08-04T09:05:00Z", "QUUX7 is failing at checkout")]}
    sb = make_sandbox(workspace_dict(slack=slack(secret, other, public)))
    ids = {c.name: c.id for c in sb.workspace.slack.channels}

    def channels(**inputs) -> set[str]:
        result = run_on(sb, tmp_path, incident="quux7", **inputs)
        return {e["channel"] for e in result["evidence"] if e["source"] == "slack"}

    everything = [ids["exec"], ids["legal"], ids["ops"]]
    assert channels() == {"ops"}  # the command line publishes for everyone: public channels only
    assert channels(allowed_channels=everything) == {"ops"}  # a member asking publicly gets no private content
    in_exec = {"kind": "private", "channel": ids["exec"], "name": "exec"}
    assert channels(allowed_channels=everything, audience=in_exec) == {"ops", "exec"}  # not #legal
    assert channels(allowed_channels=[ids["ops"]], audience=in_exec) == {"ops"}  # the requester must read it too


def test_notion_body_match_reads_nested_and_paginated_blocks(make_sandbox, tmp_path):
    filler = "\n".join(f"- line {i}" for i in range(150))
    pages = [{"title": "Weekly notes", "created": "2025-08-04T10:00:00Z", "author": "ann",
              "content": filler + "\n- outer\n  - inner mention of QUUX7 rollback\n"},
             {"title": "Unrelated", "created": "2025-08-04T10:00:00Z", "content": "nothing here"}]
    sb = make_sandbox(workspace_dict(slack=slack(), notion={"users": [], "pages": pages}))
    result = run_on(sb, tmp_path, incident="quux7")
    notion = [e for e in result["evidence"] if e["source"] == "notion"]
    assert [e["title"] for e in notion] == ["Weekly notes"] and notion[0]["author"] == "Ann Lee"


def test_budget_keeps_matches_and_threads_first():
    def ev(i, matched, thread=None, size=400):
        return Evidence(source="slack", ref=f"C1/{i}.000000", url="u", at=f"2025-08-04T09:{i:02d}:00Z",
                        text="x" * size, matched=matched, thread_ts=thread)

    items = [ev(i, False, size=2000) for i in range(40)] + [ev(50, True, "50.000000"), ev(51, False, "50.000000")]
    budget = prompt_tokens("", []) + 1000  # the prompts, schema and template, and 1,000 tokens of evidence
    kept, dropped = rank_and_cap(items, budget_tokens=budget)
    assert prompt_tokens("", kept) <= budget and dropped > 0
    assert {"C1/50.000000", "C1/51.000000"} <= {e.ref for e in kept}  # the match and its thread reply survive
    assert [e.id for e in kept] == [f"E{i}" for i in range(1, len(kept) + 1)]
