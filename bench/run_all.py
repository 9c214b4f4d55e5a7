"""Runs every bench/bench_*.py script in turn (each killed after a timeout), shows its output, then ONE table."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import SCRIPT_TIMEOUT_S, TIMEOUT, kill_group, row, table  # noqa: E402


def run_script(script: Path, timeout: float) -> tuple[int | None, list[str], float]:
    """(exit status or None on timeout, stdout lines, seconds). Output is echoed as it comes; on timeout the script's
    whole process group (its sandboxes, bots and runs) is killed: SIGTERM, then SIGKILL."""
    env = {**os.environ, "BENCH_SCRIPT_TIMEOUT_S": str(timeout), "PYTHONUNBUFFERED": "1"}
    t0 = time.perf_counter()
    # Each benchmark in its own process: memory figures must not include a previous benchmark's.
    proc = subprocess.Popen([sys.executable, str(script)], cwd=HERE.parent, env=env, stdout=subprocess.PIPE,
                            text=True, errors="replace", start_new_session=True)
    lines: list[str] = []

    def pump() -> None:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            print(line, end="", flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        rc = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)
        proc.returncode = -9  # reaped by kill_group
        rc = None
    reader.join(5)  # a grandchild holding the pipe open must not hang us either
    return rc, lines, time.perf_counter() - t0


def rows_from(lines: list[str]) -> list[dict] | None:
    """The rows of the script's last JSON line (the partial one, if it was cut short), if it gave any."""
    for line in reversed(lines):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                continue
            if isinstance(data, dict) and "bench" in data:
                return data.get("rows")
    return None


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--timeout", type=float, default=SCRIPT_TIMEOUT_S, help="seconds per script (default %(default)s)")
    p.add_argument("--strict", action="store_true", help="also exit non-zero when a target FAILs")
    p.add_argument("scripts", nargs="*", help="only these (names like bench_ack.py); default every bench_*.py")
    a = p.parse_args()
    scripts = [HERE / s for s in a.scripts] or sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("no bench/bench_*.py scripts found", file=sys.stderr)
        return 1
    started, failed, rows = time.perf_counter(), [], []
    statuses = []
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        rc, lines, took = run_script(script, a.timeout)
        verdict = "ok" if rc == 0 else TIMEOUT if rc is None else f"FAILED (exit {rc})"
        print(f"=== {script.name}: {verdict} in {took:.1f}s\n", flush=True)
        if rc != 0:
            failed.append(script.name)
        rows += rows_from(lines) or []
        statuses.append(row("scripts", f"{script.name}: {verdict}", [took if rc is not None else TIMEOUT], "s"))
    total = time.perf_counter() - started
    rows += statuses + [row("scripts", "make bench, all scripts", [total], "s")]
    print("=" * 40 + " all benchmarks " + "=" * 40)
    print(table(rows))
    verdicts = Counter(r["result"] for r in rows if r["result"])
    print(f"targets: {verdicts['PASS']} PASS, {verdicts['FAIL']} FAIL, {verdicts['n/a']} n/a, "
          f"{verdicts[TIMEOUT]} timeout · took {total:.0f} s")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed or (a.strict and verdicts["FAIL"]) else 0


if __name__ == "__main__":
    sys.exit(main())
