"""Post-mortem jobs: a bounded worker pool, retried deliveries dropped, and a reply in the thread whatever happens."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from bot import replies
from bot.access import readable_channels
from bot.config import Settings
from bot.progress import Progress
from bot.slack_api import SlackAPI
from graph.result import build_result
from graph.runner import new_thread_id, run_incident

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    incident: str  # what to write about; may be derived from the thread for a bare mention
    user: str  # who asked: their channels bound what the report may use
    channel: str
    thread_ts: str  # the thread that receives progress and the result
    seed_thread: dict | None = None  # {"channel", "ts"} when the request came from inside a thread

    @property
    def key(self) -> str:
        """Requests with the same key write the same page, so they must not run at the same time."""
        seed = self.seed_thread or {}
        return " ".join(self.incident.lower().split()) or f"thread:{seed.get('channel')}:{seed.get('ts')}"


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


class Jobs:
    """Queue, don't refuse: every request is acknowledged at once and waits for one of `workers` threads."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.seen = Seen()
        self._pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="postmortem-job")
        # Slack chatter before a job (joins, parent message) runs here, never on Bolt's listener threads, so a burst
        # of requests cannot hold up the next acknowledgement.
        self._intake = ThreadPoolExecutor(max(8, 2 * settings.workers), thread_name_prefix="postmortem-intake")
        self._waiting: dict[Future, tuple[SlackAPI, Request, Progress]] = {}
        self._count = threading.Lock()
        self.queued = self.running = self.done = self.peak = 0
        self._keys: dict[str, threading.Lock] = {}

    def stats(self) -> dict:
        return {"workers": self.settings.workers, "queued": self.queued, "running": self.running, "done": self.done,
                "peak_running": self.peak}

    def intake(self, fn, *args) -> Future:
        """Run `fn(*args)` soon on an intake thread; what it raises is logged (it must tell the person itself)."""
        future = self._intake.submit(fn, *args)
        future.add_done_callback(lambda f: f.exception() and log.error("intake failed", exc_info=f.exception()))
        return future

    def submit(self, api: SlackAPI, req: Request) -> Future:
        """Post the progress line in the thread now, run the graph when a worker is free."""
        progress = Progress(api, req.channel, req.thread_ts)
        with self._count:
            busy = self.queued + self.running >= self.settings.workers
            self.queued += 1
        if busy:
            progress.step = "queued behind other post-mortems…"
        progress.start()
        with self._count:
            future = self._pool.submit(self._run, api, req, progress)
            self._waiting[future] = (api, req, progress)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future) -> None:
        with self._count:
            self._waiting.pop(future, None)

    def shutdown(self) -> None:
        """Finish running jobs; queued ones are cancelled and their threads told to ask again."""
        self._intake.shutdown(wait=True)
        with self._count:
            waiting = list(self._waiting.items())
        # cancel() runs the done callbacks, which take the lock: so outside it.
        for _, (api, req, progress) in [(f, job) for f, job in waiting if f.cancel()]:
            progress.finish(False)
            self._say(api, req, ":arrows_counterclockwise: I was restarted before I could start this post-mortem, "
                                "so nothing was written. Please ask again.")
        self._pool.shutdown(wait=True)

    def _lock_for(self, key: str) -> threading.Lock:
        with self._count:
            return self._keys.setdefault(key, threading.Lock())

    def _run(self, api: SlackAPI, req: Request, progress: Progress) -> None:
        with self._count:
            self.queued -= 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        run_id, started = new_thread_id(req.incident or "thread"), False
        try:
            # Two people asking for the same incident at once get one page: the second run updates it.
            with self._lock_for(req.key):
                allowed = readable_channels(api, req.user)
                inputs = {"incident": req.incident, "offline": self.settings.offline, "seed_thread": req.seed_thread,
                          "allowed_channels": allowed}
                started = True
                run_id, state = run_incident(inputs, overrides=self.settings.graph_overrides, thread_id=run_id,
                                             on_progress=progress.on_node)
            self._reply(api, req, progress, run_id, state)
        except Exception as exc:  # noqa: BLE001 - never fail silently: whatever broke is told in the thread
            log.exception("post-mortem job for %r failed", req.incident)
            progress.finish(False)
            error = f"{type(exc).__name__}: {exc}"
            self._say(api, req, replies.crashed_reply(req.incident or "this thread", error, run_id if started else None))
        finally:
            with self._count:
                self.running -= 1
                self.done += 1

    def _reply(self, api: SlackAPI, req: Request, progress: Progress, run_id: str, state: dict) -> None:
        incident = req.incident or "this thread"
        result = build_result(incident, state)
        if result["status"] != "failed":
            progress.finish(True)
            text, blocks = replies.result_reply(result, run_id)
            api.post_message(req.channel, text, thread_ts=req.thread_ts, blocks=blocks)
            return
        progress.finish(False)
        markdown = state.get("markdown") or ""
        self._say(api, req, replies.publish_failed_reply(incident, result.get("error"), run_id, bool(markdown)))
        for chunk in replies.markdown_snippets(markdown):
            api.post_message(req.channel, chunk, thread_ts=req.thread_ts)

    @staticmethod
    def _say(api: SlackAPI, req: Request, text: str) -> None:
        try:
            api.post_message(req.channel, text, thread_ts=req.thread_ts)
        except Exception:  # noqa: BLE001 - Slack itself is failing; the log is all that is left
            log.exception("could not tell the thread %s/%s: %s", req.channel, req.thread_ts, text)
