"""The Jira the sandbox presents as: Cloud (410 Gone on the retired search) or, on request, Data Center."""

from __future__ import annotations

import pytest
import requests
from jira import JIRA

from sandbox import profile
from sandbox.profile import ProfileError
from sandbox.server import Sandbox

GONE = ("The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration "
        "guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046")


def _call(sb, method: str, path: str, **kw) -> requests.Response:
    return requests.request(method, sb.env["JIRA_URL"] + path, auth=(sb.env["JIRA_EMAIL"], sb.env["JIRA_API_TOKEN"]),
                            timeout=10, **kw)


@pytest.mark.parametrize("method, path", [("GET", "/rest/api/2/search"), ("POST", "/rest/api/2/search"),
                                          ("GET", "/rest/api/3/search"), ("GET", "/rest/api/latest/search")])
def test_cloud_answers_410_gone_on_the_retired_search(summer25, method, path):
    resp = _call(summer25, method, path, **({"json": {"jql": ""}} if method == "POST" else {"params": {"jql": ""}}))
    assert resp.status_code == 410 and resp.json() == {"errorMessages": [GONE], "errors": {}}
    assert _call(summer25, "GET", "/rest/api/3/search/jql", params={"jql": "key = MKT-151"}).ok


def test_data_center_serves_v2_search_to_the_client_and_says_so(monkeypatch):
    monkeypatch.setenv(profile.JIRA_ENV, "datacenter")
    with Sandbox() as sb:
        info = _call(sb, "GET", "/rest/api/2/serverInfo").json()
        assert info["deploymentType"] == "DataCenter" and info["versionNumbers"][0] < 1000
        jira = JIRA(server=sb.env["JIRA_URL"], basic_auth=(sb.env["JIRA_EMAIL"], sb.env["JIRA_API_TOKEN"]))
        assert not jira._is_cloud  # the library takes its Data Center paths: /rest/api/2/search with startAt
        found = jira.search_issues('project = MKT ORDER BY key ASC', maxResults=2)
        assert found.total > 2 and len(found) == 2 and found[0].key.startswith("MKT-")
        assert sb.info()["jira_deployment"] == "datacenter"


def test_an_unknown_deployment_is_refused(monkeypatch):
    monkeypatch.setenv(profile.JIRA_ENV, "server2003")
    with pytest.raises(ProfileError, match="unknown Jira deployment 'server2003'"):
        Sandbox()
