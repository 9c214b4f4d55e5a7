"""One checkpoint saver per database per process, shared by every run in it and set up once: SQLite by default,
PostgreSQL when several bot processes share their runs (POSTMORTEM_DATABASE_URL)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver

BUSY_TIMEOUT_S = 30.0  # another process (a CLI resume, the job store) may hold the file's write lock for a moment
SCHEMA_LOCK = "postmortem schema"  # the advisory lock every process's table set-up takes
POOL_SIZE = 4  # connections per process: runs checkpoint one node at a time, and a write takes milliseconds

_lock = threading.Lock()
_open: dict[str, tuple[BaseCheckpointSaver, int]] = {}
_pg: dict[str, BaseCheckpointSaver] = {}  # kept for the process's life: a pool is costly to open per run


def is_postgres(location: str) -> bool:
    return location.startswith(("postgres://", "postgresql://"))


def exists(location: str) -> bool:
    """Whether saved runs can be there at all (a missing SQLite file holds none; a database is asked)."""
    return is_postgres(location) or Path(location).exists()


@contextmanager
def checkpointer(location: str) -> Iterator[BaseCheckpointSaver]:
    """A saver for `location` (a SQLite path or a postgresql:// URL), shared while any run of this process uses it.

    One connection per run made every run repeat the saver's schema set-up (`PRAGMA journal_mode=WAL` and the
    CREATE TABLEs), and with several workers starting at once SQLite answered "database is locked". The saver
    serialises its own statements with a lock, so one connection serves all threads."""
    if is_postgres(location):
        yield _postgres(location)
        return
    key = str(Path(location).resolve())
    with _lock:
        saver, users = _open.get(key, (None, 0))
        if saver is None:
            from langgraph.checkpoint.sqlite import SqliteSaver

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


def _postgres(url: str) -> BaseCheckpointSaver:
    with _lock:
        if url not in _pg:
            from langgraph.checkpoint.postgres import PostgresSaver
            from psycopg.rows import dict_row
            from psycopg_pool import ConnectionPool

            # The saver's own settings for a pool: autocommit, and no prepared statements (poolers such as
            # PgBouncer in transaction mode reject them).
            pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=True, name="postmortem-checkpoints",
                                  kwargs={"autocommit": True, "prepare_threshold": None, "row_factory": dict_row})
            saver = PostgresSaver(pool)
            setup_postgres(saver)
            _pg[url] = saver
        return _pg[url]


@contextmanager
def schema_lock(conn, wait_s: float = 120.0) -> Iterator[None]:
    """Held while one process creates or migrates tables, so two never race on a CREATE. Taken by polling: a session
    blocked in pg_advisory_lock keeps a transaction open, and LangGraph's CREATE INDEX CONCURRENTLY in the process
    holding the lock would wait for that transaction forever."""
    deadline = time.monotonic() + wait_s
    while not _first(conn.execute("SELECT pg_try_advisory_lock(hashtext(%s)) AS ok", (SCHEMA_LOCK,)).fetchone()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"another process held the schema lock for over {wait_s:.0f} s")
        time.sleep(0.1)
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (SCHEMA_LOCK,))


def _first(row):
    return row["ok"] if isinstance(row, dict) else row[0]  # the saver's connections give dict rows


def setup_postgres(saver: BaseCheckpointSaver) -> None:
    """The saver's tables, created or migrated once, whichever process starts first."""
    with saver.conn.connection() as conn, schema_lock(conn):
        saver.setup()


def close_all() -> None:
    """Close the shared PostgreSQL pools (at exit; SQLite savers close with their last run)."""
    with _lock:
        savers = list(_pg.values())
        _pg.clear()
    for saver in savers:
        saver.conn.close()
