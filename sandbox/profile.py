"""Sandbox profiles and every figure they use: `fast` answers at once; `realistic` is as slow and as strict as the vendors."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sandbox.faults import FaultSpecError

PROFILE_ENV = "POSTMORTEM_SANDBOX_PROFILE"  # read wherever a Sandbox starts without an explicit profile
JIRA_ENV = "POSTMORTEM_SANDBOX_JIRA"  # cloud (default) | datacenter
PROFILES = ("fast", "realistic")
JIRA_DEPLOYMENTS = ("cloud", "datacenter")


class ProfileError(FaultSpecError):
    """An unknown profile or Jira deployment name; a bad sandbox setting, reported like a bad fault spec."""


@dataclass(frozen=True)
class Limit:
    """A token bucket: `rate` requests per second on average, and up to `burst` of them at once after a rest."""

    rate: float
    burst: float


def per_minute(n: float, burst: float | None = None) -> Limit:
    # Slack counts per minute, so a full minute's allowance may be spent at once (burst = n unless said otherwise).
    return Limit(n / 60, n if burst is None else burst)


# -- Latency per request. Our figures, not the vendors': typical round trips to each API from a cloud region
# (Slack's Web API is edge-served and quick; Notion and Jira answer from their app servers, with more work per call).
LATENCY_S = {"slack": 0.120, "notion": 0.250, "jira": 0.300}
JITTER = 0.30  # each request takes base × (1 ± 30 %), from a seeded generator so benches repeat

# -- Slack. docs.slack.dev/apis/web-api/rate-limits: limits are "per API method per app per workspace";
# Tier 1 "1+ per minute" (a small amount of burst tolerated), Tier 2 "20+", Tier 3 "50+", Tier 4 "100+";
# over a limit: HTTP 429 with a Retry-After header (seconds) and {"ok": false, "error": "ratelimited"}.
SLACK_TIERS = {1: per_minute(1, burst=3), 2: per_minute(20), 3: per_minute(50), 4: per_minute(100)}
# Each method's tier, from its reference page (docs.slack.dev/reference/methods/<method>, "Rate limits").
# "Special" methods without a published figure (auth.test, chat.getPermalink: "hundreds per minute") count as Tier 4.
# Not modelled: the 2025 limit of 1/min on conversations.history/replies for commercially distributed apps outside
# the Marketplace (internal apps like this bot keep Tier 3), and chat.postMessage's workspace-wide ceiling.
SLACK_METHOD_TIER = {
    "apps.connections.open": 1,
    "conversations.list": 2, "users.list": 2, "search.messages": 2,
    "conversations.history": 3, "conversations.replies": 3, "conversations.info": 3, "conversations.join": 3,
    "chat.update": 3,
    "conversations.members": 4, "users.info": 4, "chat.postEphemeral": 4, "auth.test": 4, "chat.getPermalink": 4,
}
SLACK_DEFAULT_TIER = 3  # a method missing above
# chat.postMessage is "Special": "generally allows posting one message per second per channel", "short bursts >1
# allowed" (the burst of 3 is ours).
SLACK_POST_MESSAGE = Limit(1.0, burst=3)

# -- Notion. developers.notion.com/reference/request-limits: "The rate limit for incoming requests per integration
# is an average of three requests per second. Some bursts beyond the average rate are allowed." Over it: HTTP 429,
# code "rate_limited", and Retry-After "an integer number of seconds". The burst size is not published: ours is 10
# (about three seconds' worth). Newer pages describe a per-connection budget per 60-second window by plan; the
# 3 requests/s average is the figure both versions share.
NOTION = Limit(3.0, burst=10)

# -- Jira Cloud. developer.atlassian.com/cloud/jira/platform/rate-limiting: API-token traffic is governed by "burst
# rate limits" (RateLimit-Reason: jira-burst-based), token buckets per tenant, per endpoint and HTTP method, answering
# 429 with Retry-After (and X-RateLimit-Reset); the points-based hourly quota applies to Forge/Connect/OAuth apps,
# not to API tokens. Atlassian does not publish the per-endpoint figures: 10 requests/s with a burst of 20, per user
# per endpoint and method, is our documented-ish choice (its old guidance was ~10 concurrent backend requests).
JIRA = Limit(10.0, burst=20)


@dataclass(frozen=True)
class Profile:
    """How a sandbox behaves beyond its data: latency per service (none: at once) and whether limits apply."""

    name: str
    latency_s: dict[str, float] = field(default_factory=dict)
    jitter: float = 0.0
    limits: bool = False

    @property
    def active(self) -> bool:
        return bool(self.latency_s) or self.limits


FAST = Profile("fast")
REALISTIC = Profile("realistic", LATENCY_S, JITTER, limits=True)


def resolve(name: str | Profile | None = None) -> Profile:
    """The named profile, or the environment's (POSTMORTEM_SANDBOX_PROFILE), or fast."""
    if isinstance(name, Profile):
        return name
    name = (name or os.environ.get(PROFILE_ENV) or "fast").strip().lower()
    if name not in PROFILES:
        raise ProfileError(f"unknown sandbox profile {name!r}; expected one of {', '.join(PROFILES)} "
                           f"(--profile or {PROFILE_ENV})")
    return REALISTIC if name == "realistic" else FAST


def jira_deployment(name: str | None = None) -> str:
    """'cloud' (the default) or 'datacenter', from the argument or POSTMORTEM_SANDBOX_JIRA."""
    name = (name or os.environ.get(JIRA_ENV) or "cloud").strip().lower().replace("-", "").replace(" ", "")
    if name not in JIRA_DEPLOYMENTS:
        raise ProfileError(f"unknown Jira deployment {name!r}; expected one of {', '.join(JIRA_DEPLOYMENTS)} "
                           f"({JIRA_ENV})")
    return name


def slack_limit(method: str) -> Limit:
    return SLACK_TIERS[SLACK_METHOD_TIER.get(method, SLACK_DEFAULT_TIER)]
