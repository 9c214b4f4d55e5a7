"""A local SQLite cache beside the run checkpoints: Notion page bodies by last edit, people, our published pages."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PEOPLE_TTL_S = 7 * 86400  # names change (and people join): the users list is read again after a week
FILE = "notion-cache.sqlite"  # its own file: the checkpointer holds its database's lock during a run
SCHEMA = """
CREATE TABLE IF NOT EXISTS bodies (scope TEXT, page TEXT, edited TEXT, text TEXT, PRIMARY KEY (scope, page));
CREATE TABLE IF NOT EXISTS people (scope TEXT, id TEXT, name TEXT, bot INTEGER, seen REAL, PRIMARY KEY (scope, id));
CREATE TABLE IF NOT EXISTS reports (scope TEXT, key TEXT, page TEXT, parent TEXT, PRIMARY KEY (scope, key));
CREATE TABLE IF NOT EXISTS parents (scope TEXT, wanted TEXT, page TEXT, PRIMARY KEY (scope, wanted));
"""


@dataclass(frozen=True)
class Person:
    name: str | None
    bot: bool


def plain_id(page_id: str) -> str:
    return page_id.replace("-", "").lower()


class NotionStore:
    """What earlier runs read from and wrote to one Notion integration. Every method is best effort: a store that
    cannot be opened or written behaves as an empty one, because it only saves requests and must never fail a run."""

    def __init__(self, path: str | Path, base_url: str, token: str):
        self.path = Path(path)
        self._ready = False  # schema created; every call used to run the whole script again
        # Entries of one integration on one Notion: another token or a sandbox on another port sees other pages.
        self.scope = hashlib.sha256(f"{base_url}\n{token}".encode()).hexdigest()[:16]

    @classmethod
    def beside(cls, checkpoint_db: str, base_url: str, token: str) -> NotionStore:
        return cls(Path(checkpoint_db).parent / FILE, base_url, token)

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection | None]:
        conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5)
            if not self._ready:
                conn.executescript(SCHEMA)
                self._ready = True
        except (sqlite3.Error, OSError):
            if conn is not None:
                conn.close()
            yield None
            return
        try:
            with conn:  # one transaction per call: bot workers share the file
                yield conn
        except sqlite3.Error:
            pass  # read as empty, written as nothing
        finally:
            conn.close()

    def _rows(self, sql: str, *args) -> list[tuple]:
        with self._db() as db:
            return db.execute(sql, (self.scope, *args)).fetchall() if db else []
        return []

    def _write(self, sql: str, rows: Iterable[tuple]) -> None:
        with self._db() as db:
            if db:
                db.executemany(sql, [(self.scope, *r) for r in rows])

    # --- page bodies -------------------------------------------------------------------------------------------

    def bodies(self, pages: Iterable[str]) -> dict[str, tuple[str, str]]:
        """page id -> (last_edited_time it was read at, text), for those of these pages read before."""
        pages, out = list(pages), {}
        for i in range(0, len(pages), 500):  # SQLite caps the parameters of one statement
            chunk = pages[i:i + 500]
            marks = ",".join("?" * len(chunk))
            out |= {page: (edited, text) for page, edited, text in self._rows(
                f"SELECT page, edited, text FROM bodies WHERE scope = ? AND page IN ({marks})", *chunk)}
        return out

    def put_bodies(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """(page id, last_edited_time, text): one version per page, the latest read."""
        self._write("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?)", rows)

    # --- people ------------------------------------------------------------------------------------------------

    def people(self) -> dict[str, Person]:
        """User id -> name (None: not in the users list) and whether it is a bot, as listed within PEOPLE_TTL_S."""
        return {uid: Person(name, bool(bot)) for uid, name, bot in self._rows(
            "SELECT id, name, bot FROM people WHERE scope = ? AND seen > ?", time.time() - PEOPLE_TTL_S)}

    def put_people(self, users: Iterable[dict]) -> None:
        """Users as Notion lists them: persons and bots (our own pages are created by a bot)."""
        now = time.time()
        self._write("INSERT OR REPLACE INTO people VALUES (?, ?, ?, ?, ?)",
                    [(u["id"], u.get("name"), int(u.get("type") == "bot"), now) for u in users if u.get("id")])

    # --- published pages ---------------------------------------------------------------------------------------

    def reports(self) -> dict[str, str]:
        """Plain page id -> incident key of every report page known: never evidence, never worth reading."""
        return {plain_id(page): key for key, page in self._rows("SELECT key, page FROM reports WHERE scope = ?")}

    def report_for(self, key: str) -> tuple[str, str | None] | None:
        """(page id, parent page id) of the incident's page as last published or seen."""
        rows = self._rows("SELECT page, parent FROM reports WHERE scope = ? AND key = ?", key)
        return (rows[0][0], rows[0][1]) if rows else None

    def put_report(self, key: str, page_id: str, parent: str | None) -> None:
        self._write("INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?)", [(key, page_id, parent)])

    def forget_report(self, key: str) -> None:
        self._write("DELETE FROM reports WHERE scope = ? AND key = ?", [(key,)])

    # --- where reports go --------------------------------------------------------------------------------------

    def parent(self, wanted: str) -> str | None:
        """The page a parent setting resolved to ('' = found by title), or a title hint from gathering."""
        rows = self._rows("SELECT page FROM parents WHERE scope = ? AND wanted = ?", wanted)
        return rows[0][0] if rows else None

    def parents(self) -> set[str]:
        """Plain ids of the pages reports are published under: folders of reports, not evidence."""
        return {plain_id(page) for (page,) in self._rows("SELECT page FROM parents WHERE scope = ?")}

    def put_parent(self, wanted: str, page_id: str | None) -> None:
        if page_id is None:
            self._write("DELETE FROM parents WHERE scope = ? AND wanted = ?", [(wanted,)])
        else:
            self._write("INSERT OR REPLACE INTO parents VALUES (?, ?, ?)", [(wanted, page_id)])
