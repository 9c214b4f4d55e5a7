"""The graph end to end on summer25 (realistic profile): requests per service and wall time, first run and re-run."""

from __future__ import annotations

import os
import sys

from common import emit, script_budget, watchdog
from workload import Samples, Workload, measure, rows_of

PROFILE = os.environ.get("BENCH_PROFILE", "realistic")
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
TARGETS = {"first_notion": ("<=", 10), "rerun_notion": ("<=", 12), "first_total": ("<=", 5),
           "first_prompt": ("<=", 12000)}
LLM_BOUNDS = {"llm_calls": 2, "llm_input_tokens": 16000}  # generous: the token budget must bound the model's input


def main() -> int:
    w = Workload("summer25", "summer25", "summer25", PROFILE, REPEATS, TARGETS, llm_stub=True, second_process=True)
    samples = Samples()
    # Each step times out on its own; this is the last resort, before run_all.py kills the script.
    watchdog(script_budget(), lambda: emit("graph", {"partial": True}, rows_of(w, samples)))
    figures, rows, problems = measure(w, samples)
    for key, bound in LLM_BOUNDS.items():
        if any(isinstance(v, int | float) and v > bound for v in figures.get(key, [])):
            problems.append(f"{key} above {bound}: {figures[key]}")
    emit("graph", {"summer25": figures, "problems": problems}, rows)
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
