"""JQL `~` as Jira Cloud answers it, through the real `jira` client: whole words, English stems, phrases, wildcards."""

from __future__ import annotations

import pytest
from jira import JIRA

from sandbox.jira.textsearch import Indexed, matcher
from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.workspaces import workspace_dict


def _issue(key: str, summary: str, description: str = "", **kw) -> dict:
    return {"key": key, "summary": summary, "description": description, "reporter": "stefan",
            "created": "2025-08-04T09:00:00Z", **kw}


ISSUES = [
    _issue("OPS-1", "Caching layer served stale promo codes", "The cached entry outlived the campaign."),
    _issue("OPS-2", "Roll back the checkout deploy", "Two rollbacks in a row; rollbacks2 is the runbook id.",
           comments=[{"author": "stefan", "at": "2025-08-04T10:00:00Z", "body": "The customer's cart was empty."}]),
    _issue("OPS-3", "SUMMER25 code rejected at checkout", "Customers saw Invalid Code; see checkout.js."),
    _issue("OPS-4", "Plan the summer campaign", "Nothing about caches here."),
]


@pytest.fixture(scope="module")
def jira():
    data = workspace_dict(jira={"users": [{"name": "stefan"}], "projects": [{"key": "OPS", "name": "Ops"}],
                                "issues": ISSUES})
    with Sandbox(parse_workspace(data, "text-search")) as sb:
        yield JIRA(server=sb.env["JIRA_URL"], basic_auth=(sb.env["JIRA_EMAIL"], sb.env["JIRA_API_TOKEN"]))


def keys(jira, jql: str) -> list[str]:
    return sorted(i.key for i in jira.search_issues(jql + " ORDER BY key ASC"))


def test_a_word_matches_its_inflections_but_not_another_word(jira):
    assert keys(jira, 'text ~ "cache"') == ["OPS-1", "OPS-4"]  # caching, cached, caches: one stem
    assert keys(jira, 'summary ~ "summer"') == ["OPS-4"]  # SUMMER25 is a different word
    assert keys(jira, 'text ~ "summer25"') == ["OPS-3"]
    assert keys(jira, 'description ~ "rollback"') == ["OPS-2"]  # "rollbacks", not because of "rollbacks2"
    assert keys(jira, 'text ~ "rollbacks2"') == ["OPS-2"] and keys(jira, 'text ~ "rollbacks3"') == []
    assert keys(jira, 'text ~ "checkout"') == ["OPS-2", "OPS-3"]  # "checkout.js" is one token, as in Lucene
    assert keys(jira, 'comment ~ "customer"') == ["OPS-2"]  # the possessive "customer's"


def test_terms_are_anded_and_phrases_and_wildcards_work(jira):
    assert keys(jira, 'text ~ "checkout invalid"') == ["OPS-3"]
    assert keys(jira, 'text ~ "checkout customers"') == ["OPS-2", "OPS-3"]  # OPS-2: a customer's comment
    assert keys(jira, 'summary ~ "\\"code rejected\\""') == ["OPS-3"]
    assert keys(jira, 'summary ~ "\\"rejected code\\""') == []
    assert keys(jira, 'summary ~ "summ*"') == ["OPS-3", "OPS-4"]
    assert keys(jira, 'text ~ "cach*" AND NOT summary ~ plan') == ["OPS-1"]


def test_the_index_holds_stems_in_order():
    idx = Indexed("Caching layers' rollbacks, v1.2 and checkout.js")
    assert idx.seq[:5] == ("cach", "layer", "rollback", "v1.2", "and") and len(idx.seq) == 6
    assert matcher("checkout.js")(idx) and not matcher("checkout")(idx)
    assert matcher("cached layer")(idx) and not matcher("cachex")(idx) and not Indexed("")
