"""The token budget covers the whole model request, counted with the model's tokenizer, on any workspace size."""

from __future__ import annotations

import json

import pytest

from graph.analyze.request import prompt_tokens
from graph.evidence import Evidence
from graph.rank import rank_and_cap
from graph.tokens import chat_tokens, count
from sandbox.generate.build import generate_workspace
from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.graph import run_on
from tests.support.stub_openai import StubOpenAI

ANSWER = {"title": "Deploy", "summary": "s", "impact": "i", "detection": "d",
          "root_cause": {"text": "unknown", "evidence": []}, "resolution": {"text": "unknown", "evidence": []}}


def request_tokens(body: dict) -> int:
    """What the stub received, counted from the wire: messages in their chat template, plus the response schema."""
    schema = json.dumps(body["response_format"]["json_schema"], ensure_ascii=False, separators=(",", ":"))
    return chat_tokens(body["messages"], body["model"]) + count(schema, body["model"])


@pytest.fixture(scope="module")
def big():
    data = generate_workspace(messages=10_000, issues=500, pages=200, seed=1)
    with Sandbox(parse_workspace(data, "generated-10k")) as sb:
        yield sb


def test_the_request_the_model_receives_stays_within_the_budget_and_is_the_prompt_tokens_reported(big, tmp_path):
    with StubOpenAI() as stub:
        stub.enqueue_json(ANSWER)
        result = run_on(big, tmp_path, incident="deploy", offline=False,
                        overrides={"openai_api_key": "sk-test", "openai_base_url": stub.base_url, "token_budget": 4000})
    assert stub.calls == 1 and result["analyzer"] == "llm:gpt-4o-mini"
    sent = request_tokens(stub.requests[0])
    assert sent == result["usage"]["prompt_tokens"]
    assert 3_000 < sent <= 4_000  # the budget is what bounds it: far more evidence was found than fits
    assert sum(s["items"] for s in result["sources"].values()) > len(result["evidence"]) + 50


def test_an_offline_run_reports_the_same_prompt_tokens_a_model_would_receive(big, tmp_path):
    offline = run_on(big, tmp_path, incident="deploy", overrides={"token_budget": 6000})
    assert offline["analyzer"] == "offline" and offline["usage"]["llm_calls"] == 0
    evidence = [Evidence(**e) for e in offline["evidence"]]
    assert offline["usage"]["prompt_tokens"] == prompt_tokens("deploy", evidence) <= 6000


def test_the_budget_counts_the_prompts_and_schema_not_just_the_evidence():
    fixed = prompt_tokens("checkout", [])
    assert fixed > 1000  # system prompt, instructions, JSON schema and chat template: a real part of the budget
    items = [Evidence(source="slack", ref=f"C1/{i}.000000", url="u", at=f"2025-08-04T09:{i:02d}:00Z",
                      text=f"checkout failing again {i} " * 20, matched=True) for i in range(40)]
    kept, dropped = rank_and_cap(items, fixed + 500, "checkout")
    assert kept and dropped and prompt_tokens("checkout", kept) <= fixed + 500
    assert rank_and_cap(items, fixed - 1, "checkout") == ([], 40)  # not even the prompts fit: no evidence
