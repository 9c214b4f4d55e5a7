"""One workload of the graph benches: first runs (`postmortem run` subprocesses) and re-runs (one sandbox, twice)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, TIMEOUT, Step, postmortem_cmd, python, row, run_step, temp_folder

SERVICES = ("slack", "notion", "jira")
_SERVED = re.compile(r"(slack|notion|jira) (\d+) requests \((\d+) rate-limited\)")


@dataclass
class Workload:
    name: str  # row group label, e.g. "summer25" or "10k generated"
    workspace: str
    incident: str
    profile: str = "realistic"
    repeats: int = 3
    targets: dict = field(default_factory=dict)  # figure key -> ("<=", bound)
    expected: dict | None = None  # the generator's expected evidence, for recall
    llm_stub: bool = False
    second_process: bool = False  # also run a second `postmortem run` process against the same folder


def env_for(profile: str) -> dict:
    return {**os.environ, "POSTMORTEM_SANDBOX_PROFILE": profile, "OPENAI_API_KEY": "", "PYTHONUNBUFFERED": "1"}


def served_by_sandbox(stderr: str) -> dict[str, int]:
    """The sandbox's own count, printed by `run --workspace` when a profile is active (none for the fast one)."""
    return {m.group(1): int(m.group(2)) for m in _SERVED.finditer(stderr)}


def cli_run(w: Workload, folder: Path) -> tuple[Step, dict | None]:
    cmd = postmortem_cmd("run", w.incident, "--workspace", w.workspace, "--offline", "--json")
    env = env_for(w.profile) | {"POSTMORTEM_CHECKPOINT_DB": str(folder / "runs.sqlite")}
    step = run_step(cmd, env=env, cwd=folder)
    try:
        result = json.loads(step.stdout) if step.stdout.strip() else None
    except ValueError:
        result = None
    return step, result


def _get(result: dict | None, *path):
    for key in path:
        if not isinstance(result, dict):
            return None
        result = result.get(key)
    return result


class Samples:
    """Per-figure samples of one workload; TIMEOUT marks a step that was killed."""

    def __init__(self) -> None:
        self.values: dict[str, list] = {}
        self.notes: dict[str, list] = {}
        self.problems: list[str] = []

    def add(self, key: str, value) -> None:
        self.values.setdefault(key, []).append(value)

    def note(self, key: str, value) -> None:
        self.notes.setdefault(key, []).append(value)


def _first_runs(w: Workload, s: Samples) -> None:
    for i in range(w.repeats):
        with temp_folder("bench-run-") as tmp:
            step, result = cli_run(w, Path(tmp))
            if step.timed_out or result is None:
                s.problems.append(f"first run {i + 1}: " + ("timeout" if step.timed_out else
                                                           f"exit {step.rc}: {step.stderr.strip()[-300:]}"))
                for key in ("first_wall", "first_total", *(f"first_{x}" for x in SERVICES)):
                    s.add(key, TIMEOUT if step.timed_out else None)
                if step.timed_out:
                    return  # the next repeats would time out too: keep the bench's wall time bounded
                continue
            _check(s, f"first run {i + 1}", result, ("published",))
            s.add("first_wall", step.wall_s)
            s.add("first_rss", step.maxrss_mb)
            s.add("first_total", _get(result, "timings_s", "total"))
            s.add("first_prompt", _get(result, "usage", "prompt_tokens"))
            served = served_by_sandbox(step.stderr)
            for x in SERVICES:
                s.add(f"first_{x}", _get(result, "requests", x))
                s.note(f"first_{x}", served.get(x))
            if w.expected:
                from sandbox.generate.expected import score

                scored = score(result, w.expected)
                s.add("recall", scored["recall"])
                s.note("recall", ", ".join(scored["missed"]) or None)
                s.add("distractors", len(scored["distractors_kept"]))
            if w.second_process:  # a new process on the same checkpoint folder (its sandbox is new, so not a re-run)
                step2, result2 = cli_run(w, Path(tmp))
                s.add("second_process_total", TIMEOUT if step2.timed_out else _get(result2, "timings_s", "total"))
                s.add("second_process_notion", _get(result2, "requests", "notion"))
                s.note("second_process_notion", served_by_sandbox(step2.stderr).get("notion"))


