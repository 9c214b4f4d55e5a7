"""Creating issues, links and finding people in the Jira sandbox, with Cloud's and Data Center's own answers."""

from __future__ import annotations

import pytest
import requests

from tests.support.openapi_check import validate_response
from tests.support.workspaces import workspace_dict

USERS = [{"name": "mike", "display_name": "Mike Baptiste", "email": "mike@acme.test"},
         {"name": "dana", "display_name": "Dana Kim", "email": "dana@acme.test"},
         {"name": "dscott", "display_name": "Dana Scott", "email": "dscott@acme.test"}]
ISSUES = [{"key": "MKT-1", "summary": "Promo code outage", "reporter": "mike", "created": "2025-08-04T09:00:00Z"},
          {"key": "MKT-7", "summary": "Old follow-up", "reporter": "mike", "created": "2025-08-01T09:00:00Z"}]


@pytest.fixture(params=["cloud", "datacenter"])
def sb(request, make_sandbox):
    return make_sandbox(workspace_dict(jira={"site": "tiny", "users": USERS, "issues": ISSUES,
                                             "projects": [{"key": "MKT", "name": "Marketing"}]}),
                        jira_deployment=request.param)


def call(sb, method: str, path: str, **kw) -> requests.Response:
    return requests.request(method, sb.env["JIRA_URL"] + path, auth=(sb.env["JIRA_EMAIL"], sb.env["JIRA_API_TOKEN"]),
                            timeout=10, **kw)


def cloud(sb) -> bool:
    return sb.info()["jira_deployment"] == "cloud"


def create(sb, **fields) -> requests.Response:
    base = {"project": {"key": "MKT"}, "issuetype": {"name": "Task"}, "summary": "Add a cache TTL alarm"}
    return call(sb, "POST", "/rest/api/2/issue", json={"fields": {**base, **fields}})


def errors(resp: requests.Response) -> dict:
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert body["errorMessages"] == []
    validate_response("jira", "POST", "/rest/api/3/issue", body, 400)
    return body["errors"]


def test_an_unknown_project_is_refused_in_each_deployment_s_words(sb):
    said = errors(create(sb, project={"key": "NOPE"}, summary=""))
    # The create screen depends on the project, so nothing else is judged yet.
    assert said == {"project": "Specify a valid project ID or key" if cloud(sb) else "project is required"}
    assert len(sb.state("jira").issues) == 2


def test_summary_and_issue_type_texts(sb):
    said = errors(create(sb, summary="  ", issuetype={"name": "Chore"}))
    assert said["summary"] == "You must specify a summary of the issue."
    assert said["issuetype"] == ("The issue type selected is invalid." if cloud(sb) else "valid issue type is required")
    said = errors(create(sb, summary="x" * 256, issuetype=None))
    assert said == {"summary": "Summary must be less than 255 characters.",
                    "issuetype": "Specify an issue type" if cloud(sb) else "issue type is required"}


def test_assignee_is_an_account_id_on_cloud_and_a_username_on_data_center(sb):
    st = sb.state("jira")
    mike = st.users["mike"].account_id
    if cloud(sb):
        assert errors(create(sb, assignee={"accountId": "nope"})) == {"assignee": "Account ID nope does not exist."}
        assert errors(create(sb, assignee={"name": "mike"})) == {"assignee": "Account ID  does not exist."}
        made = create(sb, assignee={"accountId": mike})
    else:
        assert errors(create(sb, assignee={"name": "ghost"})) == {"assignee": "User 'ghost' does not exist."}
        assert errors(create(sb, assignee={"accountId": mike})) == {
            "assignee": "expected Object containing a 'name' property"}
        made = create(sb, assignee={"name": "Mike"})  # usernames are case-insensitive on Data Center
    assert made.status_code == 201 and st.by_key[made.json()["key"]].assignee == "mike"
    shown = call(sb, "GET", f"/rest/api/2/issue/{made.json()['key']}").json()["fields"]["assignee"]
    assert (shown.get("accountId"), shown.get("name")) == ((mike, None) if cloud(sb) else (None, "mike"))


