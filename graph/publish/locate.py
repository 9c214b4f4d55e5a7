"""Finding an incident's page again: from the local store in two requests, else among the parent's child pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from notion_client import Client

from graph.publish.marker import read_marker
from graph.publish.notion_io import PublishError, call, iter_children
from graph.sources.notion_store import NotionStore, plain_id

KEPT_TYPES = ("child_page", "child_database")  # what an update leaves on the page
MAX_CANDIDATES = 25  # child pages read when looking for the marker without the store: newest first


def plain(rich: list[dict]) -> str:
    return "".join(r.get("plain_text") or r.get("text", {}).get("content", "") for r in rich)


def block_plain(block: dict) -> str:
    return plain((block.get(block.get("type", ""), {}) or {}).get("rich_text", []))


@dataclass
class Found:
    """The incident's page: the page object, its top-level blocks and its marker block."""

    page: dict
    top: list[dict]
    marker: dict
    had: list[str] | None  # the sources its version was made from; None when not recorded
    more: str | None = field(default=None)  # cursor of top-level blocks past the first 100

    def all_top(self, client: Client) -> list[dict]:
        if not self.more:
            return self.top
        rest = []
        cursor = self.more
        while cursor:
            res = call(client.blocks.children.list, block_id=self.page["id"], page_size=100, start_cursor=cursor)
            rest += res.get("results", [])
            cursor = res.get("next_cursor") if res.get("has_more") else None
        return self.top + rest


def read_head(client: Client, page_id: str, key: str) -> tuple[list[dict], dict, list[str] | None, str | None] | None:
    """(top-level blocks, marker block, sources, cursor) when the page's marker names `key`. One request: the marker
    is the first block other than sub-pages (kept on update, they may sit above it on pages written before)."""
    res = call(client.blocks.children.list, block_id=page_id, page_size=100)
    top = res.get("results", [])
    first = next((b for b in top if b.get("type") not in KEPT_TYPES), None)
    marker = read_marker(block_plain(first)) if first else None
    if not marker or marker[0] != key:
        return None
    return top, first, marker[1], res.get("next_cursor") if res.get("has_more") else None


def _live(page: dict) -> bool:
    return not (page.get("in_trash") or page.get("archived"))


def from_store(client: Client, store: NotionStore | None, key: str, parent: str | None) -> Found | None:
    """The page the store remembers for this key, if it is still live, under `parent` and marked with the key."""
    known = store.report_for(key) if store and parent else None
    if not known or plain_id(known[1] or "") != plain_id(parent):
        return None
    try:
        page = call(client.pages.retrieve, page_id=known[0])
    except PublishError as exc:
        if exc.code not in ("object_not_found", "restricted_resource", "validation_error"):
            raise
        page = {}
    head = read_head(client, page["id"], key) if page and _live(page) and _parent_of(page) == plain_id(parent) \
        else None
    if head is None:
        store.forget_report(key)  # gone, moved or re-purposed: look for it the long way
        return None
    return Found(page, head[0], head[1], head[2], head[3])


def _parent_of(page: dict) -> str:
    return plain_id((page.get("parent") or {}).get("page_id") or "")


def scan(client: Client, parent: str, key: str, store: NotionStore | None = None) -> Found | None:
    """The parent's child page whose marker names `key`. Pages created by a person are not ours and are skipped
    (the store knows who is a person from the users list); the newest candidates are read first, at most
    MAX_CANDIDATES of them."""
    people = store.people() if store else {}
    candidates = [c for c in iter_children(client, parent)
                  if c.get("type") == "child_page" and _live(c)
                  and c["child_page"].get("title", "").lower().startswith("post-mortem")
                  and not _by_a_person(c, people)]
    for child in reversed(candidates[-MAX_CANDIDATES:]):
        head = read_head(client, child["id"], key)
        if head:
            page = call(client.pages.retrieve, page_id=child["id"])
            return Found(page, head[0], head[1], head[2], head[3])
    return None


def _by_a_person(block: dict, people: dict) -> bool:
    who = people.get((block.get("created_by") or {}).get("id"))
    return who is not None and not who.bot
