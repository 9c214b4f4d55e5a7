"""The Jira sandbox through the real `jira` client (and plain HTTP for v3/ADF), checked against Jira's OpenAPI spec."""

from __future__ import annotations

import pytest
import requests
from jira import JIRA, JIRAError

from tests.support.openapi_check import validate_response
from tests.support.workspaces import workspace_dict

USERS = [{"name": "stefan", "display_name": "Stefan Ortiz", "email": "stefan@acme.test"},
         {"name": "mike", "display_name": "Mike Baptiste", "email": "mike@acme.test"}]


def _issue(key, created, summary, **kw):
    return {"key": key, "summary": summary, "reporter": "stefan", "created": created, **kw}


ISSUES = [
    _issue("MKT-1", "2025-07-01T10:00:00Z", "Plan the summer campaign", labels=["launch"]),
    _issue("MKT-2", "2025-07-30T10:00:00Z", "Activate SUMMER25 promo code before launch", status="Done",
           priority="High", assignee="mike", labels=["summer25", "launch"], resolved="2025-08-04T09:30:00Z",
           description="Enable the code in the CMS.\n\n- check **checkout**\n- clear cache",
           comments=[{"author": "mike", "at": "2025-08-04T09:25:00Z", "body": "Activated; cache clears hourly."},
                     {"author": "stefan", "at": "2025-08-04T09:40:00Z", "body": "Thanks!"}],
           transitions=[{"at": "2025-08-04T09:20:00Z", "by": "mike", "from": "To Do", "to": "In Progress"},
                        {"at": "2025-08-04T09:30:00Z", "by": "mike", "from": "In Progress", "to": "Done"}],
           links=[{"type": "relates to", "key": "ENG-7"}]),
    _issue("MKT-3", "2025-08-04T09:10:00Z", "Customers report invalid code at checkout", type="Bug",
           status="In Progress", priority="Highest", assignee="stefan"),
    _issue("ENG-7", "2025-08-04T09:15:00Z", "Checkout promo validation cache", type="Incident",
           comments=[{"author": "mike", "at": "2025-08-04T10:00:00Z", "body": "Root cause: stale summer25 entry"}]),
    _issue("ENG-8", "2025-06-01T08:00:00Z", "Unrelated refactor", status="Closed", resolved="2025-06-02T08:00:00Z"),
]


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(workspace_dict(jira={
        "site": "tiny", "users": USERS,
        "projects": [{"key": "MKT", "name": "Marketing"}, {"key": "ENG", "name": "Engineering"}],
        "issues": ISSUES}))


@pytest.fixture
def jira(sb):
    return JIRA(server=sb.env["JIRA_URL"], basic_auth=(sb.env["JIRA_EMAIL"], sb.env["JIRA_API_TOKEN"]))


def _get(sb, path, method="GET", **kw):
    auth = (sb.env["JIRA_EMAIL"], sb.env["JIRA_API_TOKEN"])
    return requests.request(method, sb.env["JIRA_URL"] + path, auth=auth, timeout=10, **kw)


def keys(issues):
    return [i.key for i in issues]


def test_client_sees_a_cloud_site(jira, sb):
    info = jira.server_info()
    assert info["deploymentType"] == "Cloud" and info["baseUrl"] == sb.env["JIRA_URL"]
    assert jira.myself()["emailAddress"] == sb.env["JIRA_EMAIL"]
    assert sorted(p.key for p in jira.projects()) == ["ENG", "MKT"]
    assert jira.project("MKT").name == "Marketing"


def test_bad_credentials_are_refused_with_401(sb):
    with pytest.raises(JIRAError) as err:
        JIRA(server=sb.env["JIRA_URL"], basic_auth=(sb.env["JIRA_EMAIL"], "wrong-token"), max_retries=0)
    assert err.value.status_code == 401
    anonymous = requests.get(sb.env["JIRA_URL"] + "/rest/api/3/search/jql", params={"jql": ""}, timeout=10)
    assert anonymous.status_code == 401


def test_enhanced_search_follows_next_page_tokens_in_order(jira, sb):
    found = jira.search_issues("order by created asc", maxResults=False, fields="summary")
    assert keys(found) == ["ENG-8", "MKT-1", "MKT-2", "MKT-3", "ENG-7"]
    first = _get(sb, "/rest/api/3/search/jql", params={"jql": "order by created asc", "maxResults": 2}).json()
    assert len(first["issues"]) == 2 and first["isLast"] is False and "fields" not in first["issues"][0]
    rest = _get(sb, "/rest/api/3/search/jql", params={"jql": "order by created asc", "maxResults": 10,
                                                       "nextPageToken": first["nextPageToken"]}).json()
    assert [i["key"] for i in rest["issues"]] == ["MKT-2", "MKT-3", "ENG-7"] and rest["isLast"] is True


