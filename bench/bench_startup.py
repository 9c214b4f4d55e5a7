"""`postmortem sandbox` start-up: from launching the command to its JSON line and a page served (target < 2 s)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTMORTEM = [sys.executable, "-m", "cli.main", "sandbox"]


def once() -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(POSTMORTEM, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        urls = json.loads(proc.stdout.readline())["urls"]
        for url in (urls["notion"] + "/", urls["slack"] + "/", urls["jira"] + "/rest/api/2/serverInfo"):
            urllib.request.urlopen(url, timeout=5).read()
        return time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    runs = [once() for _ in range(5)]
    figures = {"bench": "startup", "sandbox_up_median_s": round(statistics.median(runs), 3),
               "sandbox_up_max_s": round(max(runs), 3)}
    print(f"postmortem sandbox up (JSON line + all three services answering): median {figures['sandbox_up_median_s']}"
          f" s, max {figures['sandbox_up_max_s']} s over 5 starts")
    print(json.dumps(figures))
    return 0 if figures["sandbox_up_median_s"] < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
