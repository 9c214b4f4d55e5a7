"""Notion source: pages whose title or body matches, including pages edited in the window (search is title-only)."""

from __future__ import annotations

import httpx
from notion_client import APIResponseError, Client
from notion_client.errors import HTTPResponseError, RequestTimeoutError

from graph.configuration import Configuration
from graph.evidence import Evidence, iso, parse_iso
from graph.sources.base import SourceError
from graph.sources.retry import Budget, attempts_note, notion_failure, retrying
from graph.terms import MARKER, is_match, match_count

MAX_BODY_READS = 150  # pages edited in the window whose bodies we read; bounds requests on big workspaces
MAX_TEXT = 4000


def make_client(cfg: Configuration) -> Client:
    # The client's own retries are off: they would wait outside the source's budget and skip POST 5xx (search).
    return Client(auth=cfg.notion_token, base_url=cfg.notion_base_url, timeout_ms=int(cfg.http_timeout_s * 1000),
                  retry=False)


def call(fn, *args, budget: Budget | None = None, **kw):
    """One Notion request, retried on 429 (after Retry-After), 5xx and dropped connections within the budget."""
    return retrying(lambda: fn(*args, **kw), notion_failure, budget or Budget(60.0))


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


class NotionSource:
    name = "notion"

    def __init__(self, cfg: Configuration, client: Client | None = None, budget: Budget | None = None):
        if not cfg.notion_token:
            raise SourceError("NOTION_TOKEN is not set")
        self.client = client or make_client(cfg)
        self.budget = budget or Budget(cfg.source_budget_s)
        self._users: dict[str, str | None] = {}

    def _call(self, fn, *args, **kw):
        try:
            return call(fn, *args, budget=self.budget, **kw)
        except APIResponseError as exc:
            raise SourceError(f"Notion answered {exc.status} {exc.code}{attempts_note(exc)}: {exc}") from None
        except (HTTPResponseError, RequestTimeoutError, httpx.TransportError) as exc:
            raise SourceError(f"Notion could not be reached ({type(exc).__name__}{attempts_note(exc)})") from None

    def body(self, block_id: str, depth: int = 0) -> list[str]:
        lines, cursor = [], None
        while True:
            kw = {"block_id": block_id, "page_size": 100}
            if cursor:
                kw["start_cursor"] = cursor
            data = self._call(self.client.blocks.children.list, **kw)
            for b in data["results"]:
                if b.get("type") == "child_page":
                    continue  # a sub-page is its own evidence item, not part of this one
                lines.append(block_text(b))
                if b.get("has_children") and depth < 3:
                    lines.extend("  " + t for t in self.body(b["id"], depth + 1))
            cursor = data.get("next_cursor")
            if not data.get("has_more") or not cursor:
                return lines

    def _author(self, page: dict) -> str | None:
        uid = (page.get("created_by") or {}).get("id")
        if uid and uid not in self._users:
            try:
                self._users[uid] = call(self.client.users.retrieve, user_id=uid, budget=self.budget).get("name")
            except Exception:  # noqa: BLE001 - a name is a nicety; the page is still evidence without it
                self._users[uid] = None
        return self._users.get(uid)

    def _evidence(self, page: dict, text: str, terms: list[str]) -> Evidence:
        title = title_of(page)
        return Evidence(source="notion", ref=page["id"], title=title, url=page.get("url", ""),
                        at=iso(parse_iso(page["created_time"])), author=self._author(page),
                        text=(title + "\n" + text)[:MAX_TEXT], kind="page", matched=is_match(title + " " + text, terms),
                        score=float(match_count(title + " " + text, terms)))

    def _search(self, query: str):
        cursor = None
        while True:
            kw = {"query": query, "page_size": 100, "filter": {"property": "object", "value": "page"},
                  "sort": {"timestamp": "last_edited_time", "direction": "descending"}}
            if cursor:
                kw["start_cursor"] = cursor
            data = self._call(self.client.search, **kw)
            yield from data["results"]
            cursor = data.get("next_cursor")
            if not data.get("has_more") or not cursor:
                return

    def gather(self, plan: dict) -> list[Evidence]:
        terms, oldest = plan["terms"], parse_iso(plan["window"]["oldest"])
        latest = parse_iso(plan["window"]["latest"])
        candidates: dict[str, dict] = {}
        for term in plan.get("queries") or terms:
            for page in self._search(term):
                candidates.setdefault(page["id"], page)
        for n, page in enumerate(self._search("")):  # newest edits first: stop at the window's start
            if parse_iso(page["last_edited_time"]) < oldest or n >= MAX_BODY_READS:
                break
            candidates.setdefault(page["id"], page)
        out = []
        for page in candidates.values():
            if page.get("in_trash") or page.get("archived") or parse_iso(page["created_time"]) > latest:
                continue
            text = "\n".join(t for t in self.body(page["id"]) if t.strip())
            if text.startswith(MARKER):
                continue
            ev = self._evidence(page, text, terms)
            if ev.matched:
                out.append(ev)
        return sorted(out, key=lambda e: e.at)

    def fetch(self, refs: list[str]) -> list[Evidence]:
        out = []
        for ref in refs:
            try:
                page = self._call(self.client.pages.retrieve, page_id=ref)
            except SourceError:
                continue  # a dead or unshared link: the report notes what it has, not what it couldn't open
            text = "\n".join(t for t in self.body(page["id"]) if t.strip())
            if not text.startswith(MARKER):
                out.append(self._evidence(page, text, []))
        return out
