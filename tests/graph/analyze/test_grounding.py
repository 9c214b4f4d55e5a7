"""Grounding: what a reader of the post-mortem would otherwise see wrong (invented times, dead citations, raw ids)."""

from __future__ import annotations

from graph.analyze.grounding import ground_report
from graph.analyze.grounding_check import check_grounding
from graph.analyze.report import ActionItem, Claim, Lesson, Metrics, Report, TimelineEvent
from tests.support.samples import EVIDENCE


def make_report(**changes) -> Report:
    base = dict(
        title="Promo code SUMMER25 rejected at checkout",
        summary="Customers could not use SUMMER25.",
        summary_evidence=["E1"],
        impact="Checkout attempts failed.",
        impact_evidence=["E1"],
        detection="Customers reported it.",
        detection_evidence=["E1"],
        root_cause=Claim(text="The code was never activated.", evidence=["E2"]),
        resolution=Claim(text="Mike activated it.", evidence=["E3"]),
        timeline=[TimelineEvent(at="2025-08-04T09:07:22Z", event="Reports of Invalid Code", evidence=["E1"])],
        metrics=Metrics(started="2025-08-04T09:07:22Z", resolved="2025-08-04T09:08:46Z"),
    )
    return Report(**{**base, **changes})


def grounded(**changes) -> tuple[Report, list[str]]:
    return ground_report(make_report(**changes), EVIDENCE)


def test_unknown_ids_are_dropped_everywhere_with_a_note():
    report, notes = grounded(
        summary_evidence=["E1", "E99"],
        impact_evidence=["E42"],
        detection_evidence=["E1", "E1"],
        root_cause=Claim(text="Never activated.", evidence=["E2", "E99"]),
        action_items=[ActionItem(text="Add an alert", evidence=["E7", "E3"])],
    )
    assert report.summary_evidence == ["E1"]
    assert report.impact_evidence == []
    assert report.detection_evidence == ["E1"]
    assert report.root_cause.evidence == ["E2"] and report.root_cause.verified
    assert report.action_items[0].evidence == ["E3"]
    assert "E99" not in report.model_dump_json() and "E42" not in report.model_dump_json()
    assert any("E99" in n and "root cause" in n for n in notes)
    assert any("E42" in n for n in notes)


def test_harmless_id_formatting_still_counts_as_a_citation():
    report, _ = grounded(root_cause=Claim(text="Never activated.", evidence=["[e2]", " E3 "]))
    assert report.root_cause.evidence == ["E2", "E3"]


def test_timeline_time_comes_from_first_existing_cited_evidence_not_the_model():
    event = TimelineEvent(at="2025-08-29T10:00:00Z", event="Lea found the code inactive", evidence=["E99", "E2", "E1"])
    report, notes = grounded(timeline=[event])
    assert report.timeline[0].at == "2025-08-04T09:07:47Z"
    assert report.timeline[0].evidence == ["E2", "E1"]
    assert any("2025-08-29T10:00:00Z" in n and "E2" in n for n in notes)


def test_timeline_events_without_valid_citation_are_removed_and_rest_sorted():
    timeline = [
        TimelineEvent(at="2025-08-04T09:30:00Z", event="Incident closed", evidence=["E4"]),
        TimelineEvent(at="2025-08-04T08:00:00Z", event="Campaign launched", evidence=["E77"]),
        TimelineEvent(at="2025-08-04T09:00:00Z", event="Nobody knows", evidence=[]),
        TimelineEvent(at="2025-08-04T09:07:22Z", event="First report", evidence=["E1"]),
    ]
    report, notes = grounded(timeline=timeline)
    assert [e.event for e in report.timeline] == ["First report", "Incident closed"]
    assert sum("Removed timeline event" in n for n in notes) == 2
    assert any("Campaign launched" in n for n in notes)


def test_root_cause_and_resolution_without_valid_citations_are_marked_unverified():
    report, notes = grounded(
        root_cause=Claim(text="A DNS outage.", evidence=["E99"]),
        resolution=Claim(text="Activated.", evidence=["E3"]),
    )
    assert report.root_cause.verified is False and report.root_cause.evidence == []
    assert report.resolution.verified is True
    assert any("root cause" in n and "unverified" in n for n in notes)