def test_only_requested_fields_come_back(jira):
    issue = jira.search_issues("key = MKT-2", fields="summary,status")[0]
    assert set(issue.raw["fields"]) == {"summary", "status"}
    assert issue.fields.status.statusCategory.key == "done"
    everything_but = jira.search_issues("key = MKT-2", fields="*all,-comment")[0].raw["fields"]
    assert "comment" not in everything_but and everything_but["labels"] == ["summer25", "launch"]


def test_text_search_is_case_insensitive_over_summary_description_and_comments(jira):
    assert keys(jira.search_issues('text ~ "summer25" order by key asc')) == ["ENG-7", "MKT-2"]
    assert keys(jira.search_issues('comment ~ "cache clears"')) == ["MKT-2"]
    assert keys(jira.search_issues('summary ~ checkout order by key')) == ["ENG-7", "MKT-3"]


def test_date_windows_absolute_and_relative(jira):
    window = 'created >= "2025-07-06" AND created < "2025-08-04 09:12" order by created'
    assert keys(jira.search_issues(window)) == ["MKT-2", "MKT-3"]  # MKT-3 was created at 09:10, before 09:12
    assert keys(jira.search_issues('created >= "2025-07-06" AND created < "2025-08-04 09:00"')) == ["MKT-2"]
    # now is 2025-08-05T12:00Z: -2d reaches back to 08-03 12:00
    assert keys(jira.search_issues("created >= -2d order by key asc")) == ["ENG-7", "MKT-3"]
    assert keys(jira.search_issues("resolved >= -10w order by key asc")) == ["ENG-8", "MKT-2"]


def test_or_parentheses_and_order_by(jira):
    jql = '(project = ENG OR labels = summer25) AND status != Closed ORDER BY priority DESC, key ASC'
    assert keys(jira.search_issues(jql)) == ["MKT-2", "ENG-7"]
    assert keys(jira.search_issues("assignee = currentUser()")) == []
    assert keys(jira.search_issues("assignee is EMPTY order by key")) == ["ENG-7", "ENG-8", "MKT-1"]
    assert keys(jira.search_issues("assignee != mike order by key")) == ["MKT-3"]  # Jira skips unassigned


def test_issue_changelog_links_and_comments(jira, sb):
    issue = jira.issue("MKT-2", expand="changelog")
    changes = [(h.created, h.items[0].fromString, h.items[0].toString) for h in issue.changelog.histories]
    assert sorted(changes) == [("2025-08-04T09:20:00.000+0000", "To Do", "In Progress"),
                               ("2025-08-04T09:30:00.000+0000", "In Progress", "Done")]
    assert issue.fields.issuelinks[0].outwardIssue.key == "ENG-7"
    assert jira.issue("ENG-7").fields.issuelinks[0].inwardIssue.key == "MKT-2"
    assert [c.body for c in jira.comments("MKT-2")] == ["Activated; cache clears hourly.", "Thanks!"]
    assert jira.comments("MKT-2")[0].author.displayName == "Mike Baptiste"
    page = requests.get(issue.permalink(), timeout=10)
    assert page.status_code == 200 and "Activate SUMMER25" in page.text and "In Progress" in page.text


def test_browse_page_reads_like_jira_and_focuses_the_linked_comment(jira, sb):
    """Evidence links to a comment end in ?focusedCommentId=N; the page must land on that comment."""
    second = jira.comments("MKT-2")[1]
    page = requests.get(f"{sb.env['JIRA_URL']}/browse/MKT-2?focusedCommentId={second.id}", timeout=10).text
    assert f'<li id="comment-{second.id}">' in page and "focusedCommentId" in page  # the anchor and the script
    assert "Mon 4 Aug 2025, 09:40 UTC" in page and "Wed 30 Jul 2025, 10:00 UTC" in page  # as a person reads it
    assert "+0000</" not in page and ".000+0000<" not in page  # no raw API timestamps in the text


def test_unknown_issue_is_404_with_jiras_message(jira):
    with pytest.raises(JIRAError) as err:
        jira.issue("MKT-999")
    assert err.value.status_code == 404
    assert "Issue does not exist or you do not have permission to see it." in err.value.text


def test_created_issue_and_comment_are_searchable(jira, sb):
    new = jira.create_issue(project="MKT", issuetype="Task", summary="Post-mortem follow-up: cache TTL",
                            description="Lower the promo cache TTL", labels=["postmortem"])
    assert new.key == "MKT-4" and new.fields.status.name == "To Do"
    assert keys(jira.search_issues("labels = postmortem")) == ["MKT-4"]
    jira.add_comment("MKT-1", "Linked to the WINTER26 plan")
    assert keys(jira.search_issues('text ~ "winter26"')) == ["MKT-1"]
    assert sb.state("jira").by_key["MKT-4"].reporter == sb.state("jira").me


