"""Tickets from action items against the Jira sandbox, as Cloud and as Data Center: once each, assigned, linked."""

from __future__ import annotations

import threading

import pytest
import requests
from jira import JIRA

from graph.configuration import Configuration
from graph.sources.jira import JiraSource
from graph.tickets import jira_create
from graph.tickets.jira_create import create_tickets, marker_label, resolve_assignee
from tests.support.workspaces import workspace_dict

USERS = [{"name": "mike", "display_name": "Mike Baptiste", "email": "mike@acme.test"},
         {"name": "dana", "display_name": "Dana Kim", "email": "dana@acme.test"},
         {"name": "dscott", "display_name": "Dana Scott", "email": "dscott@acme.test"}]
ISSUES = [{"key": "MKT-1", "summary": "Promo code outage", "reporter": "mike", "created": "2025-08-04T09:00:00Z"},
          {"key": "MKT-7", "summary": "Old follow-up", "reporter": "mike", "created": "2025-08-01T09:00:00Z"}]
ITEMS = [{"id": "a1", "summary": "Alert on promo cache TTL", "description": "The cache kept a stale code.",
          "assignee_name": "Mike Baptiste", "due": "2025-08-20"},
         {"id": "a2", "summary": "Write the promo runbook", "description": "Nobody knew the steps.",
          "assignee_name": None, "due": None}]


@pytest.fixture(params=["cloud", "datacenter"])
def sb(request, make_sandbox):
    return make_sandbox(workspace_dict(jira={"site": "tiny", "users": USERS, "issues": ISSUES,
                                             "projects": [{"key": "MKT", "name": "Marketing"}]}),
                        jira_deployment=request.param)


def config(sb) -> Configuration:
    return Configuration(jira_url=sb.env["JIRA_URL"], jira_email=sb.env["JIRA_EMAIL"],
                         jira_api_token=sb.env["JIRA_API_TOKEN"], source_budget_s=5, http_timeout_s=5)


def make(sb, items=ITEMS, marker="run-1", **kw) -> list[dict]:
    return create_tickets(config(sb), items, **({"project": "MKT", "link_to": "MKT-1", "marker": marker} | kw))


def test_tickets_are_created_assigned_linked_and_read_back_by_the_jira_source(sb):
    made = make(sb)
    base = sb.env["JIRA_URL"].rstrip("/")
    assert made == [{"id": "a1", "key": "MKT-8", "url": f"{base}/browse/MKT-8", "created": True, "error": None},
                    {"id": "a2", "key": "MKT-9", "url": f"{base}/browse/MKT-9", "created": True, "error": None}]
    rec = sb.state("jira").by_key["MKT-8"]
    assert (rec.assignee, str(rec.due), rec.type) == ("mike", "2025-08-20", "Task")
    assert rec.labels == ["postmortem", marker_label("run-1", "a1")]
    assert sb.state("jira").by_key["MKT-9"].assignee is None
    # What the post-mortem's own Jira source reads when it follows the keys.
    source = JiraSource(config(sb))
    issue = next(e for e in source.fetch(["MKT-8"]) if e.kind == "issue")
    assert "Alert on promo cache TTL" in issue.text and "Assignee: Mike Baptiste." in issue.text
    assert "Links: relates to MKT-1." in issue.text and issue.url == f"{base}/browse/MKT-8"
    incident = next(e for e in source.fetch(["MKT-1"]) if e.kind == "issue")
    assert "Links: relates to MKT-8, relates to MKT-9." in incident.text
    client = source.client
    assert [i.key for i in client.search_issues(f'labels = "{marker_label("run-1", "a2")}"')] == ["MKT-9"]
    page = requests.get(f"{base}/browse/MKT-1", timeout=10).text
    assert '<a href="/browse/MKT-8">MKT-8</a>' in page and '<a href="/browse/MKT-9">MKT-9</a>' in page


def test_asking_again_creates_nothing_new_and_links_what_was_not_linked(sb):
    first = make(sb, link_to=None)
    again = make(sb)
    assert [(r["key"], r["created"], r["error"]) for r in again] == [("MKT-8", False, None), ("MKT-9", False, None)]
    assert [r["key"] for r in first] == ["MKT-8", "MKT-9"] and len(sb.state("jira").issues) == 4
    assert [(x.type, x.key) for x in sb.state("jira").by_key["MKT-8"].links] == [("relates to", "MKT-1")]
    make(sb)
    assert len(sb.state("jira").by_key["MKT-8"].links) == 1  # a linked ticket is not linked twice
    other = make(sb, marker="run-2")  # another run's items are other tickets
    assert [r["key"] for r in other] == ["MKT-10", "MKT-11"] and all(r["created"] for r in other)


def test_an_unknown_project_fails_every_item_and_creates_nothing(sb):
    before = sb.stats()["jira"]["requests"]
    made = make(sb, project="NOPE")
    said = "Specify a valid project ID or key" if sb.info()["jira_deployment"] == "cloud" else "project is required"
    assert [(r["key"], r["created"]) for r in made] == [(None, False), (None, False)]
    assert all(r["error"] == f"Jira project 'NOPE' cannot take tickets: Jira answered 400: project: {said}"
               for r in made)
    assert len(sb.state("jira").issues) == 2
    # serverInfo, the label search, one refused create (Mike's look-up first): the second item is not tried.
    assert sb.stats()["jira"]["requests"] - before == 4