def test_factors_and_lessons_without_valid_citations_are_dropped_with_a_note():
    report, notes = grounded(
        contributing_factors=[Claim(text="No owner.", evidence=[]), Claim(text="Inactive.", evidence=["E2"]),
                              Claim(text="DNS was flaky.", evidence=["E99"])],
        lessons=[Lesson(text="Launch steps need owners.", evidence=["e2", "E42"]), "An uncited lesson."],
    )
    assert [(c.text, c.evidence, c.verified) for c in report.contributing_factors] == [("Inactive.", ["E2"], True)]
    assert report.lessons == [Lesson(text="Launch steps need owners.", evidence=["E2"])]
    assert "Dropped a contributing factor that cites no evidence: No owner." in notes
    assert "Dropped a contributing factor that cites no evidence: DNS was flaky." in notes
    assert "Dropped a lesson that cites no evidence: An uncited lesson." in notes
    assert any("E42" in n and "lesson 1" in n for n in notes)


def test_jira_keys_kept_only_when_evidence_mentions_them():
    items = [
        ActionItem(text="Alert on inactive codes", jira="ENG-88", evidence=["E3"]),  # in E3's text
        ActionItem(text="Close the incident", jira="mkt-151", evidence=["E4"]),  # E4's key field
        ActionItem(text="Invented follow-up", jira="MKT-999", evidence=["E3"]),
        ActionItem(text="Prefix only", jira="ENG-8", evidence=["E3"]),  # ENG-88 must not count as ENG-8
    ]
    report, notes = grounded(action_items=items)
    assert [a.jira for a in report.action_items] == ["ENG-88", "MKT-151", None, None]
    assert any("MKT-999" in n for n in notes)


def test_raw_slack_markup_is_replaced_everywhere():
    names = {"U07MIKE01": "Mike Baptiste"}
    report = make_report(
        summary="<@U07MIKE01> fixed it after <!here> in <#C0MKTOPS1|marketing-ops>, see <https://x.test/p|the page>",
        resolution=Claim(text="<@U07MIKE01|mike> activated the code; <@U0UNKNOWN> confirmed", evidence=["E3"]),
        action_items=[ActionItem(text="Own activation", owner="<@U07MIKE01>", evidence=["E3"])],
        lessons=[Lesson(text="Ask <!subteam^S123|@oncall> early; U07MIKE01 knows the CMS", evidence=["E3"])],
    )
    out, notes = ground_report(report, EVIDENCE, names)
    assert out.summary == "Mike Baptiste fixed it after @here in #marketing-ops, see the page (https://x.test/p)"
    assert out.resolution.text == "Mike Baptiste activated the code; unknown user confirmed"
    assert out.action_items[0].owner == "Mike Baptiste"
    assert [x.text for x in out.lessons] == ["Ask @oncall early; Mike Baptiste knows the CMS"]
    assert "<" not in out.model_dump_json()
    assert any("Slack" in n for n in notes)


def test_mention_without_names_map_uses_label():
    out, _ = ground_report(make_report(summary="Reported by <@U1ABCDEF|stefan>"), EVIDENCE)
    assert out.summary == "Reported by stefan"


def test_metrics_must_be_evidence_times_and_durations_are_recomputed():
    metrics = Metrics(
        started="2025-08-04T09:07:22+00:00",
        detected="2025-08-04T09:07:47Z",
        resolved="2025-08-04T10:00:00Z",
        time_to_detect_s=999,
        time_to_resolve_s=999,
    )
    report, notes = grounded(metrics=metrics)
    assert report.metrics.started == "2025-08-04T09:07:22Z"
    assert report.metrics.detected == "2025-08-04T09:07:47Z"
    assert report.metrics.resolved is None
    assert report.metrics.time_to_detect_s == 25
    assert report.metrics.time_to_resolve_s is None
    assert any("resolved" in n and "2025-08-04T10:00:00Z" in n for n in notes)


