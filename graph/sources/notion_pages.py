"""Notion page bodies and authors for the Notion source: from the local store when unchanged, else read a few at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

from notion_client import Client

from graph.sources.notion_http import IN_FLIGHT
from graph.sources.notion_store import NotionStore, Person
from graph.terms import MARKER

MAX_DEPTH = 3  # nested blocks read below a page's top level
MAX_USER_PAGES = 10  # users list requests (100 users each) per run
SKIPPED = ("child_page", "child_database")  # a sub-page or database is its own item, not part of this page's text


def title_of(page: dict) -> str:
    for prop in (page.get("properties") or {}).values():
        if prop.get("type") == "title":
            return "".join(t.get("plain_text", "") for t in prop.get("title", []))
    return ""


def block_text(block: dict) -> str:
    data = block.get(block.get("type", ""), {}) or {}
    if block.get("type") == "table_row":
        return " | ".join("".join(t.get("plain_text", "") for t in cell) for cell in data.get("cells", []))
    text = "".join(t.get("plain_text", "") + (f" ({t['href']})" if t.get("href") else "")
                   for t in data.get("rich_text", []))
    if block.get("type") == "to_do":
        text = ("[x] " if data.get("checked") else "[ ] ") + text
    return text


def is_report(text: str | None) -> bool:
    """A page this bot published (its first line is the marker): never evidence, for itself or anything else."""
    return text is not None and text.startswith(MARKER)


class Reader:
    """Reads page bodies (top level, then nested blocks) and author names for one source instance.

    `call` is the source's request wrapper: retries within its budget, failures as SourceError."""

    def __init__(self, client: Client, call: Callable, store: NotionStore):
        self.client, self.call, self.store = client, call, store
        self.people: dict[str, Person] = {}
        self.listed = False
        self.read_ids: list[str] = []  # pages whose bodies were requested by this instance

    def texts(self, pages: list[dict], cached: dict[str, tuple[str, str]]) -> dict[str, str]:
        """Each page's text (a report's is its marker line). A page whose last edit is the cached one costs no
        request; the others are read up to IN_FLIGHT at once and stored for the next run."""
        out = {p["id"]: cached[p["id"]][1] for p in pages if cached.get(p["id"], ("",))[0] == p["last_edited_time"]}
        todo = [p for p in pages if p["id"] not in out]
        if todo:
            with ThreadPoolExecutor(max_workers=min(IN_FLIGHT, len(todo))) as pool:
                read = list(pool.map(lambda p: self.read(p["id"]), todo))
            self.store.put_bodies((p["id"], p["last_edited_time"], text) for p, text in zip(todo, read, strict=True))
            out |= {p["id"]: text for p, text in zip(todo, read, strict=True)}
        return out

    def read(self, page_id: str) -> str:
        """The page's non-empty lines, nested ones indented; only the marker line when it is one of our reports."""
        self.read_ids.append(page_id)
        lines: list[str] = []
        blocks = self.lines(page_id)
        for line in blocks:
            if not line.strip():
                continue
            if not lines and line.startswith(MARKER):
                blocks.close()  # a report: its content is never read
                return line
            lines.append(line)
        return "\n".join(lines)

    def lines(self, block_id: str, depth: int = 0) -> Iterator[str]:
        cursor = None
        while True:
            kw = {"block_id": block_id, "page_size": 100} | ({"start_cursor": cursor} if cursor else {})
            data = self.call(self.client.blocks.children.list, **kw)
            for b in data["results"]:
                if b.get("type") in SKIPPED:
                    continue
                yield "  " * depth + block_text(b)
                if b.get("has_children") and depth < MAX_DEPTH:
                    yield from self.lines(b["id"], depth + 1)
            cursor = data.get("next_cursor")
            if not data.get("has_more") or not cursor:
                return

    def names(self, user_ids: set[str]) -> dict[str, str | None]:
        """Names of these users: from the store, else from one users list per run (a name is a nicety: a page is
        evidence without it)."""
        if not self.people:
            self.people = self.store.people()
        missing = {u for u in user_ids if u not in self.people}
        if missing and not self.listed:
            self.listed = True
            users = self._list_users()
            found = {u["id"] for u in users}
            users += [{"id": u, "name": None} for u in missing - found]  # not listed (left, or a guest): remembered
            self.store.put_people(users)
            self.people |= {u["id"]: Person(u.get("name"), u.get("type") == "bot") for u in users}
        return {u: self.people[u].name if u in self.people else None for u in user_ids}

    def _list_users(self) -> list[dict]:
        users, cursor = [], None
        try:
            for _ in range(MAX_USER_PAGES):
                data = self.call(self.client.users.list, page_size=100, **({"start_cursor": cursor} if cursor else {}))
                users += data.get("results", [])
                cursor = data.get("next_cursor")
                if not data.get("has_more") or not cursor:
                    break
        except Exception:  # noqa: BLE001 - e.g. an integration without user information capabilities
            pass
        return users