def test_an_owner_jira_does_not_know_or_cannot_tell_apart_gets_an_unassigned_ticket(sb):
    items = [{"id": "b1", "summary": "Fix checkout rule", "description": "", "assignee_name": "Nobody Here",
              "due": "next sprint"},
             {"id": "b2", "summary": "Review alerts", "description": "", "assignee_name": "Dan", "due": None}]
    made = make(sb, items)
    assert [r["key"] for r in made] == ["MKT-8", "MKT-9"] and all(r["created"] for r in made)
    assert made[0]["error"] == "not assigned to 'Nobody Here' (no single Jira user matches that name)"
    assert made[1]["error"] == "not assigned to 'Dan' (no single Jira user matches that name)"  # two Danas
    st = sb.state("jira")
    assert st.by_key["MKT-8"].assignee is None and st.by_key["MKT-9"].assignee is None
    assert st.by_key["MKT-8"].due is None and st.by_key["MKT-8"].description.endswith("Due: next sprint")


def test_resolve_assignee_by_name_email_and_lone_prefix(sb):
    client = JiraSource(config(sb)).client
    deployment = sb.info()["jira_deployment"]
    st = sb.state("jira")

    def person(name):
        return {"accountId": st.users[name].account_id} if deployment == "cloud" else {"name": name}

    assert resolve_assignee(client, "Mike Baptiste", deployment) == person("mike")
    assert resolve_assignee(client, "@mike@acme.test", deployment) == person("mike")
    assert resolve_assignee(client, "Mik", deployment) == person("mike")  # the only match
    assert resolve_assignee(client, "Dana Kim", deployment) == person("dana")  # whole name beats Dana Scott
    assert resolve_assignee(client, "Dan", deployment) is None  # two Danas
    # Data Center also matches usernames, and one matched whole wins; Cloud has no usernames.
    assert resolve_assignee(client, "Dana", deployment) == (None if deployment == "cloud" else person("dana"))
    assert resolve_assignee(client, "Zed", deployment) is None and resolve_assignee(client, "  ", deployment) is None


def test_a_link_to_a_missing_issue_keeps_the_ticket_and_says_so(sb):
    made = make(sb, ITEMS[1:], link_to="MKT-99")
    assert made[0]["key"] == "MKT-8" and made[0]["created"]
    assert made[0]["error"].startswith("not linked to MKT-99 (Jira answered 404: Issue does not exist")


def test_two_calls_at_once_with_one_marker_create_each_ticket_once(sb):
    results: list[list[dict]] = []
    threads = [threading.Thread(target=lambda: results.append(make(sb))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(sb.state("jira").issues) == 4
    assert sorted(r["created"] for res in results for r in res) == [False, False, True, True]
    assert {r["key"] for res in results for r in res} == {"MKT-8", "MKT-9"}


def test_a_ticket_search_does_not_show_yet_is_still_reused(sb, monkeypatch):
    make(sb)
    st = sb.state("jira")
    # Jira Cloud's search lags new issues by seconds: the process remembers what it made and reads it by key.
    monkeypatch.setattr(st, "search", lambda jql: [])
    again = make(sb)
    assert [(r["key"], r["created"]) for r in again] == [("MKT-8", False), ("MKT-9", False)]
    assert len(st.issues) == 4


def test_a_create_whose_answer_was_lost_is_found_by_its_label(sb, monkeypatch):
    real, lost = JIRA.create_issue, []

    def create_then_drop(self, *args, **kw):
        issue = real(self, *args, **kw)
        if not lost:
            lost.append(issue.key)
            raise requests.ConnectionError("connection reset after the write")
        return issue

    monkeypatch.setattr(JIRA, "create_issue", create_then_drop)
    made = make(sb, ITEMS[:1])
    assert lost == ["MKT-8"] and made[0]["key"] == "MKT-8" and made[0]["created"] and made[0]["error"] is None
    assert len(sb.state("jira").issues) == 3


def test_an_unreachable_jira_creates_nothing_and_says_so_for_every_item():
    cfg = Configuration(jira_url="http://127.0.0.1:9", jira_email="a@b.test", jira_api_token="t",
                        source_budget_s=0.2, http_timeout_s=1)
    made = create_tickets(cfg, ITEMS, project="MKT", link_to=None, marker="run-x")
    assert [(r["id"], r["key"], r["created"]) for r in made] == [("a1", None, False), ("a2", None, False)]
    assert all(r["error"].startswith("Jira could not be reached (ConnectionError") for r in made)


def test_an_assignee_jira_refuses_costs_the_assignment_not_the_ticket(sb, monkeypatch):
    # Found by search but refused on create (on Jira: not assignable in that project): the ticket is made without.
    ghost = {"accountId": "ghost"} if sb.info()["jira_deployment"] == "cloud" else {"name": "ghost"}
    monkeypatch.setattr(jira_create, "resolve_assignee", lambda client, name, deployment: ghost)
    made = make(sb, ITEMS[:1])
    assert made[0]["key"] == "MKT-8" and made[0]["created"]
    assert made[0]["error"].startswith("created without assignee (Jira answered 400: assignee: ")
    rec = sb.state("jira").by_key["MKT-8"]
    assert rec.assignee is None and str(rec.due) == "2025-08-20" and len(sb.state("jira").issues) == 3