def test_metrics_durations_from_evidence_times():
    report, _ = grounded(metrics=Metrics(started="2025-08-04T09:07:22Z", resolved="2025-08-04T09:30:00Z"))
    assert report.metrics.time_to_resolve_s == 22 * 60 + 38


def test_input_report_is_not_modified():
    original = make_report(timeline=[TimelineEvent(at="2025-08-29T10:00:00Z", event="x", evidence=["E1", "E9"])])
    before = original.model_dump()
    ground_report(original, EVIDENCE)
    assert original.model_dump() == before


def test_clean_report_has_no_notes():
    report, notes = grounded()
    assert notes == []
    assert report.model_dump(exclude={"metrics"}) == make_report().model_dump(exclude={"metrics"})
    assert report.metrics.time_to_resolve_s == 84  # filled in from started..resolved


def result_of(report: Report | dict | None) -> dict:
    report = report.model_dump() if isinstance(report, Report) else report
    return {"version": 1, "evidence": [e.model_dump() for e in EVIDENCE], "report": report}


def test_check_grounding_accepts_a_grounded_report():
    assert check_grounding(result_of(make_report())) == []


def test_check_grounding_accepts_whatever_ground_report_returns():
    messy = make_report(
        summary="<@U07MIKE01> fixed it",
        root_cause=Claim(text="x", evidence=["E99"]),
        timeline=[TimelineEvent(at="2025-08-29T10:00:00Z", event="x", evidence=["E1"])],
        action_items=[ActionItem(text="y", jira="MKT-999")],
        metrics=Metrics(started="2025-08-01T00:00:00Z", detected="2025-08-04T09:07:47Z", time_to_detect_s=5),
    )
    assert check_grounding(result_of(messy))
    assert check_grounding(result_of(ground_report(messy, EVIDENCE)[0])) == []


def test_check_grounding_reports_each_violation():
    report = make_report(
        summary="Ping <@U0123>",
        root_cause=Claim(text="x", evidence=["E99"]),
        timeline=[
            TimelineEvent(at="2025-08-29T10:00:00Z", event="invented time", evidence=["E1"]),
            TimelineEvent(at="2025-08-04 09:07:47", event="not ISO UTC", evidence=["E2"]),
        ],
        action_items=[ActionItem(text="y", jira="MKT-999")],
        metrics=Metrics(started="2025-08-04T09:07:22Z", detected="2025-08-04T09:07:47Z", time_to_detect_s=60),
    ).model_dump()
    problems = check_grounding(result_of(report))
    text = "\n".join(problems)
    assert "report.summary" in text and "<@U0123>" in text
    assert "report.root_cause.evidence[0]" in text and "E99" in text
    assert "report.timeline[0].at" in text
    assert "report.timeline[1].at '2025-08-04 09:07:47' is not UTC ISO-8601" in text
    assert "MKT-999" in text
    assert "time_to_detect_s" in text


def test_check_grounding_checks_evidence_itself():
    result = result_of(None)
    result["evidence"].append({**result["evidence"][0], "author": "U07MIKE01", "at": "2025-08-04T11:07:22+02:00"})
    problems = check_grounding(result)
    assert any("duplicate id E1" in p for p in problems)
    assert any("raw user id" in p for p in problems)
    assert any("not UTC ISO-8601" in p for p in problems)
    assert check_grounding(result_of(None)) == []


def test_grounding_twice_changes_nothing_more():
    messy = make_report(
        root_cause=Claim(text="x", evidence=["E99"]),
        timeline=[TimelineEvent(at="2025-08-29T10:00:00Z", event="x", evidence=["E1"], kind="Fix deployed")],
        action_items=[ActionItem(text="Add an alert", owner="Jordan Vance", evidence=["E3"])],
        lessons=["uncited"],
    )
    once, notes = ground_report(messy, EVIDENCE)
    twice, again = ground_report(once, EVIDENCE)
    assert notes and again == []
    assert twice == once
    assert len(once.open_questions) == 1 and once.timeline[0].kind == "fix_deployed"

