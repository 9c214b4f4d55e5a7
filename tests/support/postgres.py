"""A throwaway PostgreSQL cluster for tests: initdb into a temp folder, serve on loopback, remove it on stop or exit."""

from __future__ import annotations

import atexit
import glob
import importlib.util
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

PG_USER = "postgres"  # initdb and postgres refuse to run as root, so as root they run as this OS account
SUPERUSER = "postgres"  # the cluster's superuser, whatever OS account runs it; trust auth, so no password
SETTINGS = {
    # The data is thrown away after the session: durability only costs time.
    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "wal_level": "minimal", "max_wal_senders": "0",
    "max_connections": "200",  # two bot processes with their pools, plus the tests' own connections
    "shared_buffers": "32MB",  # several sessions may each run a server on one CI machine
    # Test databases live for seconds: background vacuuming and query JIT only add latency and noise.
    "autovacuum": "off", "jit": "off",
}
# The watchdog holds the read end of a pipe only this process writes to: EOF means the test process closed it (stop)
# or died, even by SIGKILL, and then the server is stopped and its folder removed.
WATCHDOG = """cat >/dev/null
pid=$(head -n1 "$1/data/postmaster.pid" 2>/dev/null)
if [ -n "$pid" ]; then
  kill -QUIT "$pid" 2>/dev/null
  i=0; while [ -e "$1/data/postmaster.pid" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
fi
rm -rf "$1"
"""


class PostgresError(RuntimeError):
    """The server could not be set up or started."""


