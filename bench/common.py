"""Shared by the benchmarks: steps and scripts that cannot hang, and temporary folders that always go."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the benches import the project's own modules

from tables import TIMEOUT, emit, row, table  # noqa: E402,F401 - the benches import them from here

STEP_TIMEOUT_S = float(os.environ.get("BENCH_STEP_TIMEOUT_S", "300"))
SCRIPT_TIMEOUT_S = float(os.environ.get("BENCH_SCRIPT_TIMEOUT_S", "1800"))  # run_all.py kills a script after this
GRACE_S = 3.0  # after SIGTERM, before SIGKILL
_children: set[int] = set()  # process groups started here and still running, for the watchdog to kill
_folders: list[str] = []  # temporary folders to remove even when the watchdog ends the process
_lock = threading.Lock()
_stopping = threading.Event()  # set by the watchdog: no new step may start while it kills the running ones


@dataclass
class Step:
    """One finished (or killed) subprocess: exit status, wall time, its own peak memory, and what it printed."""

    rc: int | None
    wall_s: float
    maxrss_mb: float | None
    stdout: str
    stderr: str
    timed_out: bool

    def json_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.startswith("{")]


def _reaped(pid: int) -> bool:
    try:
        return bool(os.waitpid(pid, os.WNOHANG)[0])
    except ChildProcessError:  # not ours, or already reaped
        return True


def kill_group(pid: int, grace: float = GRACE_S) -> None:
    """SIGTERM the process group, give it `grace` seconds, then SIGKILL whatever is left of it (grandchildren too)."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and not _reaped(pid):
        time.sleep(0.05)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # until the group is empty (a zombie no init reaps still counts: capped)
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        _reaped(pid)
        time.sleep(0.05)


def run_step(cmd: list[str], timeout: float = STEP_TIMEOUT_S, env: dict | None = None, cwd: Path | None = None
             ) -> Step:
    """Run a command in its own process group; on timeout the whole group is killed. wait4 gives this child's own
    peak RSS (RUSAGE_CHILDREN would mix every child this process ever waited for)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:  # files: no pipe can fill up
        proc = None
        with _lock:
            if not _stopping.is_set():
                t0 = time.perf_counter()
                proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd or ROOT,
                                        start_new_session=True)
                _children.add(proc.pid)
        if proc is None:
            threading.Event().wait()  # the watchdog is ending this process: start nothing more
        rc, usage, timed_out = None, None, False
        try:
            while True:
                try:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                except ChildProcessError:  # the watchdog reaped it and is ending this process
                    if _stopping.is_set():
                        threading.Event().wait()
                    break
                if pid:
                    rc = os.waitstatus_to_exitcode(status)
                    break
                if time.perf_counter() - t0 > timeout:
                    timed_out = True
                    kill_group(proc.pid)
                    break
                time.sleep(0.02)
        finally:
            proc.returncode = rc if rc is not None else -9  # reaped here: Popen must not wait for it again
            _children.discard(proc.pid)
        if _stopping.is_set():
            threading.Event().wait()  # the watchdog killed it and is ending this process: go no further
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        maxrss = usage.ru_maxrss / 1024 if usage is not None and not timed_out else None  # KB on Linux
        return Step(rc, wall, maxrss, out.read(), err.read(), timed_out)


def temp_folder(prefix: str) -> tempfile.TemporaryDirectory:
    """A temporary folder that is removed at the end of its `with`, or by the watchdog if it ends the process."""
    folder = tempfile.TemporaryDirectory(prefix=prefix)
    _folders.append(folder.name)
    return folder


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def postmortem_cmd(*args: str) -> list[str]:
    """The installed `postmortem` entry point next to this interpreter, else the module."""
    script = Path(sys.executable).with_name("postmortem")
    return [str(script), *args] if script.exists() else python("-m", "cli.main", *args)


def script_budget() -> float:
    """How long a script may run before its watchdog prints what it has: a little less than run_all.py allows, so
    the partial table is printed before the script's process group is killed."""
    return max(30.0, SCRIPT_TIMEOUT_S - 20)


def watchdog(seconds: float, on_timeout) -> threading.Timer:
    """After `seconds`, call on_timeout() (which prints the partial figures), kill every child, exit 1. For what runs
    in this process (an in-process sandbox, a graph run): nothing but exiting stops those."""

    def fire() -> None:
        _stopping.set()
        try:
            print(f"\nTIMEOUT: still running after {seconds:.0f} s; partial figures follow", file=sys.stderr)
            on_timeout()
        finally:
            with _lock:
                running = list(_children)
            for pid in running:
                kill_group(pid, grace=1.0)
            for folder in _folders:
                shutil.rmtree(folder, ignore_errors=True)
            sys.stdout.flush()
            os._exit(1)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    # Should the main thread end while the watchdog fires, exiting normally would cut it short (and exit 0).
    atexit.register(lambda: _stopping.is_set() and threading.Event().wait())
    return timer
