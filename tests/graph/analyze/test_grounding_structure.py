"""Grounding the report's structure: owners who appear in the evidence, key-event kinds, a timeline of at most 20
rows."""

from __future__ import annotations

from graph.analyze.grounding import ground_report
from graph.analyze.report import ActionItem, TimelineEvent
from graph.evidence import Evidence
from tests.graph.analyze.test_grounding import grounded, make_report
from tests.support.samples import EVIDENCE

# A Jira issue whose assignee is named only in its text (as graph/sources/jira.py writes it), and a second Lea.
JIRA_ASSIGNED = Evidence(id="E5", source="jira", ref="ENG-88", key="ENG-88", url="https://jira.test/browse/ENG-88",
                         at="2025-08-04T10:04:00Z", author="Stefan Ortiz", kind="issue",
                         text="ENG-88 [To Do] Alert on inactive codes. Type: Task. Assignee: Dana Whitfield. "
                              "Labels: summer25.")
SECOND_LEA = Evidence(id="E6", source="slack", ref="C0MKTOPS1/1754299999.000100", channel="marketing-ops",
                      url="https://slack.test/6", at="2025-08-04T09:40:00Z", author="Lea Fischer",
                      text="Reported to <@U0TOM0001> as well.")


def owners(*named: str | None, names: dict | None = None) -> tuple[list[str | None], list[str]]:
    actions = [ActionItem(text=f"Task {i}", owner=o, evidence=["E3"]) for i, o in enumerate(named)]
    report, _ = ground_report(make_report(action_items=actions), [*EVIDENCE, JIRA_ASSIGNED, SECOND_LEA], names)
    return [a.owner for a in report.action_items], report.open_questions


def test_owners_who_appear_in_the_evidence_are_kept_in_its_spelling():
    kept, questions = owners("Mike Baptiste", "  stefan   ORTIZ ", "Stefan", "Dana Whitfield", "dana whitfield",
                             "Tom Becker", names={"U0TOM0001": "Tom Becker"})
    assert kept == ["Mike Baptiste", "Stefan Ortiz", "Stefan Ortiz", "Dana Whitfield", "Dana Whitfield",
                    "Tom Becker"]
    assert questions == []


def test_owners_who_do_not_appear_become_unassigned_with_a_question():
    kept, questions = owners("Jordan Vance", "Lea", "Dana", "Mike Baptist", "Whitfield Dana", "unknown", None)
    assert kept == [None] * 7
    assert questions == [
        'Who owns "Task 0"? The draft named Jordan Vance, who does not appear in the evidence.',
        'Who owns "Task 1"? The draft named Lea, who does not appear in the evidence.',  # Lea Novak or Lea Fischer
        'Who owns "Task 2"? The draft named Dana, who does not appear in the evidence.',  # not an author
        'Who owns "Task 3"? The draft named Mike Baptist, who does not appear in the evidence.',
        'Who owns "Task 4"? The draft named Whitfield Dana, who does not appear in the evidence.',
    ]


def test_timeline_kinds_are_kept_only_when_known():
    timeline = [TimelineEvent(at="x", event=f"row {k}", evidence=["E1"], kind=k)
                for k in ("alert", "cause_found", "Fix-deployed", "escalation", None)]
    report, _ = grounded(timeline=timeline)
    assert [e.kind for e in report.timeline] == ["alert", "cause_found", "fix_deployed", None, None]


def test_timeline_over_20_rows_drops_rows_without_a_kind_first_then_the_latest():
    timeline = [TimelineEvent(at="x", event=f"row {i}", evidence=[EVIDENCE[i % 4].id],
                              kind=None if i in (0, 21) else "diagnosis") for i in range(24)]
    report, notes = grounded(timeline=timeline)
    # In time order the rows go E1 (rows 0, 4, … 20), E2 (1, … 21), E3 (2, … 22), E4 (3, … 23): the two rows without
    # a kind go first, then the two latest, rows 23 and 19.
    expected = [f"row {i}" for e in range(4) for i in range(e, 24, 4) if i not in (0, 21, 23, 19)]
    assert [e.event for e in report.timeline] == expected
    assert any("from 24 to 20" in n for n in notes)
    exactly, notes = grounded(timeline=timeline[:20])
    assert len(exactly.timeline) == 20 and not any("Cut the timeline" in n for n in notes)
