"""Start-up: `postmortem sandbox` until all three services answer (target < 2 s), and `postmortem --help`."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from common import ROOT, TIMEOUT, emit, kill_group, postmortem_cmd, row, run_step

STEP_S = 60.0  # one start-up that takes longer than this is a hang: its process group is killed
HELP_TARGET_S = 0.5


def sandbox_up() -> float | str:
    t0 = time.perf_counter()
    proc = subprocess.Popen(postmortem_cmd("sandbox"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT, start_new_session=True)
    killer = threading.Timer(STEP_S, kill_group, (proc.pid, 1.0))  # a silent sandbox would block readline forever
    killer.start()
    try:
        urls = json.loads(proc.stdout.readline())["urls"]
        for url in (urls["notion"] + "/", urls["slack"] + "/", urls["jira"] + "/rest/api/2/serverInfo"):
            urllib.request.urlopen(url, timeout=5).read()
        return time.perf_counter() - t0
    except (ValueError, KeyError, OSError):
        return TIMEOUT if time.perf_counter() - t0 >= STEP_S else "failed"
    finally:
        killer.cancel()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)


def help_once() -> float | str:
    step = run_step(postmortem_cmd("--help"), timeout=STEP_S)
    return TIMEOUT if step.timed_out else step.wall_s if step.rc == 0 else "failed"


def main() -> int:
    up = [sandbox_up() for _ in range(5)]
    helps = [help_once() for _ in range(10)]
    nums = [v for v in up if isinstance(v, float)]
    figures = {"sandbox_up_median_s": round(statistics.median(nums), 3) if nums else None,
               "sandbox_up_max_s": round(max(nums), 3) if nums else None,
               "help_median_s": round(statistics.median([v for v in helps if isinstance(v, float)] or [0]), 3),
               "sandbox_up_s": up, "help_s": helps}
    rows = [row("start-up", "`postmortem sandbox` until all 3 services answer (5 starts)", up, "s", ("<", 2)),
            row("start-up", "`postmortem --help` (10 runs)", helps, "s", ("<", HELP_TARGET_S))]
    emit("startup", figures, rows)
    ok = figures["sandbox_up_median_s"] is not None and figures["sandbox_up_median_s"] < 2
    return 0 if ok and all(isinstance(v, float) for v in up + helps) else 1


if __name__ == "__main__":
    sys.exit(main())
