"""The Notion store's published-page records in PostgreSQL, when several bot processes share a database: any process
finds the incident's page that another published (page bodies and people stay a per-process cache)."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from graph.sources.notion_store import FILE, NotionStore, plain_id

log = logging.getLogger(__name__)
SCHEMA = """
CREATE TABLE IF NOT EXISTS postmortem_reports (scope text, key text, page text, parent text, PRIMARY KEY (scope, key));
CREATE TABLE IF NOT EXISTS postmortem_parents (scope text, wanted text, page text, PRIMARY KEY (scope, wanted));
"""
_pools: dict[str, object] = {}
_lock = threading.Lock()


def _pool(url: str):
    with _lock:
        if url not in _pools:
            from psycopg_pool import ConnectionPool

            _pools[url] = ConnectionPool(url, min_size=1, max_size=2, open=True, name="postmortem-notion-pages",
                                         kwargs={"autocommit": True})
        return _pools[url]


def ensure_schema(conn) -> None:
    conn.execute(SCHEMA)


class SharedNotionStore(NotionStore):
    """Which page is which incident's, and where reports go, in the shared database; the rest as NotionStore.
    Best effort like its parent: a database that does not answer reads as empty (the page is then found again
    among the parent's children, graph/publish/locate.py)."""

    def __init__(self, path: str | Path, base_url: str, token: str, url: str):
        super().__init__(path, base_url, token)
        self.url = url

    @classmethod
    def beside_shared(cls, checkpoint_db: str, base_url: str, token: str, url: str) -> SharedNotionStore:
        return cls(Path(checkpoint_db).parent / FILE, base_url, token, url)

    def _pg(self, sql: str, *args) -> list[tuple]:
        try:
            with _pool(self.url).connection(timeout=5) as conn:
                cur = conn.execute(sql, (self.scope, *args))
                return cur.fetchall() if cur.description else []
        except Exception:  # noqa: BLE001 - a cache of where pages are must never fail a run
            log.warning("the shared Notion page records could not be used", exc_info=True)
            return []

    def reports(self) -> dict[str, str]:
        return {plain_id(page): key for key, page in self._pg("SELECT key, page FROM postmortem_reports WHERE scope = %s")}

    def report_for(self, key: str) -> tuple[str, str | None] | None:
        rows = self._pg("SELECT page, parent FROM postmortem_reports WHERE scope = %s AND key = %s", key)
        return (rows[0][0], rows[0][1]) if rows else None

    def put_report(self, key: str, page_id: str, parent: str | None) -> None:
        self._pg("INSERT INTO postmortem_reports VALUES (%s, %s, %s, %s) ON CONFLICT (scope, key) DO UPDATE "
                 "SET page = EXCLUDED.page, parent = EXCLUDED.parent", key, page_id, parent)

    def forget_report(self, key: str) -> None:
        self._pg("DELETE FROM postmortem_reports WHERE scope = %s AND key = %s", key)

    def parent(self, wanted: str) -> str | None:
        rows = self._pg("SELECT page FROM postmortem_parents WHERE scope = %s AND wanted = %s", wanted)
        return rows[0][0] if rows else None

    def parents(self) -> set[str]:
        return {plain_id(page) for (page,) in self._pg("SELECT page FROM postmortem_parents WHERE scope = %s")}

    def put_parent(self, wanted: str, page_id: str | None) -> None:
        if page_id is None:
            self._pg("DELETE FROM postmortem_parents WHERE scope = %s AND wanted = %s", wanted)
        else:
            self._pg("INSERT INTO postmortem_parents VALUES (%s, %s, %s) ON CONFLICT (scope, wanted) DO UPDATE "
                     "SET page = EXCLUDED.page", wanted, page_id)


def store_for(checkpoint_db: str, base_url: str, token: str, database_url: str = "") -> NotionStore:
    """The run's Notion store: shared page records when processes share a database, else all local."""
    if database_url:
        return SharedNotionStore.beside_shared(checkpoint_db, base_url, token, database_url)
    return NotionStore.beside(checkpoint_db, base_url, token)
