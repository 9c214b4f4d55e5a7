"""The incident every generated workspace embeds: its expected evidence exists, is deterministic, and a run finds it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest

from graph.terms import is_match
from sandbox.generate.build import generate_workspace
from sandbox.generate.expected import expected_for, score
from sandbox.generate.incident import TYPED
from sandbox.workspace.loader import parse_workspace
from tests.support import ROOT
from tests.support.graph import run_on

SIZES = {"messages": 2_000, "issues": 120, "pages": 60}
SMALLEST = {"messages": 12, "issues": 6, "pages": 4}


@pytest.fixture(scope="module")
def small() -> dict:
    return generate_workspace(**SIZES, seed=11)


def _all_refs(ws) -> dict[str, set[str]]:
    return {"slack": {f"{c.id}/{m.ts}" for c in ws.slack.channels for top in c.messages for m in (top, *top.replies)},
            "notion": {p.id for p in ws.notion.pages}, "jira": {i.key for i in ws.jira.issues}}


@pytest.mark.parametrize("sizes", [SIZES, SMALLEST], ids=["small", "smallest"])
def test_every_expected_ref_exists_in_the_workspace_the_loader_builds(sizes):
    data = generate_workspace(**sizes, seed=5)
    expected, refs = expected_for(data), _all_refs(parse_workspace(data, "generated"))
    for kind in ("must_find", "must_not_find"):
        for source, wanted in expected[kind].items():
            assert wanted, f"{kind} has no {source} refs"
            assert set(wanted) <= refs[source], f"{kind} {source} refs missing from the workspace"
    assert expected["incident"] == TYPED


def test_the_expected_evidence_is_the_same_for_a_seed_and_follows_the_workspace_for_another(small):
    assert expected_for(generate_workspace(**SIZES, seed=11)) == expected_for(small)
    other = expected_for(generate_workspace(**SIZES, seed=12))
    assert other["must_find"]["jira"] != expected_for(small)["must_find"]["jira"]  # keys fall among other tickets


def test_the_incident_has_an_alert_thread_a_body_only_page_tickets_with_comments_and_older_look_alikes(small):
    ws = parse_workspace(small, "generated")
    expected, terms = expected_for(small), TYPED.split()
    found = expected["must_find"]
    incidents = next(c for c in ws.slack.channels if c.name == "incidents")
    alert = next(m for m in incidents.messages if f"{incidents.id}/{m.ts}" in found["slack"] and m.replies)
    assert {u.name: u for u in ws.slack.users}[alert.user].is_bot  # the alert comes from a monitoring bot
    assert [f"{incidents.id}/{r.ts}" in found["slack"] for r in alert.replies] == [True] * len(alert.replies)
    assert any("RESOLVED" in r.text for r in alert.replies)
    page = next(p for p in ws.notion.pages if p.id in found["notion"])
    assert not is_match(page.title, terms) and is_match(page.content, terms)  # only its body names the incident
    issues = {i.key: i for i in ws.jira.issues}
    assert all(issues[k].comments for k in found["jira"])
    assert issues[found["jira"][0]].type == "Incident"
    window_start = ws.now - timedelta(days=30)  # the default look-back
    old_issue = next(issues[k] for k in expected["must_not_find"]["jira"] if issues[k].type == "Incident")
    assert old_issue.created < window_start and is_match(old_issue.summary, terms)
    old_alert = next(m for m in incidents.messages if f"{incidents.id}/{m.ts}" in expected["must_not_find"]["slack"])
    assert old_alert.at < window_start and is_match(old_alert.text, terms)


def test_too_small_a_workspace_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="--issues 5 < 6"):
        generate_workspace(messages=100, issues=5, pages=10)
    proc = subprocess.run([sys.executable, "-m", "sandbox.generate", "--messages=5", "--out", str(tmp_path / "w.json")],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "--messages 5 < 12" in proc.stderr


def test_the_cli_writes_the_expected_evidence_beside_the_workspace(tmp_path):
    out = tmp_path / "ws.json"
    subprocess.run([sys.executable, "-m", "sandbox.generate", "--messages=300", "--issues=20", "--pages=10",
                    "--seed=3", "--out", str(out)], cwd=ROOT, check=True, capture_output=True)
    written = json.loads((tmp_path / "ws.expected.json").read_text())
    assert written == expected_for(generate_workspace(300, 20, 10, seed=3))


def test_an_offline_run_on_a_small_generated_workspace_finds_the_incident_and_not_the_older_one(small, make_sandbox,
                                                                                                  tmp_path):
    expected = expected_for(small)
    result = run_on(make_sandbox(small), tmp_path, incident=TYPED)
    assert result["status"] == "published"
    scored = score(result, expected)
    assert scored["recall"] >= 0.9, scored["missed"]
    # The window keeps out the March thread and ticket (the March post-mortem page is found by its title; the
    # benchmark reports such distractors rather than this test pinning them).
    assert not [ref for ref in scored["distractors_kept"] if ref.startswith("slack:")]
    issues = {i["key"]: i for i in small["jira"]["issues"]}
    old = {f"jira:{k}" for k in expected["must_not_find"]["jira"] if issues[k]["created"] < "2025-07"}
    assert old and not old & set(scored["distractors_kept"])
