"""One checkpoint saver per database per process, shared by every run in it and set up once."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

BUSY_TIMEOUT_S = 30.0  # another process (a CLI resume, the job store) may hold the file's write lock for a moment

_lock = threading.Lock()
_open: dict[str, tuple[SqliteSaver, int]] = {}


@contextmanager
def checkpointer(path: str) -> Iterator[SqliteSaver]:
    """A saver for `path`, shared while any run of this process uses it.

    One connection per run made every run repeat the saver's schema set-up (`PRAGMA journal_mode=WAL` and the
    CREATE TABLEs), and with several workers starting at once SQLite answered "database is locked". The saver
    serialises its own statements with a lock, so one connection serves all threads."""
    key = str(Path(path).resolve())
    with _lock:
        saver, users = _open.get(key, (None, 0))
        if saver is None:
            Path(key).parent.mkdir(parents=True, exist_ok=True)
            saver = SqliteSaver(sqlite3.connect(key, check_same_thread=False, timeout=BUSY_TIMEOUT_S))
            saver.setup()
        _open[key] = (saver, users + 1)
    try:
        yield saver
    finally:
        with _lock:
            saver, users = _open[key]
            if users > 1:
                _open[key] = (saver, users - 1)
            else:
                del _open[key]
                saver.conn.close()
