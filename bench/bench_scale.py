"""The graph on generated 1k / 10k / 100k-message workspaces, each embedding a known incident: cost and recall."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from common import TIMEOUT, emit, python, row, run_step, script_budget, temp_folder, watchdog
from workload import Samples, Workload, measure, rows_of

REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
PROMPT = ("<=", 12000)
# name, messages (issues = /20, pages = /50), profile, targets. The 100k run uses the fast profile: in the realistic
# one Notion's 3 requests/s alone make it minutes long (BENCH_PROFILE_100K=realistic to measure it anyway).
SIZES = (
    ("1k", 1_000, os.environ.get("BENCH_PROFILE", "realistic"), {"first_prompt": PROMPT}),
    ("10k", 10_000, os.environ.get("BENCH_PROFILE", "realistic"),
     {"first_notion": ("<=", 60), "first_wall": ("<=", 20), "rerun_total": ("<=", 6), "recall": (">=", 0.9),
      "first_prompt": PROMPT}),
    ("100k", 100_000, os.environ.get("BENCH_PROFILE_100K", "fast"),
     {"first_wall": ("<", 8), "first_rss": ("<", 400), "first_prompt": PROMPT}),
)
LLM_BOUNDS = {"llm_calls": 2, "llm_input_tokens": 16000}  # generous: the token budget must bound the model's input


def generate(folder: Path, messages: int) -> tuple[Path | None, dict | None]:
    out = folder / f"ws-{messages}.json"
    step = run_step(python("-m", "sandbox.generate", f"--messages={messages}", f"--issues={messages // 20}",
                           f"--pages={messages // 50}", "--seed=1", "--out", str(out)))
    if step.rc != 0:
        print(f"generating {messages} messages failed: {'timeout' if step.timed_out else step.stderr[-500:]}",
              file=sys.stderr)
        return None, None
    return out, json.loads(out.with_suffix(".expected.json").read_text())


def main() -> int:
    rows: list[dict] = []
    figures: dict = {}
    problems: list[str] = []
    current: dict = {}  # the workload being measured and its samples so far

    def partial() -> None:
        cut = rows + (rows_of(current["w"], current["s"]) if current.get("w") else [])
        if current.get("group"):
            cut.append(row(current["group"], "the rest of this workload", [TIMEOUT]))
        emit("scale", {"partial": True, **figures}, cut)

    watchdog(script_budget(), partial)
    with temp_folder("bench-scale-") as tmp:
        for name, messages, profile, targets in SIZES:
            current["group"] = f"{name} generated ({profile} profile)"
            path, expected = generate(Path(tmp), messages)
            if path is None:
                rows.append(row(current["group"], "generate the workspace", [None], note="failed"))
                problems.append(f"{name}: could not generate the workspace")
                continue
            w = Workload(f"{name} generated", str(path), expected["incident"], profile, REPEATS, targets, expected,
                         llm_stub=messages >= 100_000)
            current.update(w=w, s=Samples())
            got, got_rows, got_problems = measure(w, current["s"])
            figures[name] = got
            current.clear()
            rows.extend(got_rows)
            problems += [f"{name}: {p}" for p in got_problems]
            for key, bound in LLM_BOUNDS.items():
                if any(isinstance(v, int | float) and v > bound for v in got.get(key, [])):
                    problems.append(f"{name}: {key} above {bound}: {got[key]}")
    emit("scale", {**figures, "problems": problems}, rows)
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
