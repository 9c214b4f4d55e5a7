"""The bot's tables in PostgreSQL, created once whichever process starts first: the queue, deliveries, checkpoints."""

from __future__ import annotations

import psycopg
from procrastinate.schema import SchemaManager

from graph.checkpoints import checkpointer, schema_lock
from graph.sources.notion_shared import ensure_schema as ensure_notion_schema

DELIVERIES = """
CREATE TABLE IF NOT EXISTS postmortem_deliveries (
    key text PRIMARY KEY,                 -- 'command:<trigger_id>:<text>', 'event:<event_id>': one per delivery
    seen_at timestamptz NOT NULL DEFAULT now()
)"""
TABLES = {
    "procrastinate_jobs": "the job queue: one row per requested post-mortem (its Slack thread, status, attempts)",
    "procrastinate_workers": "each bot process's worker and its last heartbeat (a stale one's jobs are taken over)",
    "procrastinate_events": "each job's history (deferred, started, retried, succeeded, failed)",
    "postmortem_deliveries": "Slack delivery keys already handled, so a retry delivered elsewhere starts nothing",
    "postmortem_reports": "which Notion page is which incident's, so any process updates the page another made",
    "postmortem_parents": "where reports are published (the page or database found once, for every process)",
    "checkpoints": "LangGraph's saved state after every node of every run (`postmortem resume` reads it)",
}


class DatabaseError(RuntimeError):
    """The database named by POSTMORTEM_DATABASE_URL cannot be used; the message says why, without the password."""


def migrate(url: str) -> list[str]:
    """Create what is missing; returns what was created (nothing on a database already set up)."""
    made = []
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            with schema_lock(conn):
                if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is None:
                    conn.execute(SchemaManager.get_schema())  # no parameters: its '%' signs are sent as written
                    made.append("the job queue (procrastinate's tables)")
                if conn.execute("SELECT to_regclass('postmortem_deliveries')").fetchone()[0] is None:
                    conn.execute(DELIVERIES)
                    made.append("postmortem_deliveries")
                if conn.execute("SELECT to_regclass('postmortem_reports')").fetchone()[0] is None:
                    ensure_notion_schema(conn)
                    made.append("postmortem_reports, postmortem_parents")
        with checkpointer(url):  # LangGraph's own migrations, under the same lock (graph/checkpoints.py)
            pass
    except (psycopg.Error, TimeoutError) as exc:
        raise DatabaseError(f"POSTMORTEM_DATABASE_URL ({safe(url)}) cannot be used: {exc}".strip()) from None
    return made


def safe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "an unreadable URL"
    return f"{info.get('user', '?')}@{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
