"""HTTP requests one run makes, per service, counted where each client library sends them (every retry included)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

SERVICES = ("slack", "notion", "jira", "model")
KEY = "run_http"  # where a run's RunHttp sits in the graph config's `configurable`


class RunHttp:
    """One run's request counts and the clients it shares between nodes; safe to use from several threads."""

    def __init__(self, start: dict[str, int] | None = None):
        # A resumed run starts from what its checkpoint already counted, so the totals cover the whole run.
        self._counts = {s: int((start or {}).get(s, 0)) for s in SERVICES}
        self._shared: dict[str, Any] = {}
        self._lock = threading.Lock()

    def count(self, service: str) -> None:
        with self._lock:
            self._counts[service] = self._counts.get(service, 0) + 1

    def totals(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def shared(self, key: str, make: Callable[[], Any]) -> Any:
        """The run's one `key` object (e.g. the Jira client, whose set-up costs requests), made on first use."""
        with self._lock:
            if key in self._shared:
                return self._shared[key]
        made = make()  # outside the lock: making it may take a while (requests, retries)
        with self._lock:
            return self._shared.setdefault(key, made)

    def close(self) -> None:
        with self._lock:
            shared, self._shared = list(self._shared.values()), {}
        for obj in shared:
            close = getattr(obj, "close", None)
            if callable(close):
                close()

    # -- hooks, one per client library -------------------------------------------------------------------------
    def watch_httpx(self, client, service: str):
        """An httpx.Client (notion-client's, the model's): its request hook runs once per request sent."""
        client.event_hooks["request"].append(lambda request: self.count(service))
        return client

    def watch_notion(self, client):
        """A notion_client.Client, through the httpx client it sends with."""
        self.watch_httpx(client.client, "notion")
        return client

    def watch_requests(self, session, service: str):
        """A requests.Session (the jira library's): every adapter send, answered or not, is one request."""
        for prefix, adapter in list(session.adapters.items()):
            session.mount(prefix, _CountingAdapter(adapter, lambda: self.count(service)))
        return session

    def slack_handler(self):
        """A slack_sdk retry handler that never retries: slack_sdk asks the handlers about every attempt's outcome
        (answers, HTTP errors and dropped connections alike), so, listed first, it sees each request once."""
        from slack_sdk.http_retry.handler import RetryHandler

        run = self

        class CountingHandler(RetryHandler):
            def can_retry(self, *, state, request, response=None, error=None) -> bool:
                run.count("slack")
                return False

        return CountingHandler(max_retry_count=0)


class _CountingAdapter:
    """Wraps a requests transport adapter: counts, then sends with the original (its pool and retry settings)."""

    def __init__(self, inner, on_send: Callable[[], None]):
        self._inner, self._on_send = inner, on_send

    def send(self, request, **kw):
        self._on_send()
        return self._inner.send(request, **kw)

    def close(self) -> None:
        self._inner.close()

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def attach(configurable: dict, start: dict[str, int] | None = None) -> RunHttp:
    """Give a run's config its RunHttp (the runner does this once per run or resume)."""
    run = configurable[KEY] = RunHttp(start)
    return run


def for_config(config: dict | None) -> RunHttp:
    """The run's RunHttp; a node called outside a run (a test calling it directly) gets one of its own."""
    run = ((config or {}).get("configurable") or {}).get(KEY)
    return run if isinstance(run, RunHttp) else RunHttp()


def most(left: dict | None, right: dict | None) -> dict:
    """State reducer for running totals: nodes running side by side each report the totals they saw at their end,
    and totals only grow, so the largest per service is the latest."""
    out = dict(left or {})
    for k, v in (right or {}).items():
        out[k] = max(out.get(k, 0), v)
    return out
