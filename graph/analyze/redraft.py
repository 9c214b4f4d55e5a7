"""One section of a report drafted again from the same evidence: with the model (following the person's
instructions), or offline by that section's analyzer again; grounded like a whole report."""

from __future__ import annotations

import difflib

from pydantic import BaseModel, Field

from graph.analyze.grounding import as_evidence, ground_report
from graph.analyze.offline.analyzer import analyze_offline
from graph.analyze.prompts import REDRAFT_SECTION
from graph.analyze.report import Report
from graph.configuration import Configuration
from graph.evidence import Evidence

# What a person types -> (the report field, the page heading it is published under).
SECTIONS = {"summary": ("summary", "Summary"), "impact": ("impact", "Impact"), "detection": ("detection", "Detection"),
            "timeline": ("timeline", "Timeline"), "root cause": ("root_cause", "Root cause"),
            "contributing factors": ("contributing_factors", "Contributing factors"),
            "resolution": ("resolution", "Resolution"), "action items": ("action_items", "Action items"),
            "lessons": ("lessons", "Lessons"), "open questions": ("open_questions", "Open questions")}
TEXT_FIELDS = ("summary", "impact", "detection")  # str + <field>_evidence
CLAIM_FIELDS = ("root_cause", "resolution")  # Claim


class SectionDraft(BaseModel):
    text: str = Field(description="The section's new text: one to four sentences, only what the evidence states")
    evidence: list[str] = Field(default_factory=list, description="Ids (E1, E2, …) of the evidence it rests on")


def parse(words: str) -> tuple[str, str] | None:
    """'root cause make it shorter' -> ('root cause', 'make it shorter'); None when no section is named."""
    low = " ".join(words.lower().split())
    for name in sorted(SECTIONS, key=len, reverse=True):
        if low == name or low.startswith((name + " ", name + ":")):
            return name, " ".join(words.split())[len(name):].strip(" :,-")
    return None


def redraft(report: dict, evidence: list[dict], incident: str, section: str, instructions: str,
            cfg: Configuration, people: dict[str, str] | None = None) -> tuple[dict, str]:
    """The report with only `section` drafted again; and which analyzer did it."""
    field, _ = SECTIONS[section]
    items = [as_evidence(e) for e in evidence]
    new = dict(report)
    analyzer = "offline"
    if cfg.openai_api_key and (field in TEXT_FIELDS or field in CLAIM_FIELDS):
        draft = _with_model(report, items, incident, section, instructions, cfg)
        if draft is not None:
            analyzer = f"llm:{cfg.openai_model}"
            if field in TEXT_FIELDS:
                new[field], new[f"{field}_evidence"] = draft.text, draft.evidence
            else:
                new[field] = {"text": draft.text, "evidence": draft.evidence, "verified": bool(draft.evidence)}
    if analyzer == "offline":
        fresh = analyze_offline(incident, items).model_dump()
        new[field] = fresh[field]
        if field in TEXT_FIELDS:
            new[f"{field}_evidence"] = fresh[f"{field}_evidence"]
    grounded, _ = ground_report(Report(**new), items, people or {})
    out = dict(report)
    out.update({k: v for k, v in grounded.model_dump().items() if k == field or k == f"{field}_evidence"})
    return out, analyzer


def _with_model(report: dict, items: list[Evidence], incident: str, section: str, instructions: str,
                cfg: Configuration) -> SectionDraft | None:
    from langchain_openai import ChatOpenAI

    from graph.analyze.llm import build_messages

    model = ChatOpenAI(model=cfg.openai_model, api_key=cfg.openai_api_key, base_url=cfg.openai_base_url or None,
                       timeout=max(cfg.http_timeout_s, 60), max_retries=1)
    messages = build_messages(incident, items)
    messages[-1].content += REDRAFT_SECTION.format(section=section, current="\n".join(section_text(report, section)),
                                                   instructions=instructions or "(none)")
    try:
        return model.with_structured_output(SectionDraft).invoke(messages)
    except Exception:  # noqa: BLE001 - the offline analyzer drafts it instead, and the diff says which did
        return None


def section_text(report: dict, section: str) -> list[str]:
    """The section as lines a person compares: text, then each item on its own line."""
    field, _ = SECTIONS[section]
    value = report.get(field)
    if field in TEXT_FIELDS:
        return [value or "", *([f"(evidence: {', '.join(report.get(f'{field}_evidence') or [])})"]
                               if report.get(f"{field}_evidence") else [])]
    if field in CLAIM_FIELDS:
        return [(value or {}).get("text", ""), f"(evidence: {', '.join((value or {}).get('evidence') or [])})"]
    lines = []
    for item in value or []:
        if isinstance(item, str):
            lines.append(item)
        else:
            head = f"{item.get('at', '')} " if field == "timeline" else ""
            lines.append(head + (item.get("text") or item.get("event") or ""))
    return lines


def diff_lines(before: list[str], after: list[str]) -> list[str]:
    """- removed / + added lines (unchanged ones as context), as a reviewer reads a diff."""
    out = [line for line in difflib.ndiff(before, after) if not line.startswith("?")]
    return [line.rstrip() for line in out] or ["  (empty)"]
