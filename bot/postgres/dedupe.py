"""Delivery keys shared by every bot process: a Slack retry that lands on another process starts nothing."""

from __future__ import annotations

import itertools
import logging

from psycopg_pool import ConnectionPool

from bot.dedupe import Seen

log = logging.getLogger(__name__)
KEEP = "1 day"  # Slack retries within minutes; a day of keys is plenty and stays small
PRUNE_EVERY = 500  # inserts between two prunes


class SharedSeen:
    """`first_time(key)` is true for exactly one process: the one whose INSERT made the row."""

    def __init__(self, url: str):
        self.pool = ConnectionPool(url, min_size=1, max_size=2, open=True, name="postmortem-deliveries",
                                   kwargs={"autocommit": True})
        self._count = itertools.count(1)
        self._local = Seen()  # when the database does not answer, this process at least drops its own repeats

    def first_time(self, key: str) -> bool:
        try:
            with self.pool.connection(timeout=2) as conn:
                made = conn.execute("INSERT INTO postmortem_deliveries (key) VALUES (%s) ON CONFLICT DO NOTHING",
                                    (key,)).rowcount == 1
                if next(self._count) % PRUNE_EVERY == 0:
                    conn.execute(f"DELETE FROM postmortem_deliveries WHERE seen_at < now() - interval '{KEEP}'")
        except Exception:  # noqa: BLE001 - a request must not be lost because the dedupe table is out of reach
            log.exception("the shared delivery keys could not be checked; deciding in this process alone")
            return self._local.first_time(key)
        return made and self._local.first_time(key)

    def close(self) -> None:
        self.pool.close()
