"""Incident text is checked in one place: what a person typed, cleaned of what they can't see, or a clear refusal."""

from __future__ import annotations

import pytest

from graph.incident_text import MAX_INCIDENT_CHARS, IncidentTextError, check_incident, strip_invisible
from sandbox.server import Sandbox
from tests.support.graph import run_on

INVISIBLE_ONLY = [
    "\u200b",  # zero-width space
    "\u200b\u200c\u200d\u2060",  # zero-width space, non-joiner, joiner, word joiner
    "\ufeff",  # byte-order mark
    "\u00ad\u00ad",  # soft hyphens
    "\u202e\u202a\u202c",  # bidi override, embedding, pop
    "\u2066\u2069",  # bidi isolate and pop
    " \u200e\u200f\t\n",  # direction marks among whitespace
    "\u3164",  # Hangul filler (a letter that shows nothing)
    "\U000e0041\U000e0042",  # tag characters
]


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_text_of_only_invisible_characters_is_refused_and_the_message_names_one(text):
    with pytest.raises(IncidentTextError, match=r"the incident argument has only invisible characters \(such as U\+"):
        check_incident(text, "the incident argument")


@pytest.mark.parametrize("text", ["", "   ", "\t\n", None, "\x00\x07"])
def test_empty_text_is_refused_saying_where_it_came_from(text):
    with pytest.raises(IncidentTextError, match=r"^the text after /postmortem is empty; say what to write about"):
        check_incident(text, "the text after /postmortem")


def test_hidden_characters_are_removed_and_full_width_letters_normalised():
    assert check_incident("\ufeff summer\u200b25 \u202echeckout\u202c  outage\n") == "summer25 checkout outage"
    assert check_incident("ＳＵＭＭＥＲ２５") == "SUMMER25"  # NFKC: what looks like SUMMER25 is SUMMER25
    assert check_incident("pay\u00admentsvc") == "paymentsvc"  # a soft hyphen must not split the name


def test_text_over_the_limit_is_refused_with_the_limit_and_its_length():
    check_incident("x" * MAX_INCIDENT_CHARS)  # at the limit is fine
    with pytest.raises(IncidentTextError) as exc:
        check_incident("incident " * 1200, "the incident argument")
    assert str(exc.value).startswith(f"the incident argument is 10799 characters long; the limit is {MAX_INCIDENT_CHARS}")


def test_length_is_counted_after_cleaning():
    padded = "summer25" + "\u200b" * 5000 + " " * 5000
    assert check_incident(padded) == "summer25"


def test_strip_invisible_keeps_visible_text_and_joins_whitespace():
    assert strip_invisible("a\u2028b\u2029c\x1fd") == "a b c d"
    assert strip_invisible("café – ünïcode") == "café – ünïcode"


def test_the_graph_refuses_invisible_text_itself_when_a_caller_did_not_check(summer25, tmp_path):
    """The plan node is the last line of defence: no evidence is gathered and nothing is published."""
    notion = summer25.state("notion")
    pages = len(notion.pages)
    with pytest.raises(IncidentTextError, match="only invisible characters"):
        run_on(summer25, tmp_path, incident="\u200b\u202e")
    assert len(notion.pages) == pages


def test_the_graph_writes_about_the_cleaned_text(tmp_path):
    with Sandbox() as sb:  # publishes, so not the shared sandbox
        result = run_on(sb, tmp_path, incident="\u202esummer\u200b25\u202c")
    assert result["status"] == "published"
    assert result["sources"]["slack"]["items"] > 0  # what was searched for is summer25
    assert "SUMMER25" in result["report"]["title"]
    assert not {"\u200b", "\u202e", "\u202c"} & set(result["markdown"])