def _check(s: Samples, what: str, result: dict, ok: tuple) -> None:
    if result.get("status") not in ok:
        s.problems.append(f"{what}: status {result.get('status')}: {str(result.get('error'))[:300]}")


def _reruns(w: Workload, s: Samples) -> None:
    for i in range(w.repeats):
        args = [str(ROOT / "bench" / "graph_runs.py"), w.workspace, w.incident, "--runs", "2"]
        step = run_step(python(*args, *(["--llm-stub"] if w.llm_stub and i == 0 else [])), env=env_for(w.profile))
        runs = {r["run"]: r for r in step.json_lines()}
        if step.timed_out or 2 not in runs:
            s.problems.append(f"re-run {i + 1}: " + ("timeout" if step.timed_out else f"exit {step.rc}: "
                                                     f"{step.stderr.strip()[-300:]}"))
            for key in ("rerun_total", "gather_wall", "slowest", *(f"rerun_{x}" for x in SERVICES)):
                s.add(key, TIMEOUT if step.timed_out else None)
            if step.timed_out:
                return
            continue
        for n, r in runs.items():
            if r.get("grounding_problems"):
                s.problems.append(f"run {n}: not grounded: {r['grounding_problems']}")
        _check(s, f"re-run {i + 1}", runs[2], ("updated", "published"))
        first, again = runs[1], runs[2]
        s.add("rerun_total", _get(again, "timings_s", "total"))
        for x in SERVICES:
            s.add(f"rerun_{x}", _get(again, "requests", x))
            s.note(f"rerun_{x}", _get(again, "served", x))
        for key, r in (("", first), ("rerun_", again)):
            s.add(f"{key}gather_wall", r.get("gather_wall_s"))
            s.add(f"{key}slowest", r.get("slowest_source_s"))
        if "llm-stub" in runs:
            s.add("llm_input_tokens", _get(runs["llm-stub"], "usage", "input_tokens"))
            s.add("llm_calls", _get(runs["llm-stub"], "usage", "llm_calls"))


def measure(w: Workload, s: Samples | None = None) -> tuple[dict, list[dict], list[str]]:
    """(figures, table rows, problems) for one workload; `s` collects the samples as they come (for a partial table)."""
    s = s if s is not None else Samples()
    _first_runs(w, s)
    _reruns(w, s)
    return dict(s.values) | {"missed": s.notes.get("recall", [])}, rows_of(w, s), s.problems


def rows_of(w: Workload, s: Samples) -> list[dict]:
    """The table rows of what has been measured so far."""
    group = f"{w.name} ({w.profile} profile)"
    rows = []

    def add(key: str, figure: str, unit: str = "") -> None:
        if key in s.values:
            notes = [n for n in s.notes.get(key, []) if n is not None]
            note = f"sandbox served {sorted(notes)[len(notes) // 2]}" if notes and None in s.values[key] else ""
            if key == "recall" and notes:
                note = "missed " + "; ".join(sorted(set(notes)))[:120]
            rows.append(row(group, figure, s.values[key], unit, w.targets.get(key), note))

    for x in SERVICES:
        add(f"first_{x}", f"first run: {x.capitalize()} requests")
    add("first_total", "first run: graph total", "s")
    add("first_wall", "first run: whole `postmortem run` process", "s")
    add("first_rss", "first run: peak memory of that process", "MB")
    add("gather_wall", "first run (in-process): gather wall", "s")
    add("slowest", "first run (in-process): slowest source alone", "s")
    add("first_prompt", "prompt tokens (usage.prompt_tokens)")
    add("recall", "recall of the embedded incident", "ratio")
    add("distractors", f"distractors kept (of {sum(map(len, (w.expected or {}).get('must_not_find', {}).values()))})")
    add("second_process_notion", "second process, same folder: Notion requests")
    add("second_process_total", "second process, same folder: graph total", "s")
    for x in SERVICES:
        add(f"rerun_{x}", f"re-run: {x.capitalize()} requests")
    add("rerun_total", "re-run: graph total", "s")
    add("rerun_gather_wall", "re-run: gather wall", "s")
    add("rerun_slowest", "re-run: slowest source alone", "s")
    add("llm_input_tokens", "with a model (stub): input tokens (~4 chars/token)")
    add("llm_calls", "with a model (stub): model calls")
    return rows
