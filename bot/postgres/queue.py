"""The shared queue: any bot process takes any job (procrastinate on PostgreSQL); a job whose process died is taken
over by another from its last checkpoint."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import asdict, replace
from typing import TYPE_CHECKING

import procrastinate
from procrastinate.retry import RetryStrategy

from bot import replies
from bot.config import ConfigError
from bot.job_store import JobRecord
from bot.postgres.schema import DatabaseError, migrate
from bot.progress import Progress
from graph.runner import Interrupted

if TYPE_CHECKING:
    from bot.jobs import Jobs, Request
    from bot.slack_api import SlackAPI

log = logging.getLogger(__name__)
QUEUE, TASK = "postmortem", "postmortem.run"
HEARTBEAT_S = 1.0  # each worker says it is alive this often
STALLED_S = 5.0  # a worker silent this long is gone (SIGKILL, a lost machine): its running job is taken over
REAP_S = 1.0  # how often each process looks for such jobs
POLL_S = 1.0  # a safety net: new jobs normally arrive at once by LISTEN/NOTIFY
QUEUE_POOL = 4
MAX_ATTEMPTS = 20  # pauses for a restart and takeovers; each resumes from the checkpoint, so none repeats work


class SharedQueue:
    """The procrastinate app, worker and reaper of this process, on their own event loop thread."""

    retries_interrupted = True  # a job paused by a stop goes back to the queue for any process to resume

    def __init__(self, jobs: Jobs, workers: int, url: str):
        try:
            migrate(url)
        except DatabaseError as exc:
            raise ConfigError(str(exc)) from None
        self.jobs, self.workers = jobs, workers
        # Connections: the worker's fetches, heartbeats and job updates, plus one for LISTEN (counted in deploy.md).
        self.app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url, min_size=1,
                                                                               max_size=QUEUE_POOL))
        self.task = self.app.task(name=TASK, queue=QUEUE, pass_context=True,
                                  retry=RetryStrategy(max_attempts=MAX_ATTEMPTS, retry_exceptions=[Interrupted]))(
            self._job)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="postmortem-queue", daemon=True)
        self._thread.start()
        self._call(self._open())
        self.api: SlackAPI | None = None
        self._progress: dict[str, Progress] = {}  # progress lines this process posted for jobs it queued
        self._tasks: list[asyncio.Task] = []

    async def _open(self) -> None:
        await self.app.open_async()

    def _call(self, coro, timeout: float = 30.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    # -- the queue interface (bot/local_queue.py has the other) ---------------------------------------------------
    def put(self, api: SlackAPI, req: Request, progress: Progress) -> None:
        self._progress[req.run_id] = progress
        record = asdict(JobRecord(req.run_id, req.incident, req.user, req.channel, req.thread_ts, req.seed_thread))
        # One lock per incident across every process: two requests for the same page never run at once.
        self._call(self.task.configure(lock=req.key).defer_async(record=record))
        with self.jobs.counts:
            self.jobs.queued -= 1  # it waits in the database now, for whichever process is free first

    def set_status(self, run_id: str, status: str) -> None:
        pass  # the queue's own row says it (procrastinate_jobs.status)

    def start(self, api: SlackAPI) -> list[JobRecord]:
        """Start this process's worker and reaper; unfinished jobs need no list: they are in the queue."""
        self.api = api

        async def spawn() -> None:
            self._tasks = [asyncio.create_task(self._work()), asyncio.create_task(self._reap())]

        self._call(spawn())
        return []

    def shutdown(self, grace_s: float) -> list:
        """Let running jobs reach a checkpoint (they go back to the queue), then stop the worker."""
        deadline = self.loop.time() + grace_s

        async def stop() -> None:
            while self.jobs.running and self.loop.time() < deadline:
                await asyncio.sleep(0.05)
            for task in self._tasks:
                task.cancel()  # procrastinate's worker stops gracefully on cancellation, its heartbeat row removed
            await asyncio.wait_for(asyncio.gather(*self._tasks, return_exceptions=True), 10)
            await self.app.close_async()

        try:
            self._call(stop(), grace_s + 10)
        except Exception:  # noqa: BLE001 - stopping must finish whatever the database says
            log.exception("the shared queue did not stop cleanly")
        self.loop.call_soon_threadsafe(self.loop.stop)
        return []  # nothing waits in this process: queued jobs stay in the database for the others

    # -- in the loop -----------------------------------------------------------------------------------------------
    async def _work(self) -> None:
        await self.app.run_worker_async(queues=[QUEUE], concurrency=self.workers, install_signal_handlers=False,
                                        update_heartbeat_interval=HEARTBEAT_S, stalled_worker_timeout=STALLED_S,
                                        fetch_job_polling_interval=POLL_S, delete_jobs="successful")

    async def _reap(self) -> None:
        while True:
            await asyncio.sleep(REAP_S)
            try:
                for job in await self.app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=STALLED_S):
                    try:
                        await self.app.job_manager.retry_job(job)
                        log.warning("took over post-mortem job %s (%s): its process stopped answering",
                                    job.id, job.task_kwargs.get("record", {}).get("run_id"))
                    except Exception:  # noqa: BLE001 - another process took it over first
                        pass
            except Exception:  # noqa: BLE001 - the database blinked: try again next round
                log.exception("looking for stalled post-mortem jobs failed")

    # -- in a worker thread ----------------------------------------------------------------------------------------
    def _job(self, context, record: dict) -> None:
        from bot.jobs import Request

        req = Request(**{k: record[k] for k in ("incident", "user", "channel", "thread_ts", "seed_thread", "run_id")})
        api = self.api
        progress = self._progress.pop(req.run_id, None)
        if context.job.attempts:  # paused by a stop, or its process died: continue from the checkpoint
            req = replace(req, resumed=True)
            self.jobs.say(api, req, replies.takeover_reply(req.run_id))
            progress = None
        if progress is None:  # queued by another process, or taken over: a progress line of our own
            progress = Progress(api, req.channel, req.thread_ts, req.run_id)
            progress.start()
        with self.jobs.counts:
            self.jobs.queued += 1  # run() counts it down as it starts: this process's figures, as /healthz shows
        self.jobs.run(api, req, progress)
