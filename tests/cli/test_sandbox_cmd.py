"""`postmortem sandbox` as a person starts it, and fault injection as tests and the CLI set it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
import requests
from jira import JIRA
from notion_client import Client
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox.faults import Faults, FaultSpecError


@pytest.fixture
def served():
    """`postmortem sandbox` in a subprocess; yields its JSON line."""
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "sandbox", "--fault", "jira:latency=0.01"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=os.getcwd())
    try:
        line = proc.stdout.readline()
        yield json.loads(line)
    finally:
        proc.terminate()
        proc.wait(10)


def test_sandbox_command_prints_urls_tokens_and_env_the_real_clients_use(served):
    env = served["env"]
    assert set(served["urls"]) == {"slack", "notion", "jira"}
    slack = WebClient(base_url=env["SLACK_API_URL"], token=env["SLACK_BOT_TOKEN"])
    assert slack.auth_test()["user"] == "postmortem"
    notion = Client(auth=env["NOTION_TOKEN"], base_url=env["NOTION_BASE_URL"])
    page = next(p for p in notion.search(query="Post Mortems")["results"])
    assert requests.get(page["url"], timeout=5).text.count("Post Mortems") >= 1  # the page opens in a browser
    jira = JIRA(server=env["JIRA_URL"], basic_auth=(env["JIRA_EMAIL"], env["JIRA_API_TOKEN"]))
    assert jira.issue("MKT-151").fields.summary.startswith("SUMMER25")


def test_bad_workspace_exits_2_naming_the_file(tmp_path):
    bad = tmp_path / "ws.yaml"
    bad.write_text("format: 1\nname: x\nnow: 2025-08-05T12:00:00\n")
    proc = subprocess.run([sys.executable, "-m", "cli.main", "sandbox", "--workspace", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert f"{bad}: now:" in proc.stderr and "zone" in proc.stderr


def test_429_with_retry_after_for_the_next_n_requests(summer25):
    summer25.faults.set("slack", status=429, count=2, retry_after=3)
    try:
        client = WebClient(base_url=summer25.env["SLACK_API_URL"], token=summer25.env["SLACK_BOT_TOKEN"])
        for _ in range(2):
            with pytest.raises(SlackApiError) as info:
                client.auth_test()
            assert info.value.response.status_code == 429
            assert info.value.response.headers["Retry-After"] == ["3"] or info.value.response.headers[
                "Retry-After"] == "3"
            assert info.value.response["error"] == "ratelimited"
        assert client.auth_test()["ok"]  # the third request answers normally
    finally:
        summer25.faults.clear()


def test_5xx_in_each_vendors_shape_and_dropped_connections(summer25):
    try:
        summer25.faults.load("notion:status=503;jira:status=500")
        r = requests.post(summer25.urls["notion"] + "/v1/search", json={}, timeout=5)
        assert r.status_code == 503 and r.json()["code"] == "service_unavailable"
        r = requests.get(summer25.urls["jira"] + "/rest/api/2/serverInfo", timeout=5)
        assert r.status_code == 500 and r.json()["errorMessages"]
        summer25.faults.set("slack", drop=True)
        with pytest.raises(requests.ConnectionError):
            requests.post(summer25.env["SLACK_API_URL"] + "auth.test", timeout=5)
    finally:
        summer25.faults.clear()
    assert requests.post(summer25.urls["notion"] + "/v1/search", json={}, timeout=5).status_code == 401  # no token


def test_latency_and_fraction(summer25):
    try:
        summer25.faults.set("jira", latency_s=0.3)
        t0 = time.perf_counter()
        requests.get(summer25.urls["jira"] + "/rest/api/2/serverInfo", timeout=5)
        assert time.perf_counter() - t0 >= 0.3
        summer25.faults.set("jira", status=503, fraction=0.5)
        codes = [requests.get(summer25.urls["jira"] + "/rest/api/2/serverInfo", timeout=5).status_code
                 for _ in range(40)]
        assert 5 < codes.count(503) < 35 and 200 in codes
    finally:
        summer25.faults.clear()


def test_fault_spec_errors_are_clear():
    with pytest.raises(FaultSpecError, match="unknown service 'jiraa'"):
        Faults().load("jiraa:status=503")
    with pytest.raises(FaultSpecError, match="bad value for 'count'"):
        Faults().load("jira:status=503,count=many")


def test_profile_flag_serves_the_realistic_profile():
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "sandbox", "--profile", "realistic"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        assert (info["profile"], info["jira_deployment"]) == ("realistic", "cloud")
        env = info["env"]
        headers = {"Authorization": f"Bearer {env['NOTION_TOKEN']}", "Notion-Version": "2022-06-28"}
        start = time.monotonic()
        assert requests.get(env["NOTION_BASE_URL"] + "/v1/users/me", headers=headers, timeout=10).ok
        assert time.monotonic() - start >= 0.25 * 0.7  # Notion's latency, as a lower bound
    finally:
        proc.terminate()
        proc.wait(10)
