"""One retry policy for Slack, Notion, Jira and the publisher: Retry-After, 5xx and dropped connections, in a budget."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.error import URLError

import httpx
import requests
from jira import JIRAError
from notion_client.errors import HTTPResponseError, RequestTimeoutError
from slack_sdk.http_retry.handler import RetryHandler

NO_ANSWER = 0  # the status of a failure that never got one: connection refused, reset or dropped, timed out
Failure = tuple[int, str | None]  # (HTTP status or NO_ANSWER, the Retry-After header if any)


class Budget:
    """The time one source may spend in one run, retries included: no retry starts that would end past it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def allows(self, delay: float) -> bool:
        return delay <= self.remaining()

    def sleep(self, delay: float) -> None:
        time.sleep(max(0.0, delay))


@dataclass(frozen=True)
class Policy:
    backoff_s: float = 0.5  # first wait after a 5xx or a dropped connection; doubles each time
    max_backoff_s: float = 8.0
    server_retries: int = 3  # a service that keeps failing is reported down rather than waited for
    rate_retries: int = 12  # a service asking us to slow down says when: the budget is the real bound

    def delay(self, attempt: int, status: int, retry_after: str | None) -> float | None:
        """Seconds to wait before retry `attempt + 1`, or None when retrying cannot help."""
        if status == 429:
            return retry_after_s(retry_after) if attempt < self.rate_retries else None
        if status == NO_ANSWER or status >= 500:
            return min(self.backoff_s * 2**attempt, self.max_backoff_s) if attempt < self.server_retries else None
        return None


DEFAULT = Policy()


def retry_after_s(value: str | None) -> float:
    """Retry-After as seconds (a number or an HTTP date); 1 s when it is missing or unreadable."""
    if not value:
        return 1.0
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return 1.0


def retrying(fn: Callable[[], Any], classify: Callable[[BaseException], Failure | None], budget: Budget,
             policy: Policy = DEFAULT, recheck: Callable[[], Any] | None = None) -> Any:
    """`fn()`, tried again while `classify` calls its failure retryable and the budget allows the wait.

    The exception that ends it carries `attempts`. `recheck` is asked after waiting on a failure that was not a 429,
    when a write may have happened anyway; what it returns (if anything) is the result.
    """
    attempt = 0
    while True:
        try:
            return fn()
        except Exception as exc:
            failure = classify(exc)
            delay = policy.delay(attempt, *failure) if failure else None
            if delay is None or not budget.allows(delay):
                with contextlib.suppress(AttributeError):
                    exc.attempts = attempt + 1
                raise
            budget.sleep(delay)
            attempt += 1
            done = recheck() if recheck and failure[0] != 429 else None
            if done:
                return done


def attempts_note(exc: BaseException) -> str:
    """' after 3 attempts' for an error message, '' when the first answer was final."""
    n = getattr(exc, "attempts", 1)
    return f" after {n} attempts" if n > 1 else ""


def notion_failure(exc: BaseException) -> Failure | None:
    if isinstance(exc, HTTPResponseError):
        return exc.status, exc.headers.get("retry-after")
    if isinstance(exc, RequestTimeoutError | httpx.TransportError):
        return NO_ANSWER, None
    return None


def jira_failure(exc: BaseException) -> Failure | None:
    if isinstance(exc, JIRAError):
        if not exc.status_code:
            return None
        headers = exc.response.headers if exc.response is not None else {}
        return exc.status_code, headers.get("Retry-After")
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return NO_ANSWER, None
    return None


class SlackRetryHandler(RetryHandler):
    """slack_sdk's own retry hook, driven by the policy and bounded by the source's budget."""

    def __init__(self, budget: Budget, policy: Policy = DEFAULT):
        super().__init__(max_retry_count=max(policy.server_retries, policy.rate_retries))
        self.budget, self.policy = budget, policy

    def _delay(self, state, response, error) -> float | None:
        if response is not None and response.status_code:
            headers = {k.lower(): v[0] if isinstance(v, list) else v for k, v in (response.headers or {}).items()}
            return self.policy.delay(state.current_attempt, response.status_code, headers.get("retry-after"))
        if isinstance(error, URLError | OSError):  # reset, dropped (RemoteDisconnected), refused, timed out
            return self.policy.delay(state.current_attempt, NO_ANSWER, None)
        return None

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        delay = self._delay(state, response, error)
        return delay is not None and self.budget.allows(delay)

    def prepare_for_next_attempt(self, *, state, request, response=None, error=None) -> None:
        state.next_attempt_requested = True
        self.budget.sleep(self._delay(state, response, error) or 0.0)
        state.increment_current_attempt()
