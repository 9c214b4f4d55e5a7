"""The sandbox Slack pages' live stream: posts and edits announced over SSE, a flood reset, closed pages forgotten."""

from __future__ import annotations

import http.client
import json
import queue
import socket
import threading
import time

from sandbox.slack.ui import STREAMS
from tests.support.bot import wait_until
from tests.support.slack_pages import bot_client


# --- the live stream --------------------------------------------------------------------------------------
class _Stream:
    """An SSE client on a thread: events land in a queue as (event, data)."""

    def __init__(self, sb, channel: str):
        host, port = sb.urls["slack"].removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=30)
        self.conn.request("GET", f"/ui/stream?channel={channel}")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200 and self.resp.getheader("Content-Type") == "text/event-stream"
        self.events: queue.Queue = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        event = data = None
        try:
            for raw in self.resp:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = json.loads(line[6:])
                elif not line and event:
                    self.events.put((event, data))
                    event = data = None
        except (OSError, ValueError, AttributeError):
            pass  # the test closed the connection

    def next(self, kind: str, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event, data = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if event == kind:
                return data
        raise AssertionError(f"no {kind} event")

    def close(self):
        self.conn.sock.shutdown(socket.SHUT_RDWR)  # the reader sees EOF; the server sees the page go away
        self.reader.join(5)
        self.conn.close()


def test_the_stream_announces_posts_and_edits_and_forgets_closed_pages(tiny):
    streams = tiny.apps["slack"][STREAMS]
    stream = _Stream(tiny, "C0INCID001")
    try:
        assert stream.next("ready") == {"channel": "C0INCID001"}
        web = bot_client(tiny)
        ts = web.chat_postMessage(channel="incidents", text="Slack: … · analyzing…")["ts"]
        assert stream.next("change") == {"kind": "post", "channel": "C0INCID001", "ts": ts, "thread_ts": None,
                                         "user": None}
        web.chat_update(channel="incidents", ts=ts, text="done :white_check_mark:")
        assert stream.next("change")["kind"] == "update"
        # A flood past the queue's bound turns into one "reset", and the stream carries on.
        s = tiny.state("slack")
        tiny.call(lambda: _flood(s, 2000))
        assert stream.next("reset") == {}
        reply = web.chat_postMessage(channel="incidents", text="after the flood", thread_ts=ts)["ts"]
        while (change := stream.next("change"))["ts"] != reply:
            pass
        assert change["thread_ts"] == ts
        assert len(streams.subs) == 1
    finally:
        stream.close()
    wait_until(lambda: not streams.subs, timeout=10, what="the closed stream to be forgotten")


async def _flood(s, n: int) -> None:
    for i in range(n):
        s.changed("update", "C0INCID001", f"1.{i:06d}")
