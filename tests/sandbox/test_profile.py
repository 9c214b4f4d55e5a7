"""The realistic profile through the real clients: each vendor's 429 past its limit, none within it, and latency."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from jira import JIRA, JIRAError
from notion_client import Client
from notion_client.errors import APIResponseError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from sandbox import profile as figures
from sandbox.profile import Limit, Profile, ProfileError
from sandbox.server import Sandbox
from sandbox.throttle import Bucket, Traffic

# The limits alone, on a clock that never moves: exactly `burst` requests pass, whatever the machine's speed.
LIMITS_ONLY = Profile("limits-only", limits=True)


@pytest.fixture(scope="module")
def limited():
    with Sandbox(profile=LIMITS_ONLY) as sb:
        yield sb


@pytest.fixture
def frozen(limited):
    """The shared limited sandbox with fresh buckets on a frozen clock, and its counts before the test."""
    limited.traffic.reset(clock=lambda: 0.0)
    return limited, limited.stats()


def _parallel(n: int, call):
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda _: call(), range(n)))


def test_the_bucket_refills_at_its_rate_up_to_its_burst():
    now = [0.0]
    bucket = Bucket(Limit(rate=2.0, burst=3), clock=lambda: now[0])
    assert [bucket.take() for _ in range(3)] == [0, 0, 0]
    assert bucket.take() == pytest.approx(0.5)  # one token back in half a second at 2/s
    now[0] = 0.5
    assert bucket.take() == 0 and bucket.take() == pytest.approx(0.5)
    now[0] = 100.0
    assert [bucket.take() for _ in range(4)][-1] > 0  # a long rest refills to the burst, not beyond


def test_jitter_is_repeatable_per_seed_and_stays_within_its_band():
    a, b = Traffic(figures.REALISTIC, seed=3), Traffic(figures.REALISTIC, seed=3)
    seq = [a.latency("notion") for _ in range(50)]
    assert seq == [b.latency("notion") for _ in range(50)]
    assert all(0.25 * 0.7 <= s <= 0.25 * 1.3 for s in seq) and len(set(seq)) > 40
    assert Traffic(figures.FAST).latency("notion") == 0


def test_the_environment_chooses_the_profile_wherever_a_sandbox_starts(monkeypatch):
    monkeypatch.delenv(figures.PROFILE_ENV, raising=False)
    assert Sandbox().profile.name == "fast"
    monkeypatch.setenv(figures.PROFILE_ENV, "Realistic")
    assert Sandbox().profile is figures.REALISTIC and Sandbox(profile="fast").profile is figures.FAST
    monkeypatch.setenv(figures.PROFILE_ENV, "slow")
    with pytest.raises(ProfileError, match="unknown sandbox profile 'slow'"):
        Sandbox()


def test_slack_answers_429_ratelimited_with_retry_after_past_a_methods_tier(frozen):
    sb, before = frozen
    client = WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_BOT_TOKEN"])

    def users_list():
        try:
            return client.users_list()["ok"]
        except SlackApiError as err:
            return err.response

    answers = _parallel(21, users_list)  # Tier 2: 20 a minute
    refused = [a for a in answers if a is not True]
    assert len(refused) == 1
    assert refused[0].status_code == 429 and refused[0].data == {"ok": False, "error": "ratelimited"}
    assert refused[0].headers["Retry-After"] == "3"  # a Tier 2 token comes back every 3 s
    assert client.users_info(user=client.auth_test()["user_id"])["ok"]  # other methods have their own limits
    stats = sb.stats()["slack"]
    assert stats["rate_limited"] - before["slack"]["rate_limited"] == 1 and stats["limited_by"]["users.list"] >= 1


def test_slack_post_message_is_limited_per_channel(frozen):
    sb, _ = frozen
    client = WebClient(base_url=sb.env["SLACK_API_URL"], token=sb.env["SLACK_BOT_TOKEN"])
    channels = {c["name"]: c["id"] for c in client.conversations_list()["channels"] if c["is_member"]}
    first, second = channels.pop("marketing-ops"), next(iter(channels.values()))
    for i in range(3):  # a short burst is allowed
        client.chat_postMessage(channel=first, text=f"burst {i}")
    with pytest.raises(SlackApiError) as info:
        client.chat_postMessage(channel=first, text="one too many")
    assert info.value.response.status_code == 429 and info.value.response.headers["Retry-After"] == "1"
    assert client.chat_postMessage(channel=second, text="another channel")["ok"]


def test_notion_answers_429_rate_limited_in_its_error_shape_past_its_burst(frozen):
    sb, before = frozen
    env = sb.env
    statuses = _parallel(10, lambda: requests.get(env["NOTION_BASE_URL"] + "/v1/users/me", timeout=10, headers={
        "Authorization": f"Bearer {env['NOTION_TOKEN']}", "Notion-Version": "2022-06-28"}).status_code)
    assert statuses == [200] * 10  # within the burst: no 429
    notion = Client(auth=env["NOTION_TOKEN"], base_url=env["NOTION_BASE_URL"], retry=False)
    with pytest.raises(APIResponseError) as info:
        notion.users.me()
    assert info.value.status == 429 and info.value.code == "rate_limited"
    assert info.value.headers["retry-after"] == "1"  # 3 a second: a token is back within the second
    body = json.loads(info.value.body)
    assert (body["object"], body["status"], body["code"]) == ("error", 429, "rate_limited")
    assert sb.stats()["notion"]["rate_limited"] - before["notion"]["rate_limited"] == 1


def test_jira_answers_429_with_retry_after_per_endpoint_past_its_burst(frozen):
    sb, _ = frozen
    env = sb.env
    jira = JIRA(server=env["JIRA_URL"], basic_auth=(env["JIRA_EMAIL"], env["JIRA_API_TOKEN"]), max_retries=0)
    key = "MKT-151"
    statuses = _parallel(19, lambda: jira.issue(key).key)  # the client's own start-up calls spent none of these
    assert statuses == [key] * 19
    jira.issue(key)  # the 20th: the burst's last token
    with pytest.raises(JIRAError) as info:
        jira.issue(key)
    assert info.value.status_code == 429 and info.value.response.headers["Retry-After"] == "1"
    assert info.value.response.headers["RateLimit-Reason"] == "jira-burst-based"
    assert jira.search_issues("key = MKT-151")[0].key == key  # another endpoint, another bucket


def test_a_burst_of_notion_calls_takes_at_least_its_latency():
    with Sandbox(profile="realistic") as sb:
        env = sb.env
        headers = {"Authorization": f"Bearer {env['NOTION_TOKEN']}", "Notion-Version": "2022-06-28"}
        start = time.monotonic()
        for _ in range(10):
            assert requests.get(env["NOTION_BASE_URL"] + "/v1/users/me", headers=headers, timeout=10).ok
        elapsed = time.monotonic() - start
        assert elapsed >= 10 * 0.25 * (1 - figures.JITTER)  # a lower bound only: latency is the feature
        assert sb.stats()["notion"] == {"requests": 10, "rate_limited": 0, "limited_by": {}}
        assert requests.get(sb.urls["slack"] + "/", timeout=10).status_code < 500  # pages are not API: not counted
        assert sb.stats()["slack"]["requests"] == 0


def test_injected_429s_are_counted_too(summer25):
    before = summer25.stats()["jira"]
    summer25.faults.set("jira", status=429, count=1, retry_after=1)
    try:
        env = summer25.env
        resp = requests.get(env["JIRA_URL"] + "/rest/api/3/myself", timeout=10,
                            auth=(env["JIRA_EMAIL"], env["JIRA_API_TOKEN"]))
        assert resp.status_code == 429
    finally:
        summer25.faults.clear("jira")
    after = summer25.stats()["jira"]
    assert (after["requests"] - before["requests"], after["rate_limited"] - before["rate_limited"]) == (1, 1)
