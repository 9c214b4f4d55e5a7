"""The model request the evidence makes, as plain data: its messages, its response format and its size in tokens.

Built without the model stack, so an offline run can say (and the ranker can budget) what a model call would cost.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from graph.analyze.draft import DraftReport
from graph.analyze.grounding import as_evidence
from graph.analyze.prompts import EVIDENCE_BEGIN, EVIDENCE_END, REPORT_PROMPT, SYSTEM_PROMPT
from graph.evidence import Evidence
from graph.tokens import chat_tokens, count

ITEM_TEXT_LIMIT = 1500


def prompt_messages(incident: str, evidence: list[Evidence]) -> list[dict]:
    prompt = REPORT_PROMPT.format(incident=neutralize(incident), count=len(evidence), begin=EVIDENCE_BEGIN,
                                  evidence=format_evidence(evidence), end=EVIDENCE_END)
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": prompt}]


@lru_cache(maxsize=1)
def response_format() -> dict:
    """The `response_format` sent with the request, exactly as langchain-openai would make it from DraftReport's
    schema (a plain, non-strict JSON schema: Ollama and vLLM accept it), so what is counted is what is sent."""
    from langchain_core.utils.function_calling import convert_to_openai_function

    function = convert_to_openai_function(DraftReport.model_json_schema(), strict=False)
    function["schema"] = function.pop("parameters")
    return {"type": "json_schema", "json_schema": function}


@lru_cache(maxsize=8)
def schema_tokens(model: str | None = None) -> int:
    # The API puts the schema into the model's context in a form it does not publish; its compact JSON is the
    # closest count that anyone can reproduce from the request body.
    return count(json.dumps(response_format()["json_schema"], ensure_ascii=False, separators=(",", ":")), model)


def prompt_tokens(incident: str, evidence: list[Evidence], model: str | None = None) -> int:
    """Tokens of the whole request: system prompt, instructions and evidence, chat template, response schema."""
    return chat_tokens(prompt_messages(incident, evidence), model) + schema_tokens(model)


def format_evidence(evidence: list[Evidence]) -> str:
    """One compact line per item: `[E1] slack | 2025-08-04T09:07:22Z | Stefan Ortiz | #marketing-ops: text`."""
    return "\n".join(evidence_line(e) for e in evidence)


def evidence_line(e: Evidence) -> str:
    e = as_evidence(e)
    text = " / ".join(line.strip() for line in e.text.splitlines() if line.strip())
    if len(text) > ITEM_TEXT_LIMIT:
        text = text[:ITEM_TEXT_LIMIT] + " …"
    return neutralize(f"[{e.id}] {e.source} | {e.at} | {e.author or 'unknown'} | {where(e)}: {text}")


def where(e: Evidence) -> str:
    if e.source == "slack":
        return f"#{e.channel or e.ref.split('/')[0]}" + (" (thread reply)" if e.kind == "reply" else "")
    if e.source == "jira":
        return " ".join(x for x in (e.key or e.ref, f'"{e.title}"' if e.title else "", f"({e.kind})") if x)
    return f'Notion page "{e.title or e.ref}"'


def neutralize(text: str) -> str:
    """Break any run of angle brackets so untrusted text can never close (or fake) the evidence delimiters."""
    return re.sub(r">{3,}", "»", re.sub(r"<{3,}", "«", text))
