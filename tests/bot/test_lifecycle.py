"""app.py as deployed: SIGTERM mid-run pauses at a checkpoint and exits within 10 s; the next start finishes the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

from sandbox.server import Sandbox
from sandbox.slack.events import SlackDriver
from tests.support import ROOT
from tests.support.bot import bot_pages, bot_parents, free_port, replies, wait_until

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def healthy(port: int) -> bool:
    try:
        with _NO_PROXY.open(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return json.loads(resp.read())["ok"]
    except OSError:
        return False


def start_app(sb: Sandbox, port: int, tmp_path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NOTION_", "JIRA_", "OPENAI_"))}
    env |= {k: v for k, v in sb.env.items() if k != "SLACK_APP_TOKEN"} | {
        "PORT": str(port), "POSTMORTEM_CHECKPOINT_DB": str(tmp_path / "runs.sqlite"), "POSTMORTEM_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"app-{port}.log", "w"))  # noqa: SIM115
    wait_until(lambda: healthy(port) or proc.poll() is not None, what="app.py to start")
    assert proc.poll() is None, (tmp_path / f"app-{port}.log").read_text()
    return proc


def test_sigterm_mid_run_pauses_and_the_next_start_finishes_the_same_post_mortem(tmp_path):
    with Sandbox(faults="jira:latency=1.5") as sb:  # a slow Jira keeps the run inside its gathers for a while
        pages = len(bot_pages(sb))
        port = free_port()
        app = start_app(sb, port, tmp_path)
        drv = SlackDriver(sb, f"http://127.0.0.1:{port}/slack/events")
        try:
            assert drv.slash_command("stefan", "incidents", "summer25 deploy day").status == 200
            parent = wait_until(lambda: bot_parents(drv, "incidents"), what="the parent message")[-1]["ts"]
            progress = wait_until(lambda: [m for m in replies(drv, "incidents", parent) if "run `" in m["text"]],
                                  what="the progress line with the run id")[0]
            run_id = progress["text"].split("run `")[1].split("`")[0]
            app.send_signal(signal.SIGTERM)
            assert app.wait(timeout=10) == 0  # within a platform's grace period
        finally:
            if app.poll() is None:
                app.kill()
        said = " ".join(m["text"] for m in replies(drv, "incidents", parent))
        assert "Post-mortem " not in said and "I'm restarting in the middle of this post-mortem" in said
        assert run_id in said and len(bot_pages(sb)) == pages  # nothing half-published
        app = start_app(sb, port, tmp_path)
        try:
            final = wait_until(lambda: [m for m in replies(drv, "incidents", parent)
                                        if m["text"].startswith("Post-mortem ")], what="the finished post-mortem")
            assert any("picking this post-mortem up where it stopped" in m["text"] and run_id in m["text"]
                       for m in replies(drv, "incidents", parent))
        finally:
            app.send_signal(signal.SIGTERM)
            app.wait(timeout=10)
        assert len(final) == 1 and len(bot_pages(sb)) == pages + 1
