"""Pasted credentials in Slack, Notion and Jira never reach the page, the Markdown, the JSON result or the model."""

from __future__ import annotations

import json

import pytest

from graph.redact import RedactConfigError
from tests.support.bot import page_text
from tests.support.graph import page_texts, report_pages, run_on
from tests.support.leaky_workspace import EXTRA_PATTERNS, SECRETS, leaks, leaky_workspace
from tests.support.stub_openai import StubOpenAI

EXTRA = {"redact_patterns": EXTRA_PATTERNS}
TYPED_URL = "postgres://cms:Pr0mo-Launch-2025@db.internal:5432/cms"


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(leaky_workspace())


def test_no_credential_reaches_the_page_the_markdown_or_the_json_and_the_footer_counts_them(sb, tmp_path):
    result = run_on(sb, tmp_path, incident="promo42", overrides=EXTRA)
    assert result["status"] == "published"
    page = result["page"]
    blocks = "\n".join(page_texts(sb, page["id"])) + sb.state("notion").title_of(page["id"])
    opened = page_text(page["url"])  # what a person sees opening the link
    for shown in (blocks, opened, result["markdown"], json.dumps(result)):
        assert leaks(shown) == []
    footer = "10 credentials were redacted (1 acme-key, 1 aws-access-key-id, 1 aws-secret-key"
    assert footer in blocks and footer in opened and footer in result["markdown"]
    assert result["redactions"] == {"count": 10, "by_type": {t: 1 for t in SECRETS.values()}}
    # the evidence is still there, readable, with each secret's place marked and the host kept
    texts = " ".join(e["text"] for e in result["evidence"])
    assert "postgres://cms:[redacted: password-in-url]@db.internal:5432/cms" in texts
    assert "[redacted: private-key]" in texts and "our CMS key [redacted: acme-key] still works" in texts
    assert {e["source"] for e in result["evidence"]} == {"slack", "notion", "jira"}
    assert "The old CMS admin password=[redacted: password] was shared" in texts  # MKT-8, a followed reference


def test_a_credential_typed_into_the_request_is_not_echoed_anywhere(sb, tmp_path):
    result = run_on(sb, tmp_path, incident=f"promo42 {TYPED_URL}", overrides=EXTRA)
    assert result["incident"] == "promo42 postgres://cms:[redacted: password-in-url]@db.internal:5432/cms"
    assert leaks(json.dumps(result)) == [] and leaks(result["markdown"]) == [] and leaks(result["run_id"]) == []
    page = result["page"]
    assert leaks("\n".join(page_texts(sb, page["id"]))) == [] and leaks(page_text(page["url"])) == []
    assert result["redactions"]["by_type"]["password-in-url"] == 2  # the request's own and the thread's


def test_the_model_is_never_sent_a_credential(sb, tmp_path):
    with StubOpenAI() as stub:  # no queued answer: the stub fails, the offline analyzer takes over
        result = run_on(sb, tmp_path, incident="promo42", offline=False,
                        overrides=EXTRA | {"openai_api_key": "sk-test", "openai_base_url": stub.base_url})
    assert stub.requests, "the model was asked"
    prompt = json.dumps(stub.requests)
    assert leaks(prompt) == [] and "[redacted: aws-secret-key]" in prompt
    assert leaks(json.dumps(result)) == []


def test_a_malformed_extra_pattern_stops_the_run_before_anything_is_read_or_published(sb, tmp_path):
    with pytest.raises(RedactConfigError, match="POSTMORTEM_REDACT_PATTERNS: pattern 'acme-key'"):
        run_on(sb, tmp_path, incident="promo42", overrides={"redact_patterns": "acme-key=acme_live_[a-z"})
    assert report_pages(sb, "promo42") == []
