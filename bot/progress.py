"""One thread message, edited in place as graph nodes finish: "Slack: 7 messages · Notion: 2 pages · analyzing…"."""

from __future__ import annotations

import logging
import threading

from slack_sdk.errors import SlackApiError

from bot.slack_api import SlackAPI
from graph.progress import source_line

log = logging.getLogger(__name__)

# What the run does next once a node has finished.
NEXT_STEP = {"plan": "gathering…", "follow_references": "analyzing…", "analyze": "publishing to Notion…"}
SOURCES = ("slack", "notion", "jira")


class Progress:
    """Owns the progress message; Slack failures here never stop the run, they only leave the line stale."""

    def __init__(self, api: SlackAPI, channel: str, thread_ts: str, run_id: str = ""):
        self.api, self.channel, self.thread_ts, self.run_id = api, channel, thread_ts, run_id
        self.sources: dict[str, dict | None] = dict.fromkeys(SOURCES)
        self.step = "planning…"
        self.ts: str | None = None
        self._lock = threading.Lock()  # gathers finish concurrently

    def line(self) -> str:
        # The run id is there from the first moment: whatever happens next, `postmortem resume` can find the run.
        run = [f"run `{self.run_id}`"] if self.run_id else []
        return " · ".join([*(source_line(n, self.sources[n]) for n in SOURCES), self.step, *run])

    def start(self) -> None:
        try:
            self.ts = self.api.post_message(self.channel, self.line(), thread_ts=self.thread_ts)["ts"]
        except (SlackApiError, OSError) as exc:
            log.warning("could not post the progress message: %s", exc)

    def on_node(self, node: str, update: dict) -> None:
        """The graph's on_progress callback."""
        with self._lock:
            name = node.removeprefix("gather_")
            if name in self.sources:
                self.sources[name] = update.get(name) or {"status": "skipped", "items": []}
                if all(self.sources.values()):
                    self.step = "following references…"
            elif node in NEXT_STEP:
                self.step = NEXT_STEP[node]
            self._show()

    def finish(self, ok: bool) -> None:
        with self._lock:
            self.step = "done :white_check_mark:" if ok else "failed :x:"
            self._show()

    def finish_with(self, step: str) -> None:
        """End on a step of its own (a pause or a deliberate non-publication is neither done nor failed)."""
        with self._lock:  # on_node writes the step under this lock too
            self.step = step
            self._show()

    def _show(self) -> None:
        if not self.ts:
            return
        try:
            self.api.update_message(self.channel, self.ts, self.line())
        except (SlackApiError, OSError) as exc:
            log.warning("could not update the progress message: %s", exc)
