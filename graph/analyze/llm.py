"""The model analyzer: one structured-output call (and at most one repair call), then grounding against the evidence."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import ValidationError

from graph.analyze.draft import DraftReport
from graph.analyze.grounding import as_evidence, ground_report, normalize_id
from graph.analyze.prompts import REPAIR_PROMPT
from graph.analyze.report import Metrics, Report
from graph.analyze.request import format_evidence, neutralize, prompt_messages, response_format, where  # noqa: F401
from graph.evidence import Evidence

ERROR_LIMIT = 1500


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
    http_client=None,
) -> LlmResult:
    """Draft the report with the model and ground it; on failure report is None and error says why.

    `http_client` (an httpx.Client) is what the requests go through, e.g. one that counts them."""
    items = [as_evidence(e) for e in evidence]
    llm = ChatOpenAI(model=model, api_key=api_key, base_url=base_url or None, max_retries=1, timeout=timeout,
                     http_client=http_client)
    # The ready-made response format (graph/analyze/request.py) is sent as it is: the tokens counted are those sent.
    chain = llm.with_structured_output(response_format()["json_schema"], method="json_schema", include_raw=True)
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
    system, user = (m["content"] for m in prompt_messages(incident, evidence))
    return [SystemMessage(system), HumanMessage(user)]


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
