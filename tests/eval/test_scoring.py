"""The eval corpus's gold files resolve to run-result refs, and scoring measures recall, key events and root cause."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from sandbox.workspace.loader import load_workspace
from tests.support import ROOT
from tests.support.workspaces import workspace_dict

sys.path[:0] = [str(ROOT / "eval")]

from gold import GoldError, load_gold  # noqa: E402
from scoring import score  # noqa: E402

_spec = importlib.util.spec_from_file_location("eval_run", ROOT / "eval" / "run.py")
eval_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_run)

PAGE_ID = "4a0b6f3e-2c1d-4e5f-8a9b-0c1d2e3f4a5b"
ALERT_AT, REPLY_AT, RESOLVED_AT = "2026-03-10T14:02:11Z", "2026-03-10T14:05:40Z", "2026-03-10T15:30:00Z"
SLACK = {
    "users": [{"name": "ana"}, {"name": "ben"}],
    "channels": [
        {"name": "sre-alerts", "id": "C0ALERTS1", "messages": [
            {"at": ALERT_AT, "user": "ana", "text": "cert-expiry alert: api.acme.test certificate expired",
             "replies": [{"at": REPLY_AT, "user": "ben", "text": "auto-renewal was disabled"}]},
            {"at": RESOLVED_AT, "user": "ben", "text": "new certificate live, resolved"}]},
        {"name": "random", "id": "C0RANDOM1", "messages": [
            {"at": "2026-03-10T14:02:11Z", "user": "ana", "text": "renewing my gym membership"}]},
    ],
}
NOTION = {"users": [{"name": "ana"}], "pages": [
    {"title": "Incident review - API certificate", "id": PAGE_ID.replace("-", ""), "created": "2026-03-11T09:00:00Z",
     "author": "ana", "content": "What happened."}]}
JIRA = {"users": [{"name": "ana"}], "projects": [{"key": "OPS", "name": "Operations"}], "issues": [
    {"key": "OPS-1", "summary": "API certificate expired", "reporter": "ana", "created": "2026-03-10T14:10:00Z"},
    {"key": "OPS-2", "summary": "Renew office lease", "reporter": "ana", "created": "2026-03-01T10:00:00Z"}]}
GOLD = {
    "incident": "api certificate expired",
    "must_find": {"slack": [{"channel": "sre-alerts", "at": REPLY_AT}], "notion": ["Incident review - API certificate"],
                  "jira": ["OPS-1"]},
    "must_not_find": {"slack": [{"channel": "random", "at": ALERT_AT}], "jira": ["OPS-2"]},
    "key_events": [{"at": ALERT_AT, "kind": "alert", "what": "cert-expiry alert"},
                   {"at": RESOLVED_AT, "kind": "resolved", "what": "new certificate live"}],
    "root_cause_terms": [["Certificate", "cert", "tls"], ["renew", "renewal", "auto-renew"]],
}


def write(tmp_path: Path, **changes) -> Path:
    ws = workspace_dict(name="certs", now="2026-03-12T00:00:00Z", slack=SLACK, notion=NOTION, jira=JIRA)
    (tmp_path / "certs.yaml").write_text(yaml.safe_dump(ws), encoding="utf-8")
    path = tmp_path / "certs.gold.yaml"
    path.write_text(yaml.safe_dump(GOLD | changes), encoding="utf-8")
    return path


@pytest.fixture
def gold(tmp_path):
    return load_gold(write(tmp_path))


def test_gold_refs_resolve_to_the_refs_a_run_result_uses(tmp_path, gold):
    ws = load_workspace(tmp_path / "certs.yaml")
    alerts = next(c for c in ws.slack.channels if c.name == "sre-alerts")
    reply = alerts.messages[0].replies[0]
    assert gold.must_find == {"slack": [f"C0ALERTS1/{reply.ts}"], "notion": [PAGE_ID], "jira": ["OPS-1"]}
    chatter = next(c for c in ws.slack.channels if c.name == "random").messages[0]
    assert gold.must_not_find["slack"] == [f"C0RANDOM1/{chatter.ts}"]  # same moment, other channel: its own ref
    assert gold.name == "certs" and gold.incident == "api certificate expired"
    assert [e["at"] for e in gold.key_events] == [datetime(2026, 3, 10, 14, 2, 11, tzinfo=UTC),
                                                   datetime(2026, 3, 10, 15, 30, tzinfo=UTC)]
    assert gold.root_cause_terms[0] == ["certificate", "cert", "tls"]


def test_a_ref_to_a_message_that_does_not_exist_names_file_section_and_channel(tmp_path):
    wrong_channel = {"channel": "random", "at": REPLY_AT}  # the reply's time, but not in #random
    with pytest.raises(GoldError) as err:
        load_gold(write(tmp_path, must_not_find={"slack": [GOLD["must_not_find"]["slack"][0], wrong_channel]}))
    msg = str(err.value)
    assert msg.startswith("certs.gold.yaml: must_not_find.slack[1]:") and "#random" in msg and "14:05:40" in msg


@pytest.mark.parametrize("changes, words", [
    ({"must_find": {"notion": ["No such page"]}}, ["must_find.notion[0]", "'No such page'"]),
    ({"must_find": {"jira": ["OPS-1", "OPS-9"]}}, ["must_find.jira[1]", "OPS-9"]),
    ({"key_events": [{"at": ALERT_AT, "kind": "paged", "what": "x"}]}, ["key_events[0].kind", "'paged'"]),
])
def test_broken_gold_files_are_refused(tmp_path, changes, words):
    with pytest.raises(GoldError) as err:
        load_gold(write(tmp_path, **changes))
    assert str(err.value).startswith("certs.gold.yaml: ") and all(w in str(err.value) for w in words)


def test_a_key_event_time_without_a_zone_is_refused(tmp_path):
    with pytest.raises(GoldError, match=r"key_events\[0\]\.at: .* is not a time with a zone"):
        load_gold(write(tmp_path, key_events=[{"at": "2026-03-10T14:02:11", "kind": "alert", "what": "x"}]))


def ev(eid, source, ref, at, **extra) -> dict:
    return {"id": eid, "source": source, "ref": ref, "at": at, "author": "Ana", "text": "", **extra}


def result(gold, rows=(), root=None, lessons=(), extra=(), drop=frozenset()) -> dict:
    slack_reply, slack_chatter = gold.must_find["slack"][0], gold.must_not_find["slack"][0]
    evidence = [ev("E1", "slack", slack_reply, REPLY_AT), ev("E2", "slack", slack_chatter, ALERT_AT),
                ev("E3", "jira", "OPS-1#comment-10001", "2026-03-10T14:20:00Z", key="OPS-1"),
                ev("E4", "jira", "OPS-2", "2026-03-01T10:00:00Z", key="OPS-2"), *extra]
    evidence = [e for e in evidence if e["id"] not in drop]
    report = {"timeline": list(rows), "root_cause": root or {"text": "", "verified": False}, "lessons": list(lessons)}
    return {"status": "ok", "evidence": evidence, "report": report}


def test_recall_and_distractors_count_items_across_sources(gold):
    s = score(result(gold), gold)
    assert round(s["recall"], 3) == 0.667 and s["missed"] == ["Incident review - API certificate"]
    assert s["distractors"] == 1.0 and s["kept"] == ["#random 2026-03-10T14:02:11Z", "OPS-2"]
    assert score(result(gold, drop={"E2"}), gold)["distractors"] == 0.5
    page = ev("E5", "notion", PAGE_ID.replace("-", "").upper(), "2026-03-11T09:00:00Z")  # undashed, other case
    assert score(result(gold, extra=[page]), gold)["recall"] == 1.0


@pytest.mark.parametrize("offset, covered", [(119, True), (-119, True), (120, True), (121, False), (-121, False)])
def test_a_key_event_is_covered_by_a_row_within_two_minutes(gold, offset, covered):
    alert = datetime(2026, 3, 10, 14, 2, 11, tzinfo=UTC) + timedelta(seconds=offset)
    rows = [{"at": alert.strftime("%Y-%m-%dT%H:%M:%SZ"), "event": "alert", "evidence": []},
            {"at": "2026-03-10T09:00:00Z", "event": "unrelated", "evidence": []}, {"event": "no time"}]
    s = score(result(gold, rows=rows), gold)
    assert s["key_events"] == (0.5 if covered else 0.0)  # the resolved event has no row either way
    assert ("alert 14:02" in s["uncovered"]) is not covered and "resolved 15:30" in s["uncovered"]
    assert s["timeline_rows"] == 2  # a row without a time is not a row


@pytest.mark.parametrize("text, verified, ok", [
    ("The TLS cert expired because its renewal was switched off.", True, True),
    ("The TLS cert expired because its renewal was switched off.", False, False),
    ("The certificate expired.", True, False),  # no word of the second group
    ("Certificates lapsed; auto-renewal was switched off.", True, False),  # whole words only
    ("Certificate expired; auto-renew was switched off.", True, True),
])
def test_root_cause_needs_verification_and_a_whole_word_of_every_group(gold, text, verified, ok):
    assert score(result(gold, root={"text": text, "verified": verified}), gold)["root_cause"] is ok


def test_bare_lessons_are_those_without_evidence(gold):
    lessons = ["Watch expiry dates.", {"text": "Alert earlier.", "evidence": []}, {"text": "Own renewals."},
               {"text": "Turn auto-renewal on.", "evidence": ["E1"]}]
    assert score(result(gold, lessons=lessons), gold)["bare_lessons"] == 3


def test_grounding_lists_rows_citing_evidence_that_is_not_there(gold):
    grounded = [{"at": REPLY_AT, "event": "auto-renewal found off", "evidence": ["E1"]}]
    assert score(result(gold, rows=grounded), gold)["grounding"] == []
    broken = grounded + [{"at": RESOLVED_AT, "event": "resolved", "evidence": ["E9"]}]
    problems = score(result(gold, rows=broken), gold)["grounding"]
    assert any("report.timeline[1].evidence[0]" in p and "E9" in p for p in problems)


GOOD = {"incident": "certs", "status": "ok", "recall": 0.9, "distractors": 0.1, "key_events": 0.8,
        "timeline_rows": 20, "root_cause": True, "grounding": [], "bare_lessons": 0}


@pytest.mark.parametrize("change", [{"recall": 0.89}, {"distractors": 0.11}, {"key_events": 0.79},
                                    {"timeline_rows": 21}, {"root_cause": False}, {"grounding": ["x"]},
                                    {"bare_lessons": 1}])
def test_an_incident_passes_only_when_every_target_is_met(change):
    assert eval_run.passes(GOOD)  # the targets themselves pass
    assert not eval_run.passes(GOOD | change)


def test_table_marks_the_failing_row_and_sums_root_causes():
    lines = eval_run.table([GOOD, GOOD | {"incident": "capacity", "root_cause": False}]).splitlines()
    certs, capacity, mean = lines[2], lines[3], lines[4]
    assert certs.startswith("| certs |") and "| yes |" in certs and certs.endswith("| PASS |")
    assert capacity.startswith("| capacity |") and "| NO |" in capacity and capacity.endswith("| FAIL |")
    assert mean.startswith("| **mean** | 0.90 | 0.10 | 0.80 | 20 | 1/2 |")
