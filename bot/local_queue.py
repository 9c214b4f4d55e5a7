"""The single-process queue: a bounded thread pool, with durable job records in SQLite beside the checkpoints."""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from bot.config import ConfigError
from bot.job_store import JobRecord, JobStore

if TYPE_CHECKING:
    from bot.jobs import Jobs, Request
    from bot.progress import Progress
    from bot.slack_api import SlackAPI


def open_store(path: str) -> JobStore:
    """The job records live beside the checkpoints; a store that can't be opened stops the bot at start, not at the
    first request."""
    try:
        return JobStore(path)
    except (sqlite3.Error, OSError) as exc:
        raise ConfigError(f"POSTMORTEM_CHECKPOINT_DB={path} cannot be opened ({exc}): point it at a file in a "
                          f"writable folder (default .postmortem/runs.sqlite)") from exc


class LocalQueue:
    """Jobs wait for one of `workers` threads of this process; a restart takes up what the records say is
    unfinished. A stop mid-run pauses at the next checkpoint and the next start continues it."""

    retries_interrupted = False  # a paused job waits for this process's next start

    def __init__(self, jobs: Jobs, workers: int, checkpoint_db: str):
        self.jobs = jobs
        self.store = open_store(checkpoint_db)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="postmortem-job")
        self._waiting: dict[Future, tuple[SlackAPI, Request, Progress]] = {}

    def put(self, api: SlackAPI, req: Request, progress: Progress) -> None:
        self.store.add(JobRecord(req.run_id, req.incident, req.user, req.channel, req.thread_ts, req.seed_thread))
        with self.jobs.counts:
            future = self._pool.submit(self.jobs.run, api, req, progress)
            self._waiting[future] = (api, req, progress)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future) -> None:
        with self.jobs.counts:
            self._waiting.pop(future, None)

    def set_status(self, run_id: str, status: str) -> None:
        self.store.set_status(run_id, status)

    def start(self, api: SlackAPI) -> list[JobRecord]:
        """What an earlier process accepted and did not finish: the caller submits each again."""
        return self.store.unfinished()

    def shutdown(self, grace_s: float) -> list[tuple[SlackAPI, Request, Progress]]:
        """Cancel what has not started (returned, so each thread can be told) and wait up to `grace_s` for the rest
        to reach a checkpoint."""
        with self.jobs.counts:
            waiting = list(self._waiting.items())
        # cancel() runs the done callbacks, which take the lock: so outside it.
        cancelled = [job for future, job in waiting if future.cancel()]
        wait([f for f, _ in waiting if not f.cancelled()], timeout=grace_s)
        self._pool.shutdown(wait=False)
        return cancelled