def _version(bin_dir: Path) -> tuple[int, ...]:
    out = subprocess.run([bin_dir / "postgres", "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(g) for g in match.groups() if g) if match else ()


def find_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: POSTMORTEM_PG_BIN, else the highest version found."""
    names = ("initdb", "pg_ctl", "postgres")
    if os.environ.get("POSTMORTEM_PG_BIN"):
        chosen = Path(os.environ["POSTMORTEM_PG_BIN"])
        return chosen if all(os.access(chosen / n, os.X_OK) for n in names) else None
    found = [Path(d) for d in glob.glob("/usr/lib/postgresql/*/bin")]
    if shutil.which("initdb"):
        found.append(Path(shutil.which("initdb")).resolve().parent)
    dirs = {d.resolve() for d in found}  # Debian's symlinks and /usr/lib/postgresql/N/bin are one candidate
    usable = [d for d in dirs if all(os.access(d / n, os.X_OK) for n in names)]
    return max(usable, key=_version, default=None)


def available() -> str | None:
    """Why no PostgreSQL server can run here, or None."""
    if find_bin() is None:
        where = os.environ.get("POSTMORTEM_PG_BIN") or "PATH or /usr/lib/postgresql/*/bin"
        return f"initdb, pg_ctl and postgres not found in {where} (Debian package postgresql)"
    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed (pip install -e '.[dev]')"
    if os.geteuid() == 0 and PG_USER not in {user.pw_name for user in pwd.getpwall()}:
        return f"running as root, and there is no {PG_USER!r} user to run the server as"
    return None


def _temp_base() -> str:
    """The temp folder, unless the server's OS account cannot reach it (say TMPDIR under /root): then /tmp."""
    base = Path(tempfile.gettempdir()).resolve()
    if os.geteuid() == 0 and not all(p.stat().st_mode & 0o001 for p in (base, *base.parents)):
        return "/tmp"
    return str(base)


class PostgresServer:
    """One cluster on 127.0.0.1 and a free port; `start()` it (or use `with`), `stop()` removes everything."""

    def __init__(self, bin_dir: Path | None = None):
        self.bin_dir = bin_dir or find_bin()
        if self.bin_dir is None:
            raise PostgresError(available() or "no PostgreSQL binaries")
        self.folder: Path | None = None
        self.port = 0
        self._proc: subprocess.Popen | None = None
        self._watchdog: subprocess.Popen | None = None
        self._as: dict = {}
        if os.geteuid() == 0:
            user = pwd.getpwnam(PG_USER)
            self._as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{quote(dbname, safe='')}"

    def start(self, timeout: float = 30) -> PostgresServer:
        self.folder = Path(tempfile.mkdtemp(prefix="pm-pg-", dir=_temp_base()))
        self._watchdog = subprocess.Popen(["sh", "-c", WATCHDOG, "watchdog", str(self.folder)], stdin=subprocess.PIPE,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        atexit.register(self.stop)
        try:
            if self._as:
                os.chown(self.folder, self._as["user"], self._as["group"])
            self._run("initdb", "-D", "data", "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C",
                      "--no-sync", "--no-instructions")  # --no-sync: no flush to disk for data thrown away
            for _ in range(3):  # another process may take the free port before postgres binds it
                if self._serve(timeout):
                    return self
            raise PostgresError(f"postgres could not bind a port:\n{self._log()}")
        except BaseException:
            self.stop()
            raise

    def _run(self, tool: str, *args: str, timeout: float = 60) -> None:
        try:
            done = subprocess.run([self.bin_dir / tool, *args], cwd=self.folder, capture_output=True, text=True,
                                  timeout=timeout, **self._as)
        except OSError as e:  # say a POSTMORTEM_PG_BIN the postgres account cannot read
            raise PostgresError(f"cannot run {tool}{' as ' + PG_USER if self._as else ''}: {e}") from e
        if done.returncode:
            raise PostgresError(f"{tool} failed ({done.returncode}): {(done.stderr or done.stdout).strip()}")

    def _serve(self, timeout: float) -> bool:
        """Start postgres and wait until it accepts connections; False when its port was taken meanwhile."""
        import psycopg

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        sock = self.folder / "sock"
        sock.mkdir(exist_ok=True)
        if self._as:
            os.chown(sock, self._as["user"], self._as["group"])
        # A unix socket path is limited to 107 bytes; in a deep TMPDIR serve TCP only rather than fail.
        sockets = str(sock) if len(f"{sock}/.s.PGSQL.{self.port}.lock") < 100 else ""
        settings = {**SETTINGS, "listen_addresses": "127.0.0.1", "port": str(self.port),
                    "unix_socket_directories": sockets}
        args = [str(self.bin_dir / "postgres"), "-D", "data"]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        with open(self.folder / "server.log", "wb") as log:  # one attempt's log, for the error
            # Own session: a Ctrl-C in the terminal must not shut the server down under the fixtures' feet.
            self._proc = subprocess.Popen(args, cwd=self.folder, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                          start_new_session=True, **self._as)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                if "could not bind" in self._log():
                    return False
                raise PostgresError(f"postgres exited with {self._proc.returncode}:\n{self._log()}")
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.02)
        raise PostgresError(f"postgres did not accept connections within {timeout:.0f}s:\n{self._log()}")

    def _log(self) -> str:
        try:
            return (self.folder / "server.log").read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def _admin(self, statement: str, name: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL(statement).format(sql.Identifier(name)))

    def create_database(self, name: str) -> str:
        """A new empty database (from template1); its URL."""
        self._admin("CREATE DATABASE {}", name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop it, ending any connections a test left open."""
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and remove its folder; safe to call twice."""
        atexit.unregister(self.stop)
        try:
            if self._proc is not None and self._proc.poll() is None:
                try:
                    self._run("pg_ctl", "stop", "-D", "data", "-m", "immediate", "-s", timeout=30)
                except (PostgresError, subprocess.TimeoutExpired):
                    self._proc.kill()
                self._proc.wait(timeout=30)
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
        finally:
            if self._watchdog is not None:
                self._watchdog.stdin.close()  # its clean-up finds nothing left to do; it exits at once
                self._watchdog.wait(timeout=30)
                self._watchdog = None
            self._proc = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

