"""Notion source: pages whose title or body matches, reading few bodies: titles and edit times decide which."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from notion_client import APIResponseError, Client
from notion_client.errors import HTTPResponseError, RequestTimeoutError

from graph.configuration import Configuration
from graph.evidence import Evidence, iso, parse_iso
from graph.sources.base import SourceError
from graph.sources.notion_http import IN_FLIGHT, gated_client
from graph.sources.notion_pages import Reader, block_text, is_report, title_of
from graph.sources.notion_select import choose, edited, parent_hint, title_hits, usable
from graph.sources.notion_shared import store_for
from graph.sources.notion_store import NotionStore, plain_id
from graph.sources.retry import Budget, attempts_note, notion_failure, retrying
from graph.terms import is_match, match_count

__all__ = ["NotionSource", "block_text", "call", "make_client", "title_of"]
MAX_LISTED = 3  # requests of 100 pages listed by last edit, looking for the window's start
MAX_TEXT = 4000


def make_client(cfg: Configuration) -> Client:
    # The client's own retries are off: they would wait outside the source's budget and skip POST 5xx (search).
    return gated_client(cfg.notion_token, cfg.notion_base_url, cfg.http_timeout_s, cfg.notion_rate)


def call(fn, *args, budget: Budget | None = None, **kw):
    """One Notion request, retried on 429 (after Retry-After), 5xx and dropped connections within the budget."""
    return retrying(lambda: fn(*args, **kw), notion_failure, budget or Budget(60.0))


class NotionSource:
    name = "notion"

    def __init__(self, cfg: Configuration, client: Client | None = None, budget: Budget | None = None,
                 store: NotionStore | None = None):
        if not cfg.notion_token and client is None:  # an MCP server's adapter holds no token of ours
            raise SourceError("NOTION_TOKEN is not set")
        self.client = client or make_client(cfg)
        self.budget = budget or Budget(cfg.source_budget_s)
        self.store = store or store_for(cfg.checkpoint_db, cfg.notion_base_url, cfg.notion_token, cfg.database_url)
        self.reader = Reader(self.client, self._call, self.store)

    def _call(self, fn, *args, **kw):
        try:
            return call(fn, *args, budget=self.budget, **kw)
        except APIResponseError as exc:
            raise SourceError(f"Notion answered {exc.status} {exc.code}{attempts_note(exc)}: {exc}") from None
        except (HTTPResponseError, RequestTimeoutError, httpx.TransportError) as exc:
            raise SourceError(f"Notion could not be reached ({type(exc).__name__}{attempts_note(exc)})") from None

    def _evidence(self, page: dict, text: str, terms: list[str], names: dict[str, str | None]) -> Evidence:
        title = title_of(page)
        return Evidence(source="notion", ref=page["id"], title=title, url=page.get("url", ""),
                        at=iso(parse_iso(page["created_time"])), edited=iso(parse_iso(page["last_edited_time"])),
                        author=names.get(_author_id(page)),
                        text=(title + "\n" + text)[:MAX_TEXT], kind="page", matched=is_match(title + " " + text, terms),
                        score=float(match_count(title + " " + text, terms)))

    def _search(self, query: str, requests: int):
        """Pages whose title holds `query` ('' = all), last edited first: up to `requests` requests of 100.
        Yields each request's pages and whether more follow."""
        cursor = None
        for _ in range(requests):
            kw = {"query": query, "page_size": 100, "filter": {"property": "object", "value": "page"},
                  "sort": {"timestamp": "last_edited_time", "direction": "descending"}}
            if cursor:
                kw["start_cursor"] = cursor
            data = self._call(self.client.search, **kw)
            cursor = data.get("next_cursor")
            more = bool(data.get("has_more") and cursor)
            yield data["results"], more
            if not more:
                return

    def _listing(self, oldest) -> tuple[list[dict], bool]:
        """Pages by last edit, newest first, until one older than the window; complete when that was all of them."""
        listed: list[dict] = []
        for results, more in self._search("", MAX_LISTED):
            listed += results
            if not more:
                return listed, True
            if results and edited(results[-1]) < oldest:
                break
        return listed, False

    def gather(self, plan: dict) -> list[Evidence]:
        terms, queries = plan["terms"], plan.get("queries") or plan["terms"]
        oldest, latest = parse_iso(plan["window"]["oldest"]), parse_iso(plan["window"]["latest"])
        listed, complete = self._listing(oldest)
        pages = {p["id"]: p for p in listed}
        # A listing of every page shows every title: title searches would only repeat it.
        hits = title_hits(listed, queries, terms) if complete else set()
        for query in [] if complete else queries:
            for results, _ in self._search(query, 1):  # newest first: the window's matches lead
                hits |= {p["id"] for p in results}
                pages |= {p["id"]: p for p in results if p["id"] not in pages}
        if hint := parent_hint(listed, complete):
            self.store.put_parent("", hint)  # publishing then needs no search for its parent
        ours, cached = set(self.store.reports()) | self.store.parents(), self.store.bodies(pages)
        candidates = [p for p in pages.values() if usable(p, latest, ours, cached)]
        chosen, groups = choose(candidates, hits, cached, terms, oldest)
        texts = self.reader.texts(chosen + (groups[0] if groups else []), cached)
        for following in groups[1:]:  # further back only while no page but a title match is about the incident
            if any(_matches(pages[pid], text, terms) for pid, text in texts.items() if pid not in hits):
                break
            texts |= self.reader.texts(following, cached)
        matched = [p for p in pages.values() if p["id"] in texts and _matches(p, texts[p["id"]], terms)]
        names = self.reader.names({a for p in matched if (a := _author_id(p))})
        return sorted((self._evidence(p, texts[p["id"]], terms, names) for p in matched), key=lambda e: e.at)

    def fetch(self, refs: list[str]) -> list[Evidence]:
        """Pages linked from the evidence: one request each for its last edit, its body only if that changed."""
        def page(ref: str) -> dict | None:
            try:
                return self._call(self.client.pages.retrieve, page_id=ref)
            except SourceError:
                return None  # a dead or unshared link: the report notes what it has, not what it couldn't open

        with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
            reports = self.store.reports()
            pages = [p for p in pool.map(page, refs) if p and plain_id(p["id"]) not in reports]
        texts = self.reader.texts(pages, self.store.bodies(p["id"] for p in pages))
        pages = [p for p in pages if not is_report(texts[p["id"]])]
        names = self.reader.names({a for p in pages if (a := _author_id(p))})
        return [self._evidence(p, texts[p["id"]], [], names) for p in pages]


def _matches(page: dict, text: str, terms: list[str]) -> bool:
    return not is_report(text) and is_match(title_of(page) + " " + text, terms)


def _author_id(page: dict) -> str | None:
    return (page.get("created_by") or {}).get("id")
