"""Clicks on ephemeral messages and thread replies, and where their response_url answers land."""

from __future__ import annotations

import json
import urllib.request

import pytest

from sandbox.slack import interact
from sandbox.slack.events import SlackDriver
from tests.sandbox.slack.test_interactive import RESULT
from tests.sandbox.slack.test_interactive_views import raw_bot  # noqa: F401 - the fixture
from tests.support.bolt_app import workspace

WORKSPACE = workspace  # served by conftest.py's `sb`


def _post(url: str, body: dict) -> int:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req) as resp:
        return resp.status


def test_an_ephemeral_click_is_sent_without_the_message_and_its_answer_replaces_it(sb, web, raw_bot):  # noqa: F811
    s = sb.state("slack")
    cid, ana = s.channel("incidents").id, s.user_by_name("ana").id
    ts = web.chat_postEphemeral(channel=cid, user=ana, text="Only you", blocks=RESULT)["message_ts"]
    with pytest.raises(ValueError, match="sees no message"):  # nobody else sees it
        SlackDriver(sb).click("ben", "incidents", ts, "approve")
    p = SlackDriver(sb).click("ana", "incidents", ts, "approve").payload
    assert p["container"] == {"type": "message", "message_ts": ts, "channel_id": cid, "is_ephemeral": True}
    assert "message" not in p  # Slack keeps no copy of an ephemeral message to send back
    assert _post(p["response_url"], {"text": "Approved", "replace_original": True}) == 200
    [eph] = [e for e in SlackDriver(sb).ephemerals("ana") if e["ts"] == ts]
    assert (eph["text"], eph["blocks"]) == ("Approved", None)
    assert _post(p["response_url"], {"delete_original": True}) == 200
    assert [e for e in SlackDriver(sb).ephemerals("ana") if e["ts"] == ts] == []


def test_a_click_in_a_thread_answers_in_that_thread(sb, web, raw_bot):  # noqa: F811
    cid = sb.state("slack").channel("incidents").id
    parent = web.chat_postMessage(channel=cid, text="Incident")["ts"]
    reply = web.chat_postMessage(channel=cid, text="ready", blocks=RESULT, thread_ts=parent)["ts"]
    p = SlackDriver(sb).click("ben", "incidents", reply, "approve").payload
    assert p["message"]["thread_ts"] == parent and p["container"]["message_ts"] == reply
    assert _post(p["response_url"], {"text": "Tickets created", "response_type": "in_channel"}) == 200
    texts = [m["text"] for m in SlackDriver(sb).thread_messages("incidents", parent)]
    assert texts == ["Incident", "ready", "Tickets created"]
    assert "Tickets created" not in [m["text"] for m in SlackDriver(sb).channel_messages("incidents")]
    # Without response_type the answer is shown to the clicker only.
    assert _post(p["response_url"], {"text": "Just you"}) == 200
    assert [e["text"] for e in SlackDriver(sb).ephemerals("ben")] == ["Just you"]
    # "original" stays the clicked message, not the app's later answers.
    assert _post(p["response_url"], {"text": "Done", "replace_original": True}) == 200
    texts = [m["text"] for m in SlackDriver(sb).thread_messages("incidents", parent)]
    assert texts == ["Incident", "Done", "Tickets created"]


def test_with_interactivity_off_in_the_manifest_a_click_reaches_no_bot(sb, web, raw_bot, tmp_path,  # noqa: F811
                                                                        monkeypatch):
    off = tmp_path / "manifest.yml"
    off.write_text("settings:\n  interactivity:\n    is_enabled: false\n", encoding="utf-8")
    monkeypatch.setattr(interact, "MANIFEST", off)
    interact.interactivity_enabled.cache_clear()
    try:
        ts = web.chat_postMessage(channel="incidents", text="ready", blocks=RESULT)["ts"]
        d = SlackDriver(sb).click("ana", "incidents", ts, "approve")
    finally:
        interact.interactivity_enabled.cache_clear()  # the next test reads the real manifest again
    assert (d.error, d.acked, raw_bot.payloads) == ("interactivity_disabled", False, [])
