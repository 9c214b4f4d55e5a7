"""Notion clients that keep within Notion's rate limit: 3 requests in flight, started at its average rate."""

from __future__ import annotations

import threading
import time

import httpx
from notion_client import Client

IN_FLIGHT = 3  # requests at once; ~250 ms each makes this about what 3 requests/s allows
BURST = 3.0  # requests that may start at once after a rest; Notion allows "some bursts" without saying how many


class Gate:
    """At most `in_flight` requests at once, starting at `rate` a second on average (a token bucket; 0 = unpaced)."""

    def __init__(self, in_flight: int = IN_FLIGHT, rate: float = 0.0, burst: float = BURST):
        self.slots = threading.BoundedSemaphore(in_flight)
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, time.monotonic()
        self.lock = threading.Lock()

    def _wait(self) -> float:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return 0.0
            return (1 - self.tokens) / self.rate

    def __enter__(self) -> Gate:
        self.slots.acquire()
        while self.rate > 0 and (delay := self._wait()):
            time.sleep(delay)
        return self

    def __exit__(self, *exc) -> None:
        self.slots.release()


class GatedTransport(httpx.BaseTransport):
    """Every request the client sends, retries included, passes the gate."""

    def __init__(self, gate: Gate, inner: httpx.BaseTransport | None = None):
        self.gate, self.inner = gate, inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self.gate:
            return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


_GATES: dict[tuple, Gate] = {}
_LOCK = threading.Lock()


def gate_for(base_url: str, token: str, rate: float) -> Gate:
    """One gate per integration in this process: Notion counts an integration's requests, whoever sends them."""
    with _LOCK:
        return _GATES.setdefault((base_url, token, rate), Gate(rate=rate))


def gated_client(token: str, base_url: str, timeout_s: float, rate: float = 0.0) -> Client:
    """A notion-client Client whose own retries are off (callers retry within their budget) and whose requests
    pass the integration's gate."""
    http = httpx.Client(transport=GatedTransport(gate_for(base_url, token, rate)))
    return Client(client=http, auth=token, base_url=base_url, timeout_ms=int(timeout_s * 1000), retry=False)
