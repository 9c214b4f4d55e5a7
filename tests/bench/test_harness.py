"""The benchmark harness cannot hang: steps and scripts are killed with their children, and what was measured prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import common  # noqa: E402
import run_all  # noqa: E402

HANG_WITH_CHILD = ("import subprocess, sys, time\n"
                   "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
                   "print(child.pid, flush=True)\n"
                   "time.sleep(120)\n")


def _dead(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"  # a zombie no init reaped
    except FileNotFoundError:
        return True


def _gone(pid: int) -> bool:
    """The process has died (a signal is delivered asynchronously: allow it a moment)."""
    for _ in range(100):
        if _dead(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_step_that_overruns_is_killed_with_its_children_and_says_so():
    step = common.run_step([sys.executable, "-c", HANG_WITH_CHILD], timeout=1.5)
    assert step.timed_out and step.rc is None and step.maxrss_mb is None
    grandchild = int(step.stdout.split()[0])
    assert _gone(grandchild)


def test_a_step_that_finishes_gives_its_status_output_and_own_peak_memory():
    step = common.run_step([sys.executable, "-c", "import sys; print('{\"a\": 1}'); sys.exit(3)"])
    assert (step.rc, step.timed_out, step.json_lines()) == (3, False, [{"a": 1}])
    assert step.maxrss_mb and step.maxrss_mb > 1


def test_rows_judge_the_median_and_say_n_a_or_timeout_when_there_is_no_figure():
    assert common.row("g", "f", [1, 9, 30], target=("<=", 10))["result"] == "PASS"
    assert common.row("g", "f", [11, 12, 3], target=("<=", 10))["result"] == "FAIL"
    assert common.row("g", "f", [0.8, 0.95, 0.9], "ratio", (">=", 0.9))["result"] == "PASS"
    assert common.row("g", "f", [None, None], target=("<", 1))["result"] == "n/a"
    timed_out = common.row("g", "f", [common.TIMEOUT], "s", ("<", 1))
    assert timed_out["result"] == common.TIMEOUT and common.TIMEOUT in common.table([timed_out])
    assert "n/a" in common.table([common.row("g", "f", [None, None])])


def test_the_watchdog_prints_the_partial_table_kills_the_children_and_exits_non_zero():
    code = ("import subprocess, sys, threading, time\n"
            f"sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
            "from common import emit, row, run_step, watchdog\n"
            "watchdog(1.0, lambda: emit('x', {}, [row('g', 'measured so far', [42])]))\n"
            f"run_step([sys.executable, '-c', {HANG_WITH_CHILD!r}], timeout=120)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "measured so far" in proc.stdout and "TIMEOUT" in proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1])["rows"][0]["median"] == 42


def test_run_all_kills_a_script_that_hangs_and_keeps_the_rows_it_printed(tmp_path, capsys):
    script = tmp_path / "bench_hangs.py"
    rows = [common.row("g", "before the hang", [7])]
    script.write_text(f"import json, time\nprint(json.dumps({{'bench': 'h', 'rows': {rows!r}}}), flush=True)\n"
                      f"exec({HANG_WITH_CHILD!r})\n")
    rc, lines, _ = run_all.run_script(script, timeout=3)
    assert rc is None
    assert run_all.rows_from(lines)[0]["figure"] == "before the hang"
    assert _gone(int(lines[-1]))


@pytest.mark.parametrize("status", [0, 2])
def test_run_all_prints_one_table_and_fails_when_a_script_fails(tmp_path, monkeypatch, capsys, status):
    script = tmp_path / "bench_one.py"
    row = common.row("group", "a figure", [5], target=("<=", 10))
    script.write_text(f"import json, sys\nprint(json.dumps({{'bench': 'one', 'rows': [{row!r}]}}))\nsys.exit({status})\n")
    monkeypatch.setattr(run_all, "HERE", tmp_path)
    monkeypatch.setattr(sys, "argv", ["run_all.py"])
    assert run_all.main() == (1 if status else 0)
    out = capsys.readouterr().out
    final = out.split(" all benchmarks ")[-1]
    assert "a figure" in final and "PASS" in final and "bench_one.py" in final
    assert os.path.basename(str(script)) in out
