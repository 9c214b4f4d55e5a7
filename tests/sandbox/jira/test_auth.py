"""Credentials as each Jira takes them: Cloud API tokens by Basic auth only; Data Center also a personal access token
as a Bearer token (what mcp-atlassian's JIRA_PERSONAL_TOKEN sends)."""

from __future__ import annotations

import pytest
import requests

from sandbox.server import Sandbox


@pytest.fixture(scope="module")
def dc():
    with Sandbox(jira_deployment="datacenter") as sb:
        yield sb


def _myself(sb, **kw) -> requests.Response:
    return requests.get(sb.env["JIRA_URL"] + "/rest/api/2/myself", timeout=10, **kw)


def _bearer(token: str) -> dict:
    return {"headers": {"Authorization": f"Bearer {token}"}}


def test_data_center_takes_the_token_as_a_bearer_token_and_basic_auth_still(dc):
    assert _myself(dc, **_bearer(dc.env["JIRA_API_TOKEN"])).json()["emailAddress"] == dc.env["JIRA_EMAIL"]
    assert _myself(dc, auth=(dc.env["JIRA_EMAIL"], dc.env["JIRA_API_TOKEN"])).ok
    wrong = _myself(dc, **_bearer("not-the-token"))
    assert wrong.status_code == 401 and wrong.json()["errorMessages"]


def test_cloud_refuses_its_api_token_as_a_bearer_token(summer25):
    assert _myself(summer25, **_bearer(summer25.env["JIRA_API_TOKEN"])).status_code == 401
    assert _myself(summer25, auth=(summer25.env["JIRA_EMAIL"], summer25.env["JIRA_API_TOKEN"])).ok
