"""Delivery ids already handled: Slack retries unacknowledged events, and a retry must not start a second job."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class Seen:
    """Delivery ids already handled. Slack retries unacknowledged events; a retry must not start a second job."""

    def __init__(self, ttl_s: float = 3600, size: int = 20000):
        self.ttl_s, self.size = ttl_s, size
        self._at: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._at and (len(self._at) > self.size or next(iter(self._at.values())) < now - self.ttl_s):
                self._at.popitem(last=False)
            if key in self._at:
                return False
            self._at[key] = now
            return True
