"""Post-mortem jobs: a bounded worker pool, retried deliveries dropped, and a reply in the thread whatever happens."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

from bot import replies
from bot.access import AccessRefused, audience_of, readable_channels
from bot.config import Settings
from bot.dedupe import Seen
from bot.local_queue import LocalQueue
from bot.outcome_replies import outcome_reply
from bot.progress import Progress
from bot.slack_api import SlackAPI
from graph.checkpoints import close_all as close_checkpoints
from graph.configuration import Configuration
from graph.result import build_result
from graph.runner import Interrupted, new_thread_id, resume_incident, run_incident
from graph.sources.mcp.via import close_sessions as close_mcp
from graph.sources.mcp.via import warm

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    incident: str  # what to write about; may be derived from the thread for a bare mention
    user: str  # who asked: their channels bound what the report may use
    channel: str
    thread_ts: str  # the thread that receives progress and the result
    seed_thread: dict | None = None  # {"channel", "ts"} when the request came from inside a thread
    run_id: str = ""  # given at submit; shown in the thread at once, and the key a restart resumes by
    resumed: bool = False  # a job a previous process accepted and did not finish

    @property
    def key(self) -> str:
        """Requests with the same key write the same page, so they must not run at the same time."""
        seed = self.seed_thread or {}
        return " ".join(self.incident.lower().split()) or f"thread:{seed.get('channel')}:{seed.get('ts')}"


class Jobs:
    """Queue, don't refuse: every request is acknowledged at once and waits for one of `workers` threads."""

    def __init__(self, settings: Settings):
        self.settings = settings
        cfg = Configuration.from_runnable_config({"configurable": settings.graph_overrides})
        self.jira_url = cfg.jira_url
        # Slack chatter before a job (joins, parent message) runs here, never on Bolt's listener threads, so a burst
        # of requests cannot hold up the next acknowledgement.
        self._intake = ThreadPoolExecutor(max(8, 2 * settings.workers), thread_name_prefix="postmortem-intake")
        self.counts = threading.Lock()
        self.queued = self.running = self.done = self.peak = 0
        self._keys: dict[str, threading.Lock] = {}
        self.stopping = threading.Event()  # set on shutdown: running jobs stop at their next checkpoint
        if cfg.database_url:  # several processes: deliveries, the queue and the checkpoints are shared
            from bot.postgres.dedupe import SharedSeen
            from bot.postgres.queue import SharedQueue

            self.queue = SharedQueue(self, settings.workers, cfg.database_url)
            self.seen = SharedSeen(cfg.database_url)
        else:
            self.queue = LocalQueue(self, settings.workers, cfg.checkpoint_db)
            self.seen = Seen()
        # MCP servers start once, now, and stay up between requests (graph/sources/mcp/session.py keeps them).
        self.intake(self._warm_mcp, cfg)

    @staticmethod
    def _warm_mcp(cfg: Configuration) -> None:
        for problem in warm(cfg):
            log.warning("%s (requests will try to start it again; `postmortem doctor` shows why)", problem)

    def stats(self) -> dict:
        return {"workers": self.settings.workers, "queued": self.queued, "running": self.running, "done": self.done,
                "peak_running": self.peak}

    def intake(self, fn, *args) -> Future:
        """Run `fn(*args)` soon on an intake thread; what it raises is logged (it must tell the person itself)."""
        future = self._intake.submit(fn, *args)
        future.add_done_callback(lambda f: f.exception() and log.error("intake failed", exc_info=f.exception()))
        return future

    def submit(self, api: SlackAPI, req: Request) -> None:
        """Post the progress line in the thread now, run the graph when a worker is free."""
        if not req.run_id:
            req = replace(req, run_id=new_thread_id(req.incident or "thread"))
        progress = Progress(api, req.channel, req.thread_ts, req.run_id)
        with self.counts:
            busy = self.queued + self.running >= self.settings.workers
            self.queued += 1
        if busy:
            progress.step = "queued behind other post-mortems…"
        progress.start()
        self.queue.put(api, req, progress)

    def shutdown(self, grace_s: float = 8.0) -> None:
        """Stop taking work. Queued jobs stay queued (here: recorded, and started on the next start; shared: for any
        process); running ones stop at their next checkpoint (waited for up to `grace_s`, so a platform's 10 s grace
        is kept) and resume from it."""
        self.stopping.set()
        self._intake.shutdown(wait=True)
        for api, req, progress in self.queue.shutdown(grace_s):
            progress.finish_with("waiting for the restart :hourglass_flowing_sand:")
            self.say(api, req, replies.deferred_reply(req.run_id))
        close_mcp()  # the servers are this process's children: they stop with it, sessions closed in order
        if hasattr(self.seen, "close"):  # the shared database's pools, closed before the process exits
            self.seen.close()
            close_checkpoints()

    def recover(self, api: SlackAPI) -> int:
        """Start taking jobs: first those an earlier process accepted and did not finish, each thread told."""
        records = self.queue.start(api)
        for rec in records:
            req = Request(rec.incident, rec.user, rec.channel, rec.thread_ts, rec.seed_thread, rec.run_id, True)
            self.say(api, req, replies.resumed_reply(rec.run_id, rec.status))
            self.submit(api, req)
        return len(records)

    def _execute(self, req: Request, inputs: dict, progress: Progress) -> dict:
        overrides, stop = self.settings.graph_overrides, self.stopping.is_set
        if req.resumed:
            try:  # one open of the checkpoint: resume_incident says when there is nothing saved (a queued job)
                return resume_incident(req.run_id, overrides=overrides, on_progress=progress.on_node,
                                       should_stop=stop)
            except LookupError:
                pass
        return run_incident(inputs, overrides=overrides, thread_id=req.run_id, on_progress=progress.on_node,
                            should_stop=stop)[1]

    def _lock_for(self, key: str) -> threading.Lock:
        with self.counts:
            return self._keys.setdefault(key, threading.Lock())

    def run(self, api: SlackAPI, req: Request, progress: Progress) -> None:
        """One job, start to reply; whatever happens, the thread is told."""
        with self.counts:
            self.queued -= 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        run_id, started = req.run_id, False
        self.queue.set_status(run_id, "running")
        try:
            # Two people asking for the same incident at once get one page: the second run updates it.
            with self._lock_for(req.key):
                audience = audience_of(api, req.channel)
                allowed = readable_channels(api, req.user, audience)
                inputs = {"incident": req.incident, "offline": self.settings.offline, "seed_thread": req.seed_thread,
                          "requester": req.user, "allowed_channels": allowed, "audience": audience.as_input()}
                started = True
                state = self._execute(req, inputs, progress)
            self._reply(api, req, progress, run_id, state)
            self.queue.set_status(run_id, "done")
        except Interrupted:
            self.queue.set_status(run_id, "interrupted")
            progress.finish_with("paused for a restart :double_vertical_bar:")
            self.say(api, req, replies.paused_reply(run_id))
            if self.queue.retries_interrupted:
                raise  # the shared queue gives the job to another process, which resumes it from the checkpoint
        except AccessRefused as exc:
            self.queue.set_status(run_id, "failed")
            progress.finish(False)
            self.say(api, req, f":no_entry: {exc}")
        except Exception as exc:  # noqa: BLE001 - never fail silently: whatever broke is told in the thread
            log.exception("post-mortem job for %r failed", req.incident)
            self.queue.set_status(run_id, "failed")
            progress.finish(False)
            error = f"{type(exc).__name__}: {exc}"
            self.say(api, req, replies.crashed_reply(req.incident or "this thread", error, run_id if started else None))
        finally:
            with self.counts:
                self.running -= 1
                self.done += 1

    def _reply(self, api: SlackAPI, req: Request, progress: Progress, run_id: str, state: dict) -> None:
        incident = req.incident or "this thread"
        result = build_result(incident, state)
        if result["status"] in ("kept", "no_evidence"):  # nothing published, on purpose: why, and what would help
            step, text = outcome_reply(result)
            progress.finish_with(step)
            self.say(api, req, text)
            return
        if result["status"] != "failed":
            progress.finish(True)
            text, blocks = replies.result_reply(result, run_id, tickets=bool(self.jira_url))
            api.post_message(req.channel, text, thread_ts=req.thread_ts, blocks=blocks)
            return
        progress.finish(False)
        markdown = state.get("markdown") or ""
        hint = replies.setup_hint(result.get("error"))
        if hint:  # the setup is the requester's to fix, not the channel's to read; failing to say so loses nothing
            try:
                api.post_ephemeral(req.channel, req.user, hint, thread_ts=req.thread_ts)
            except Exception:  # noqa: BLE001
                log.exception("could not tell %s privately how to set up publishing", req.user)
        self.say(api, req, replies.publish_failed_reply(incident, result.get("error"), run_id, bool(markdown)))
        for chunk in replies.markdown_snippets(markdown):
            api.post_message(req.channel, chunk, thread_ts=req.thread_ts)

    @staticmethod
    def say(api: SlackAPI, req: Request, text: str) -> None:
        try:
            api.post_message(req.channel, text, thread_ts=req.thread_ts)
        except Exception:  # noqa: BLE001 - Slack itself is failing; the log is all that is left
            log.exception("could not tell the thread %s/%s: %s", req.channel, req.thread_ts, text)
