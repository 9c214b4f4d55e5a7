"""Two app.py processes on one PostgreSQL and one sandbox: a delivery to both starts one job, thirty requests spread
over both finish once each, and a SIGKILLed process's run is finished by the other from its checkpoint."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import psycopg

from sandbox.server import Sandbox
from sandbox.slack.events import SlackDriver
from tests.support import ROOT
from tests.support.bot import bot_pages, bot_parents, free_port, get, replies, wait_until

FINAL = ("Post-mortem created", "Post-mortem updated")


def health(port: int) -> dict | None:
    try:
        return json.loads(get(f"http://127.0.0.1:{port}/healthz")[1])
    except OSError:
        return None


@contextmanager
def two_bots(sb: Sandbox, pg_url: str, tmp_path, workers: int = 2):
    """Two app.py processes (HTTP mode), each with its own folder, sharing the database; stopped at the end."""
    procs = []
    try:
        for name in ("a", "b"):
            port, folder = free_port(), tmp_path / name
            folder.mkdir()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NOTION_", "JIRA_", "OPENAI_"))}
            env |= {k: v for k, v in sb.env.items() if k != "SLACK_APP_TOKEN"} | {
                "PORT": str(port), "POSTMORTEM_DATABASE_URL": pg_url, "POSTMORTEM_WORKERS": str(workers),
                "POSTMORTEM_CHECKPOINT_DB": str(folder / "runs.sqlite")}
            log = open(folder / "app.log", "w")  # noqa: SIM115 - closed with the process
            proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=folder, env=env,
                                    stdout=subprocess.DEVNULL, stderr=log)
            procs.append((proc, port, folder))
        for proc, port, folder in procs:
            wait_until(lambda: health(port) or proc.poll() is not None, what="app.py to start")  # noqa: B023
            assert proc.poll() is None, (folder / "app.log").read_text()
        yield [(proc, port, SlackDriver(sb, f"http://127.0.0.1:{port}/slack/events")) for proc, port, _ in procs]
    finally:
        for proc, _, _ in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _, _ in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def finals(drv: SlackDriver, channel: str, ts: str) -> list[str]:
    return [m["text"] for m in replies(drv, channel, ts) if m.get("bot_id") and m["text"].startswith(FINAL)]


def start_running(bots: list, text: str) -> tuple[SlackDriver, dict, int]:
    """Ask for a post-mortem and wait until one of the two processes runs it: (driver, parent message, its index)."""
    drv = bots[0][2]
    assert drv.slash_command("stefan", "incidents", text).status == 200
    parent = wait_until(lambda: bot_parents(drv, "incidents"), what="the parent")[0]
    (busy,) = wait_until(lambda: [i for i, (_, port, _) in enumerate(bots) if (health(port) or {}).get("running")],
                         what="a running job")
    return drv, parent, busy


def jobs_by_status(pg_url: str) -> dict[str, int]:
    with psycopg.connect(pg_url) as conn:
        return dict(conn.execute("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY 1").fetchall())


def test_one_delivery_sent_to_both_processes_makes_one_parent_one_page_one_reply(pg_url, tmp_path):
    with Sandbox() as sb, two_bots(sb, pg_url, tmp_path) as bots:
        pages = len(bot_pages(sb))
        (_, _, drv), urls = bots[0], [drv.bot_url for _, _, drv in bots]
        acks = drv.slash_command_to_each("stefan", "incidents", "summer25", urls)
        assert [a.status for a in acks] == [200, 200], "both instances acknowledge: Slack must not show an error"
        parent = wait_until(lambda: bot_parents(drv, "incidents"), what="the parent")[0]
        wait_until(lambda: finals(drv, "incidents", parent["ts"]), what="the result")
        time.sleep(1.5)  # long enough for a second job, had one been started, to post its parent
        assert len(bot_parents(drv, "incidents")) == 1
        assert len(finals(drv, "incidents", parent["ts"])) == 1
        assert len(bot_pages(sb)) == pages + 1


def test_thirty_requests_spread_over_both_processes_each_finish_exactly_once(pg_url, tmp_path):
    n = 30
    with Sandbox() as sb, two_bots(sb, pg_url, tmp_path) as bots:
        pages = len(bot_pages(sb))
        for i in range(n):
            _, _, drv = bots[i % 2]
            assert drv.slash_command("stefan", "incidents", f"summer25 wave {i}").status == 200
        drv = bots[0][2]
        parents = wait_until(lambda: len(bot_parents(drv, "incidents")) == n and bot_parents(drv, "incidents"),
                             what="thirty parents")
        results = wait_until(lambda: all(finals(drv, "incidents", p["ts"]) for p in parents)
                             and [finals(drv, "incidents", p["ts"]) for p in parents], timeout=240,
                             what="thirty results")
        assert [len(r) for r in results] == [1] * n, "every thread gets exactly one result"
        assert all(r[0].startswith("Post-mortem created") for r in results)
        assert len(bot_pages(sb)) == pages + n
        done = [health(port)["done"] for _, port, _ in bots]
        print(f"thirty requests: {len(parents)} parents, {sum(map(len, results))} results, "
              f"{len(bot_pages(sb)) - pages} pages, done per process {done}")
        assert sum(done) == n and all(d > 0 for d in done), f"both processes took jobs: {done}"
        assert jobs_by_status(pg_url).get("failed", 0) == 0


def test_a_sigkilled_process_run_is_finished_by_the_other_from_its_checkpoint(pg_url, tmp_path):
    with Sandbox(faults="jira:latency=2") as sb, two_bots(sb, pg_url, tmp_path) as bots:
        pages = len(bot_pages(sb))
        drv, parent, busy = start_running(bots, "summer25 takeover")
        victim, survivor = bots[busy], bots[1 - busy]  # kill it while its run waits on the slow Jira
        time.sleep(0.5)  # planning and the fast gathers are checkpointed by now
        victim[0].send_signal(signal.SIGKILL)
        killed = time.monotonic()
        victim[0].wait(5)
        took = wait_until(lambda: [m for m in replies(drv, "incidents", parent["ts"]) if "picks it up" in m["text"]],
                          timeout=60, what="the takeover")
        took_s = time.monotonic() - killed
        final = wait_until(lambda: finals(drv, "incidents", parent["ts"]), timeout=60, what="the result")
        done_s = time.monotonic() - killed
        print(f"takeover after SIGKILL: {took_s:.1f} s to the takeover message, {done_s:.1f} s to the result")
        assert len(took) == 1 and len(final) == 1 and final[0].startswith("Post-mortem created")
        assert len(bot_pages(sb)) == pages + 1
        assert health(survivor[1])["done"] == 1
        assert jobs_by_status(pg_url).get("doing", 0) == 0


def test_a_deploy_stopping_one_process_mid_run_lets_the_other_continue_at_once(pg_url, tmp_path):
    with Sandbox(faults="jira:latency=2") as sb, two_bots(sb, pg_url, tmp_path) as bots:
        pages = len(bot_pages(sb))
        drv, parent, busy = start_running(bots, "summer25 rolling deploy")
        stopping = bots[busy][0]
        stopping.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        assert stopping.wait(timeout=10) == 0, "within a platform's grace period"
        took = wait_until(lambda: [m for m in replies(drv, "incidents", parent["ts"]) if "picks it up" in m["text"]],
                          timeout=30, what="the takeover")
        print(f"takeover after SIGTERM: {time.monotonic() - stopped:.1f} s to the takeover message")
        final = wait_until(lambda: finals(drv, "incidents", parent["ts"]), timeout=60, what="the result")
        said = [m["text"] for m in replies(drv, "incidents", parent["ts"])]
        assert any("restarting" in t for t in said), "the thread is told the first process paused"
        assert len(took) == 1 and len(final) == 1 and len(bot_pages(sb)) == pages + 1


def test_a_process_that_cannot_use_the_database_exits_2_naming_it_without_the_password(tmp_path):
    with Sandbox() as sb:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NOTION_", "JIRA_", "OPENAI_"))}
        env |= {k: v for k, v in sb.env.items() if k != "SLACK_APP_TOKEN"} | {
            "PORT": str(free_port()), "POSTMORTEM_DATABASE_URL": "postgresql://bot:s3cret@127.0.0.1:1/pm",
            "POSTMORTEM_CHECKPOINT_DB": str(tmp_path / "runs.sqlite")}
        proc = subprocess.run([sys.executable, str(ROOT / "app.py")], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
    assert proc.returncode == 2
    assert "POSTMORTEM_DATABASE_URL (bot@127.0.0.1:1/pm) cannot be used" in proc.stderr
    assert "s3cret" not in proc.stderr