def test_bad_jql_raises_400_with_jiras_message(jira):
    with pytest.raises(JIRAError) as err:
        jira.search_issues("project = MKT AND AND")
    assert err.value.status_code == 400
    assert "Error in the JQL Query: Expecting a field name but got 'AND'. (line 1, character 19)" in err.value.text
    with pytest.raises(JIRAError) as err:
        jira.search_issues("colour = red")
    assert "Field 'colour' does not exist" in err.value.text


def test_v2_text_and_v3_adf_descriptions(sb):
    v2 = _get(sb, "/rest/api/2/issue/MKT-2").json()
    assert v2["fields"]["description"].startswith("Enable the code in the CMS.")
    v3 = _get(sb, "/rest/api/3/issue/MKT-2").json()
    doc = v3["fields"]["description"]
    assert doc["type"] == "doc" and doc["content"][0]["content"][0]["text"] == "Enable the code in the CMS."
    assert doc["content"][1]["type"] == "bulletList"
    assert v3["fields"]["comment"]["comments"][0]["body"]["type"] == "doc"
    made = _get(sb, "/rest/api/3/issue", "POST", json={"fields": {
        "project": {"key": "ENG"}, "issuetype": {"name": "Bug"}, "summary": "ADF body",
        "description": {"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "From ADF"}]}]}}})
    assert made.status_code == 201
    assert _get(sb, f"/rest/api/2/issue/{made.json()['key']}").json()["fields"]["description"] == "From ADF"
    bad = _get(sb, "/rest/api/3/issue", "POST", json={"fields": {
        "project": {"key": "ENG"}, "issuetype": {"name": "Bug"}, "summary": "x", "description": "plain"}})
    assert bad.status_code == 400 and "Atlassian Document" in bad.json()["errors"]["description"]


def test_data_center_search_pages_with_start_at_and_total(make_sandbox):
    sb = make_sandbox(workspace_dict(jira={"users": USERS, "projects": [{"key": "MKT", "name": "Marketing"},
                                                                         {"key": "ENG", "name": "Engineering"}],
                                           "issues": ISSUES}), jira_deployment="datacenter")
    body = _get(sb, "/rest/api/2/search", params={"jql": "order by key asc", "startAt": 1, "maxResults": 2}).json()
    assert body["total"] == 5 and body["startAt"] == 1
    assert [i["key"] for i in body["issues"]] == ["ENG-8", "MKT-1"] and "summary" in body["issues"][0]["fields"]
    # Cloud dropped /rest/api/3/search, but its documented SearchResults shape is the one DC clients read.
    validate_response("jira", "GET", "/rest/api/3/search", body)


def test_responses_match_the_official_description(sb):
    checks = [("GET", "/rest/api/3/serverInfo", {}), ("GET", "/rest/api/3/myself", {}),
              ("GET", "/rest/api/3/project", {}), ("GET", "/rest/api/3/project/MKT", {}),
              ("GET", "/rest/api/3/field", {}), ("GET", "/rest/api/3/issuetype", {}),
              ("GET", "/rest/api/3/search/jql", {"params": {"jql": "project = MKT", "fields": "*all",
                                                            "expand": "changelog,renderedFields"}}),
              ("POST", "/rest/api/3/search/jql", {"json": {"jql": "text ~ summer25", "fields": ["summary"],
                                                           "maxResults": 1}}),
              ("GET", "/rest/api/3/issue/MKT-2", {"params": {"expand": "changelog"}}),
              ("GET", "/rest/api/3/issue/ENG-7", {}), ("GET", "/rest/api/3/issue/MKT-2/comment", {}),
              ("POST", "/rest/api/3/issue/MKT-2/comment", {"json": {"body": {"type": "doc", "version": 1, "content": [
                  {"type": "paragraph", "content": [{"type": "text", "text": "hi"}]}]}}}),
              ("POST", "/rest/api/3/issue", {"json": {"fields": {"project": {"key": "MKT"}, "summary": "s",
                                                                 "issuetype": {"id": "10001"}}}})]
    for method, path, kw in checks:
        resp = _get(sb, path, method, **kw)
        assert resp.status_code in (200, 201), (path, resp.text)
        validate_response("jira", method, path, resp.json(), resp.status_code)
    bad = _get(sb, "/rest/api/3/issue", "POST", json={"fields": {"project": {"key": "NOPE"}}})
    assert bad.status_code == 400
    validate_response("jira", "POST", "/rest/api/3/issue", bad.json(), 400)
