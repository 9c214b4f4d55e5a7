"""One section drafted again: which section a person named, only that field changes, the model's draft is grounded,
and the diff a reviewer reads."""

from __future__ import annotations

from graph.analyze import redraft
from graph.analyze.offline.analyzer import analyze_offline
from graph.configuration import Configuration
from tests.support.stub_openai import StubOpenAI
from tests.support.summer25_evidence import summer25

OFFLINE = Configuration(openai_api_key="")


def _run() -> tuple[dict, list[dict]]:
    items = summer25()
    for i, ev in enumerate(items, 1):
        ev.id = f"E{i}"
    return analyze_offline("summer25", items).model_dump(), [e.model_dump() for e in items]


def test_the_section_is_read_from_what_follows_redraft():
    assert redraft.parse("root cause make it name the CMS") == ("root cause", "make it name the CMS")
    assert redraft.parse("Action items: add owners") == ("action items", "add owners")
    assert redraft.parse("summary") == ("summary", "")
    assert redraft.parse("the weather please") is None


def test_offline_only_the_named_section_is_drafted_again():
    report, evidence = _run()
    changed = {**report, "impact": "someone rewrote this", "summary": "and this"}
    new, analyzer = redraft.redraft(changed, evidence, "summer25", "impact", "shorter", OFFLINE)
    assert analyzer == "offline"
    assert new["impact"] == report["impact"], "the analyzer wrote the section again from the evidence"
    assert new["summary"] == "and this", "no other section moved"


def test_the_models_draft_is_used_and_grounded_and_the_diff_shows_both(tmp_path):
    report, evidence = _run()
    with StubOpenAI() as stub:
        stub.enqueue_json({"text": "SUMMER25 was rejected because its CMS status stayed inactive.",
                           "evidence": ["E3", "E999"]})
        cfg = Configuration(openai_api_key="sk-test", openai_base_url=stub.base_url, openai_model="gpt-4o-mini")
        new, analyzer = redraft.redraft(report, evidence, "summer25", "root cause", "name the CMS", cfg)
        asked = stub.requests[0]["messages"][-1]["content"]
    assert analyzer == "llm:gpt-4o-mini" and "name the CMS" in asked and "root cause" in asked
    assert new["root_cause"]["text"].startswith("SUMMER25 was rejected")
    assert "E999" not in new["root_cause"]["evidence"], "an id the evidence does not have is dropped"
    lines = redraft.diff_lines(redraft.section_text(report, "root cause"), redraft.section_text(new, "root cause"))
    assert any(x.startswith("- ") for x in lines) and any(x.startswith("+ SUMMER25 was rejected") for x in lines)
