"""A profile at work: latency per API request, token-bucket rate limits answered in each vendor's 429, and counts."""

from __future__ import annotations

import asyncio
import math
import random
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from aiohttp import web

from sandbox import profile as figures
from sandbox.faults import SERVICES
from sandbox.profile import Limit, Profile

API_PREFIX = {"slack": "/api/", "notion": "/v1/", "jira": "/rest/"}  # pages, static files and sockets are not API


class Bucket:
    """Tokens refill at `limit.rate` per second up to `limit.burst`; a request takes one or is told how long to wait."""

    def __init__(self, limit: Limit, clock=time.monotonic):
        self.limit, self.clock = limit, clock
        self.tokens, self.at = float(limit.burst), clock()

    def take(self) -> float:
        """0 when the request may go; else the seconds until a token is back (a refused request takes none)."""
        now = self.clock()
        self.tokens = min(self.limit.burst, self.tokens + (now - self.at) * self.limit.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.limit.rate


def _retry_after(wait: float) -> int:
    return max(1, math.ceil(wait))  # all three send whole seconds; 0 would invite an immediate retry


def too_many(service: str, retry_after: int, now: datetime) -> web.Response:
    """A 429 as each vendor sends it, so clients take their real rate-limit paths."""
    headers = {"Retry-After": str(retry_after)}
    if service == "slack":
        return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
    if service == "notion":
        return web.json_response({"object": "error", "status": 429, "code": "rate_limited",
                                  "message": "You have been rate limited. Please try again in a few minutes.",
                                  "request_id": str(uuid.uuid4())}, status=429, headers=headers)
    reset = (now + timedelta(seconds=retry_after)).strftime("%Y-%m-%dT%H:%MZ")
    headers.update({"X-RateLimit-Reset": reset, "RateLimit-Reason": "jira-burst-based"})
    return web.json_response({"errorMessages": ["Rate limit exceeded."], "errors": {}}, status=429, headers=headers)


async def _slack_channel(request: web.Request) -> str:
    """The channel a chat.postMessage names (query, form or JSON), read without spoiling the handler's read."""
    channel = request.query.get("channel")
    if channel or request.method != "POST" or not request.body_exists:
        return str(channel or "")
    try:
        body = await request.json() if request.content_type == "application/json" else await request.post()
        return str(body.get("channel") or "") if hasattr(body, "get") else ""
    except ValueError:
        return ""  # the handler answers the malformed body itself


class Traffic:
    """One sandbox's latency, buckets and counts; `stats()` tells tests and benches what each service saw."""

    def __init__(self, profile: Profile, seed: int = 7, clock=time.monotonic):
        self.profile, self.clock = profile, clock
        self._rng = {s: random.Random(f"{seed}:{s}") for s in SERVICES}  # per service: repeatable per run
        self._buckets: dict[tuple, Bucket] = {}
        self._counts = {s: Counter() for s in SERVICES}
        self._limited = {s: Counter() for s in SERVICES}

    def reset(self, clock=None) -> None:
        """Full buckets again, optionally on another clock (tests freeze it so exactly `burst` requests pass)."""
        self.clock = clock or self.clock
        self._buckets.clear()

    def stats(self) -> dict[str, dict]:
        """Per service: API requests, 429s answered (the profile's and injected faults'), and the profile's by key."""
        return {s: {"requests": self._counts[s]["requests"], "rate_limited": self._counts[s]["429"],
                    "limited_by": dict(self._limited[s])} for s in SERVICES}

    def latency(self, service: str) -> float:
        base = self.profile.latency_s.get(service, 0.0)
        return base * (1 + self._rng[service].uniform(-self.profile.jitter, self.profile.jitter)) if base else 0.0

    async def _bucket(self, service: str, request: web.Request) -> tuple[str, Limit, tuple]:
        """(label, limit, key) of the bucket a request draws from, as the vendor scopes its limits."""
        if service == "slack":
            method = request.path[len(API_PREFIX["slack"]):]
            if method == "chat.postMessage":  # per channel, not per method
                channel = await _slack_channel(request)
                return method, figures.SLACK_POST_MESSAGE, (method, channel)
            return method, figures.slack_limit(method), (method,)
        who = request.headers.get("Authorization", "")
        if service == "notion":
            return "integration", figures.NOTION, (who,)  # per integration token
        route = request.match_info.route.resource
        endpoint = route.canonical if route is not None else request.path
        return f"{request.method} {endpoint}", figures.JIRA, (who, request.method, endpoint)

    def retry_after(self, label_key: tuple, limit: Limit) -> int | None:
        bucket = self._buckets.get(label_key)
        if bucket is None:
            bucket = self._buckets[label_key] = Bucket(limit, self.clock)
        wait = bucket.take()
        return _retry_after(wait) if wait else None

    def counter(self, service: str):
        """Outermost middleware: counts API requests and every 429 answered, whoever decided it."""
        prefix = API_PREFIX[service]

        @web.middleware
        async def count(request: web.Request, handler):
            if not request.path.startswith(prefix):
                return await handler(request)
            self._counts[service]["requests"] += 1
            try:
                response = await handler(request)
            except web.HTTPException as exc:
                if exc.status == 429:
                    self._counts[service]["429"] += 1
                raise
            if response.status == 429:
                self._counts[service]["429"] += 1
            return response

        return count

    def middleware(self, service: str):
        """The profile itself: every API request waits its latency, then draws from its bucket or gets a 429."""
        prefix = API_PREFIX[service]

        @web.middleware
        async def shape(request: web.Request, handler):
            if not self.profile.active or not request.path.startswith(prefix):
                return await handler(request)
            delay = self.latency(service)
            if delay:
                await asyncio.sleep(delay)
            if self.profile.limits:
                label, limit, key = await self._bucket(service, request)
                wait = self.retry_after((service, *key), limit)
                if wait is not None:
                    self._limited[service][label] += 1
                    return too_many(service, wait, datetime.now(UTC))
            return await handler(request)

        return shape


def describe(stats: dict[str, dict]) -> str:
    """'slack 31 requests (0 rate-limited) · notion …', one line for a run's stderr."""
    return " · ".join(f"{s} {v['requests']} requests ({v['rate_limited']} rate-limited)" for s, v in stats.items())
