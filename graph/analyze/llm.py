"""The model analyzer: one structured-output call (and at most one repair call), then grounding against the evidence."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, Field, ValidationError

from graph.analyze.grounding import as_evidence, ground_report, normalize_id
from graph.analyze.prompts import EVIDENCE_BEGIN, EVIDENCE_END, REPAIR_PROMPT, REPORT_PROMPT, SYSTEM_PROMPT
from graph.analyze.report import ActionItem, Metrics, Report, TimelineEvent
from graph.evidence import Evidence

ITEM_TEXT_LIMIT = 1500
ERROR_LIMIT = 1500


class DraftClaim(BaseModel):
    text: str = Field(description="One or two sentences, or 'unknown' when the evidence does not say")
    evidence: list[str] = Field(default_factory=list, description="Ids (E1, E2, …) of the evidence that supports it")


class DraftMetrics(BaseModel):
    started: str | None = Field(None, description="Id of the evidence item showing when the problem began")
    detected: str | None = Field(None, description="Id of the evidence item where it was first noticed or reported")
    resolved: str | None = Field(None, description="Id of the evidence item showing when it was fixed")


class DraftReport(BaseModel):
    """A blameless post-mortem written only from the numbered evidence, citing evidence ids for every claim."""

    title: str = Field(description="Short, specific, no date, e.g. 'Promo code SUMMER25 rejected at checkout'")
    summary: str
    summary_evidence: list[str] = Field(default_factory=list)
    impact: str
    impact_evidence: list[str] = Field(default_factory=list)
    detection: str = Field(description="How and by whom the problem was noticed")
    detection_evidence: list[str] = Field(default_factory=list)
    root_cause: DraftClaim
    contributing_factors: list[DraftClaim] = Field(default_factory=list)
    resolution: DraftClaim
    timeline: list[TimelineEvent] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list, description="What the evidence does not answer")
    metrics: DraftMetrics = Field(default_factory=DraftMetrics)


# A plain JSON schema (not the class) keeps the request a plain, non-strict chat completion that Ollama and vLLM
# accept, and lets invalid output come back as a parsing error with the raw message (and its usage) intact.
DRAFT_SCHEMA = DraftReport.model_json_schema()


@dataclass
class LlmResult:
    report: Report | None = None
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def analyze_llm(
    incident: str,
    evidence: list[Evidence],
    *,
    model: str,
    api_key: str,
    base_url: str | None = None,
    timeout: float = 60,
    names: dict[str, str] | None = None,
) -> LlmResult:
    """Draft the report with the model and ground it; on failure report is None and error says why."""
    items = [as_evidence(e) for e in evidence]
    llm = ChatOpenAI(model=model, api_key=api_key, base_url=base_url or None, max_retries=1, timeout=timeout)
    chain = llm.with_structured_output(DRAFT_SCHEMA, method="json_schema", include_raw=True)
    messages = build_messages(incident, items)
    result = LlmResult()
    draft, problem, answer = None, "", ""
    while result.calls < 2 and draft is None:
        if result.calls:
            result.notes.append(f"The model's first answer was invalid ({problem[:200]}); asked it to repair.")
            messages = [
                *messages[:2],
                AIMessage(answer or "(empty answer)"),
                HumanMessage(REPAIR_PROMPT.format(error=problem)),
            ]
        result.calls += 1
        try:
            out = chain.invoke(messages)
        except Exception as exc:  # any failure of the call means the caller falls back to the offline analyzer
            result.error = f"model call failed: {type(exc).__name__}: {str(exc)[:ERROR_LIMIT]}"
            return result
        add_usage(result, out.get("raw"))
        draft, problem = validate_draft(out)
        answer = raw_text(out.get("raw"))
    if draft is None:
        result.error = f"model output invalid after {result.calls} calls: {problem}"
        return result
    result.report, notes = ground_report(to_report(draft, items), items, names)
    result.notes += notes
    return result


def build_messages(incident: str, evidence: list[Evidence]) -> list[BaseMessage]:
    prompt = REPORT_PROMPT.format(
        incident=neutralize(incident),
        count=len(evidence),
        begin=EVIDENCE_BEGIN,
        evidence=format_evidence(evidence),
        end=EVIDENCE_END,
    )
    return [SystemMessage(SYSTEM_PROMPT), HumanMessage(prompt)]


def format_evidence(evidence: list[Evidence]) -> str:
    """One compact line per item: `[E1] slack | 2025-08-04T09:07:22Z | Stefan Ortiz | #marketing-ops: text`."""
    lines = []
    for e in map(as_evidence, evidence):
        text = " / ".join(line.strip() for line in e.text.splitlines() if line.strip())
        if len(text) > ITEM_TEXT_LIMIT:
            text = text[:ITEM_TEXT_LIMIT] + " …"
        head = f"[{e.id}] {e.source} | {e.at} | {e.author or 'unknown'} | {where(e)}"
        lines.append(neutralize(f"{head}: {text}"))
    return "\n".join(lines)


def where(e: Evidence) -> str:
    if e.source == "slack":
        return f"#{e.channel or e.ref.split('/')[0]}" + (" (thread reply)" if e.kind == "reply" else "")
    if e.source == "jira":
        return " ".join(x for x in (e.key or e.ref, f'"{e.title}"' if e.title else "", f"({e.kind})") if x)
    return f'Notion page "{e.title or e.ref}"'


def neutralize(text: str) -> str:
    """Break any run of angle brackets so untrusted text can never close (or fake) the evidence delimiters."""
    return re.sub(r">{3,}", "»", re.sub(r"<{3,}", "«", text))


def validate_draft(out: dict) -> tuple[DraftReport | None, str]:
    if out.get("parsing_error") is not None:
        detail = str(out["parsing_error"]).split("\nFor troubleshooting")[0]
        return None, f"not valid JSON: {detail[:ERROR_LIMIT]}"
    parsed = out.get("parsed")
    if not isinstance(parsed, dict):
        return None, f"expected one JSON object, got {type(parsed).__name__}"
    try:
        return DraftReport.model_validate(parsed), ""
    except ValidationError as exc:
        return None, f"does not match the schema: {str(exc)[:ERROR_LIMIT]}"


def to_report(draft: DraftReport, evidence: list[Evidence]) -> Report:
    """The draft as a Report; metric ids become their evidence item's time (grounding checks the rest)."""
    at_by_id = {e.id: e.at for e in evidence}
    metrics = {k: at_by_id.get(normalize_id(v), v) if v else None for k, v in draft.metrics.model_dump().items()}
    return Report.model_validate({**draft.model_dump(exclude={"metrics"}), "metrics": Metrics(**metrics)})


def add_usage(result: LlmResult, raw: AIMessage | None) -> None:
    usage = getattr(raw, "usage_metadata", None) or {}
    result.input_tokens += int(usage.get("input_tokens") or 0)
    result.output_tokens += int(usage.get("output_tokens") or 0)


def raw_text(raw: AIMessage | None) -> str:
    if raw is None:
        return ""
    content = raw.content if isinstance(raw.content, str) else json.dumps(raw.content)
    if not content and raw.tool_calls:
        content = json.dumps(raw.tool_calls[0].get("args"))
    return content[:4000]
