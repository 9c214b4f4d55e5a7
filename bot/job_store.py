"""Durable job records beside the run checkpoints, so a restart knows which threads still wait for a post-mortem."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

UNFINISHED = ("queued", "running", "interrupted")


@dataclass(frozen=True)
class JobRecord:
    run_id: str
    incident: str
    user: str
    channel: str
    thread_ts: str
    seed_thread: dict | None = None
    status: str = "queued"  # queued -> running -> done | failed; interrupted when the process stopped mid-run


class JobStore:
    """One SQLite table; every write is its own transaction, so a killed process leaves the last known status."""

    def __init__(self, path: str | Path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA busy_timeout = 30000")  # the checkpointer writes to this file too: on a loaded machine a write waits seconds
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("CREATE TABLE IF NOT EXISTS postmortem_jobs (run_id TEXT PRIMARY KEY, record TEXT NOT "
                             "NULL, status TEXT NOT NULL, updated REAL NOT NULL)")

    def add(self, job: JobRecord) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO postmortem_jobs VALUES (?, ?, ?, ?)",
                             (job.run_id, json.dumps(asdict(job)), job.status, time.time()))

    def set_status(self, run_id: str, status: str) -> None:
        with self._lock:
            self._db.execute("UPDATE postmortem_jobs SET status = ?, updated = ? WHERE run_id = ?",
                             (status, time.time(), run_id))

    def unfinished(self) -> list[JobRecord]:
        """Jobs a previous process accepted but did not finish, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT record, status FROM postmortem_jobs WHERE status IN (?, ?, ?) "
                                    "ORDER BY updated", UNFINISHED).fetchall()
        return [JobRecord(**{**json.loads(record), "status": status}) for record, status in rows]
