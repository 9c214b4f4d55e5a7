"""The real-PostgreSQL fixtures: a fresh database per test, concurrent connections, nothing left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support import ROOT
from tests.support.postgres import PostgresServer

psycopg = pytest.importorskip("psycopg")

USER_TABLES = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"


def _tables(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(USER_TABLES).fetchone()[0]


def _refused(port: int) -> bool:
    try:
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=2).close()
    except psycopg.OperationalError:
        return True
    return False


def test_each_database_is_fresh_and_separate(pg_url, postgres_server):
    other = postgres_server.create_database("test_postgres_other")
    assert other != pg_url and pg_url.startswith("postgresql://")
    assert _tables(pg_url) == _tables(other) == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE incidents (id serial PRIMARY KEY, title text)")
        conn.execute("INSERT INTO incidents (title) VALUES ('db down')")
    assert _tables(pg_url) == 1
    assert _tables(other) == 0
    postgres_server.drop_database("test_postgres_other")


# Twice, in whichever order: if both runs got one database, the second would find the first's table.
@pytest.mark.parametrize("run", ["first", "second"])
def test_pg_url_is_empty_in_every_test(pg_url, run):
    assert _tables(pg_url) == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE marker (run text)")


def test_concurrent_connections(pg_url):
    n = 20
    barrier = threading.Barrier(n, timeout=30)  # every connection is open before any of them counts

    def connect(_: int) -> int:
        with psycopg.connect(pg_url) as conn:
            barrier.wait()
            seen = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()").fetchone()
            barrier.wait()  # nobody hangs up before everyone has counted
            return seen[0]

    with ThreadPoolExecutor(n) as pool:
        counts = list(pool.map(connect, range(n)))
    assert min(counts) >= n
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SHOW max_connections").fetchone()[0] == "200"
        assert conn.execute("SHOW fsync").fetchone()[0] == "off"


def test_stop_removes_the_data_folder(postgres_server):
    server = PostgresServer().start()  # not the session's: this one is stopped here
    folder = server.folder
    assert (folder / "data" / "PG_VERSION").is_file()
    assert _tables(server.create_database("scratch")) == 0
    server.stop()
    assert not folder.exists()
    assert _refused(server.port)
    server.stop()  # a second stop (say from atexit) is harmless


def test_a_killed_test_process_leaves_nothing_behind(postgres_server):
    """SIGKILL skips atexit: the watchdog must stop the server and remove its folder."""
    child = subprocess.run(
        [sys.executable, "-c", "import os, signal\nfrom tests.support.postgres import PostgresServer\n"
         "s = PostgresServer().start()\nprint(s.folder, s.port, flush=True)\nos.kill(os.getpid(), signal.SIGKILL)"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == -9, child.stderr
    folder, port = child.stdout.split()
    deadline = time.monotonic() + 20
    while Path(folder).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(folder).exists()
    assert _refused(int(port))
