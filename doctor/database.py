"""The shared-database row: POSTMORTEM_DATABASE_URL answers, its tables are there, and which bot processes are live."""

from __future__ import annotations

from doctor.rows import Row, fail, ok, skip
from graph.configuration import Configuration

DATABASE = "Shared database"
TABLES = ("procrastinate_jobs", "postmortem_deliveries", "postmortem_reports", "checkpoints")


def check_database(cfg: Configuration) -> list[Row]:
    if not cfg.database_url:
        return [skip(DATABASE, "not set: one process, state in SQLite (.postmortem/)")]
    import psycopg

    from bot.postgres.queue import STALLED_S
    from bot.postgres.schema import safe

    where = safe(cfg.database_url)
    try:
        with psycopg.connect(cfg.database_url, connect_timeout=3, autocommit=True) as conn:
            missing = [t for t in TABLES if conn.execute("SELECT to_regclass(%s)", (t,)).fetchone()[0] is None]
            if missing:
                return [fail(DATABASE, f"{where}: no {', '.join(missing)} yet",
                             "Run `postmortem db migrate` (or start one bot process: it creates them)")]
            live, waiting = conn.execute(
                "SELECT (SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > now() - "
                "make_interval(secs => %s)), (SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo')",
                (STALLED_S,)).fetchone()
    except psycopg.Error as exc:
        return [fail(DATABASE, f"{where}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                     "Check POSTMORTEM_DATABASE_URL (host, port, user, password, database) and that the database "
                     "accepts connections from here; docs/deploy.md")]
    return [ok(DATABASE, f"{where}: tables in place; {live} bot process(es) live, {waiting} job(s) waiting")]
