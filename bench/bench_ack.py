"""Benchmark: how fast the bot (app.py, its own process) acknowledges signed slash commands while real jobs queue."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import emit, kill_group, row, script_budget, temp_folder, watchdog  # noqa: E402

from sandbox.server import Sandbox  # noqa: E402
from sandbox.slack.events import SlackDriver  # noqa: E402

REQUESTS, CONCURRENCY, WORKERS, IDLE = 200, 20, 2, 20
P99_LIMIT_MS = 500.0  # generous: Slack gives up after 3 s; this is a benchmark, not a test
P99_TARGET_MS = 100.0
STOP_WAIT_S = 15.0  # the bot exits within 10 s of a stop signal; then SIGTERM, then SIGKILL
INCIDENTS = ["summer25", "summer25 checkout", "promo code outage", "checkout errors"]
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(port: int) -> dict | None:
    try:
        with _NO_PROXY.open(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
            return json.loads(resp.read())
    except OSError:
        return None


def start_bot(sb: Sandbox, port: int, tmp: str, log=subprocess.DEVNULL) -> subprocess.Popen:
    """app.py exactly as deployed (HTTP mode), configured through the environment to use the sandbox."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NOTION_", "JIRA_", "OPENAI_"))}
    env |= {k: v for k, v in sb.env.items() if k != "SLACK_APP_TOKEN"} | {
        "SLACK_APP_TOKEN": "", "OPENAI_API_KEY": "", "PORT": str(port), "POSTMORTEM_WORKERS": str(WORKERS),
        "POSTMORTEM_CHECKPOINT_DB": str(Path(tmp) / "runs.sqlite"), "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "ERROR")}
    # Its own process group, so stopping it also stops anything it started.
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=tmp, env=env, stdout=subprocess.DEVNULL,
                            stderr=log, start_new_session=True)
    deadline = time.monotonic() + 60
    while health(port) is None:
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_bot(proc)
            raise SystemExit("bench_ack: app.py did not start")
        time.sleep(0.05)
    return proc


def stop_bot(bot: subprocess.Popen) -> str:
    """SIGINT (queued jobs are cancelled and their threads told; running ones finish), then SIGTERM and SIGKILL
    for the whole group if it does not exit in time. Returns how it ended; a slow shutdown never loses the figures."""
    bot.send_signal(signal.SIGINT)
    try:
        bot.wait(STOP_WAIT_S)
        return "exited"
    except subprocess.TimeoutExpired:
        kill_group(bot.pid)
        bot.returncode = bot.returncode if bot.returncode is not None else -9
        return f"killed after {STOP_WAIT_S:.0f} s"


def rows_of(f: dict) -> list[dict]:
    group = f"bot ack: {REQUESTS} signed slash commands, {CONCURRENCY} at a time"
    return [row(group, "ack p50", [f.get("ack_p50_ms")], "ms"),
            row(group, "ack p99", [f.get("ack_p99_ms")], "ms", ("<", P99_TARGET_MS)),
            row(group, "ack p50, one at a time (idle bot)", [f.get("idle_ack_p50_ms")], "ms"),
            row(group, "acknowledged with 200", [f.get("acked_200")], note=f"of {REQUESTS}")]


def measure(sb: Sandbox, port: int, figures: dict) -> None:
    drv = SlackDriver(sb, f"http://127.0.0.1:{port}/slack/events")
    drv.slash_command("stefan", "incidents", "help")  # warm-up, not measured
    # One at a time first: the ack on an idle bot, without queueing behind other requests.
    idle = [drv.slash_command("stefan", "incidents", "summer25").latency * 1000 for _ in range(IDLE)]
    figures |= {"idle_ack_p50_ms": round(statistics.median(idle), 2), "idle_ack_max_ms": round(max(idle), 2)}
    texts = [INCIDENTS[i % len(INCIDENTS)] for i in range(REQUESTS)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        acks = list(pool.map(lambda t: drv.slash_command("stefan", "incidents", t), texts))
    wall = time.perf_counter() - t0
    backlog = health(port) or {}
    ms = [a.latency * 1000 for a in acks if a.latency is not None]
    figures |= {
        "requests": REQUESTS, "concurrency": CONCURRENCY, "workers": WORKERS,
        "acked_200": sum(1 for a in acks if a.status == 200),
        "ack_p50_ms": round(statistics.median(ms), 2), "ack_p99_ms": round(pct(ms, 0.99), 2),
        "ack_max_ms": round(max(ms), 2), "requests_per_s": round(REQUESTS / wall, 1),
        "jobs_done_during_bench": backlog.get("done"), "jobs_queued_at_end": backlog.get("queued"),
    }


def main() -> int:
    port, figures = free_port(), {}
    # Whatever hangs in this process (the sandbox, a request), the figures so far are printed and the bot killed.
    watchdog(script_budget(), lambda: emit("ack", {**figures, "partial": True}, rows_of(figures)))
    with temp_folder("bench-ack-") as tmp, Sandbox() as sb:
        bot = start_bot(sb, port, tmp)
        try:
            measure(sb, port, figures)
        finally:
            figures["bot_shutdown"] = stop_bot(bot)
    print(f"{'figure':<26}value")
    for k, v in figures.items():
        print(f"{k:<26}{v}")
    emit("ack", figures, rows_of(figures))
    ok = figures.get("acked_200")
    if ok != REQUESTS:
        print(f"FAIL: {REQUESTS - (ok or 0)} requests were not acknowledged with 200", file=sys.stderr)
        return 1
    if figures["ack_p99_ms"] > P99_LIMIT_MS:
        print(f"FAIL: ack p99 {figures['ack_p99_ms']} ms > {P99_LIMIT_MS} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