def test_created_issues_take_the_next_number_labels_and_a_due_date(sb):
    assert errors(create(sb, duedate="next sprint")) == {"duedate": "Error parsing date string: next sprint"}
    made = create(sb, labels=["postmortem", "pm-0123456789"], duedate="2025-08-20")
    assert made.status_code == 201
    body = made.json()
    assert body["key"] == "MKT-8" and body["self"].endswith(f"/rest/api/2/issue/{body['id']}")  # after MKT-7
    validate_response("jira", "POST", "/rest/api/3/issue", body, 201)
    fields = call(sb, "GET", "/rest/api/2/issue/MKT-8").json()["fields"]
    assert fields["duedate"] == "2025-08-20" and fields["labels"] == ["postmortem", "pm-0123456789"]
    found = call(sb, "GET", "/rest/api/3/search/jql" if cloud(sb) else "/rest/api/2/search",
                 params={"jql": 'labels = "pm-0123456789"'}).json()
    assert [i["key"] for i in found["issues"]] == ["MKT-8"]
    assert "Due 20 Aug 2025" in call(sb, "GET", "/browse/MKT-8").text


def test_links_show_at_both_ends_once_and_on_the_pages(sb):
    link = {"type": {"name": "Relates"}, "inwardIssue": {"key": "MKT-7"}, "outwardIssue": {"key": "MKT-1"}}
    for _ in range(2):  # a repeated request answers 201 too, and adds nothing
        made = call(sb, "POST", "/rest/api/2/issueLink", json=link)
        assert made.status_code == 201 and made.content == b""
    validate_response("jira", "POST", "/rest/api/3/issueLink", None, 201)
    seven = call(sb, "GET", "/rest/api/2/issue/MKT-7", params={"fields": "issuelinks"}).json()["fields"]["issuelinks"]
    one = call(sb, "GET", "/rest/api/2/issue/MKT-1", params={"fields": "issuelinks"}).json()["fields"]["issuelinks"]
    assert [(x["type"]["name"], x["outwardIssue"]["key"]) for x in seven] == [("Relates", "MKT-1")]
    assert [(x["type"]["inward"], x["inwardIssue"]["key"]) for x in one] == [("relates to", "MKT-7")]
    assert 'relates to <a href="/browse/MKT-7">' in call(sb, "GET", "/browse/MKT-1").text
    gone = call(sb, "POST", "/rest/api/2/issueLink", json=link | {"type": {"name": "Relates to"}})
    assert gone.status_code == 404
    assert gone.json()["errorMessages"] == ["No issue link type with name 'Relates to' found."]
    lost = call(sb, "POST", "/rest/api/2/issueLink", json=link | {"outwardIssue": {"key": "MKT-99"}})
    assert lost.status_code == 404
    assert lost.json()["errorMessages"] == ["Issue does not exist or you do not have permission to see it."]


def test_link_types_are_jira_s_defaults(sb):
    body = call(sb, "GET", "/rest/api/3/issueLinkType").json()
    validate_response("jira", "GET", "/rest/api/3/issueLinkType", body)
    relates = next(t for t in body["issueLinkTypes"] if t["name"] == "Relates")
    assert (relates["inward"], relates["outward"]) == ("relates to", "relates to")
    assert {t["name"] for t in body["issueLinkTypes"]} == {"Blocks", "Cloners", "Duplicate", "Relates"}


def test_user_search_by_query_on_cloud_and_by_username_on_data_center(sb):
    st = sb.state("jira")
    if cloud(sb):
        found = call(sb, "GET", "/rest/api/3/user/search", params={"query": "dana"}).json()
        validate_response("jira", "GET", "/rest/api/3/user/search", found)
        assert [u["accountId"] for u in found] == [st.users["dana"].account_id, st.users["dscott"].account_id]
        assert [u["displayName"] for u in call(sb, "GET", "/rest/api/3/user/search",
                                               params={"query": "bapt"}).json()] == ["Mike Baptiste"]
        refused = call(sb, "GET", "/rest/api/2/user/search", params={"username": "mike"})
        assert refused.status_code == 400
        assert refused.json()["errorMessages"] == [
            "The query parameter 'username' is not supported in GDPR strict mode."]
    else:
        found = call(sb, "GET", "/rest/api/2/user/search", params={"username": "dscott"}).json()
        assert [(u["name"], u["displayName"], "accountId" in u) for u in found] == [("dscott", "Dana Scott", False)]
        refused = call(sb, "GET", "/rest/api/2/user/search", params={"query": "mike"})
        assert refused.status_code == 400
        assert refused.json()["errorMessages"] == ["The username query parameter was not provided"]
    assert call(sb, "GET", "/rest/api/2/user/search",
                params={"query" if cloud(sb) else "username": "zed"}).json() == []
