"""The page footer says how the evidence was chosen: terms, window and the incident's own range, in blocks and Markdown."""

from __future__ import annotations

import pytest

from graph.publish.blocks import report_blocks
from graph.publish.markdown import report_markdown
from tests.graph.publish.test_render import OK, plain, sample_evidence, sample_report

SCOPE = {"terms": ["checkout", "timeouts"],
         "window": {"oldest": "2026-01-26T00:00:00Z", "latest": "2026-01-29T16:00:00Z"},
         "core_range": {"start": "2026-01-28T13:02:37Z", "end": "2026-01-28T14:21:44Z"}, "tickets": []}
TERMS = "Evidence chosen by the terms checkout, timeouts"
WINDOW = "in the window 2026-01-26 00:00 – 2026-01-29 16:00 UTC"
RANGE = "the incident's own range 2026-01-28 13:02 – 2026-01-28 14:21 UTC"


def footer_block(scope: dict | None) -> str:
    """The text of the paragraph after the divider (the report's notes follow it)."""
    blocks = report_blocks(sample_report(), sample_evidence(), incident="SUMMER25", analyzer="offline", sources=OK,
                           scope=scope)
    divider = next(i for i, b in enumerate(blocks) if b["type"] == "divider")
    footer = blocks[divider + 1]
    assert footer["type"] == "paragraph" and plain(footer).startswith("Drafted by postmortem (offline)")
    return plain(footer)


def markdown_tail(scope: dict | None) -> list[str]:
    """The Markdown lines after the closing rule."""
    md = report_markdown(sample_report(), sample_evidence(), incident="SUMMER25", analyzer="offline", sources=OK,
                         scope=scope)
    lines = md.splitlines()
    return lines[len(lines) - lines[::-1].index("---"):]


def test_block_footer_names_terms_window_and_core_range():
    text = footer_block(SCOPE)
    assert f"{TERMS} {WINDOW}; {RANGE}" in text
    assert text.endswith(".") and text.index("evidence items") < text.index(TERMS)  # after the drafting line


def test_markdown_footer_names_terms_window_and_core_range():
    tail = markdown_tail(SCOPE)
    scope_lines = [line for line in tail if TERMS in line]
    assert len(scope_lines) == 1
    line = scope_lines[0]
    assert line.startswith(f"*{TERMS} {WINDOW}; {RANGE}") and line.endswith(".*")
    assert tail.index(line) > 0 and tail[0].startswith("*Drafted by postmortem (offline)")
    assert tail[-1] == "*Analyzer: offline.*"  # the report's notes still close the page


@pytest.mark.parametrize("scope", [None, {}])
def test_without_a_scope_there_is_no_scope_sentence(scope):
    assert "Evidence chosen" not in footer_block(scope)
    assert not any("Evidence chosen" in line for line in markdown_tail(scope))


def test_without_a_core_range_the_sentence_has_terms_and_window_only():
    scope = SCOPE | {"core_range": None}
    text = footer_block(scope)
    assert text.endswith(f"{TERMS} {WINDOW}.") and "own range" not in text
    line = next(line for line in markdown_tail(scope) if TERMS in line)
    assert line == f"*{TERMS} {WINDOW}.*"
