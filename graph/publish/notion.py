"""Publishes report blocks to Notion once per incident: finds the page by its marker and updates it, else creates it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from notion_client import Client
from notion_client.helpers import extract_notion_id

from graph.analyze.report import Report
from graph.configuration import parent_titles
from graph.publish.blocks import text
from graph.publish.container import is_container, write_report
from graph.publish.locate import KEPT_TYPES, Found, block_plain, from_store, plain, scan
from graph.publish.notion_io import PublishError, call, delete_block
from graph.publish.target import configured_page, discover
from graph.sources.notion_store import NotionStore

STALE = ("object_not_found", "restricted_resource", "validation_error")  # a remembered parent may answer these


def resolve_parent(client: Client, parent_page_id: str | None, store: NotionStore | None = None,
                   titles: Sequence[str] | None = None) -> str:
    """The configured parent page, else the most recently edited shared page titled like a collection of
    post-mortems (`titles`, default POSTMORTEM_PARENT_TITLES; graph/publish/target.py, which also finds databases)."""
    if parent_page_id:
        return _resolved(store, parent_page_id, configured_page(client, parent_page_id)["id"])
    return _resolved(store, "", discover(client, parent_titles() if titles is None else titles, ("page",)).id)


def _resolved(store: NotionStore | None, wanted: str, page_id: str) -> str:
    if store:  # a re-run that finds its page through the store checks the page's parent against this
        store.put_parent(wanted, page_id)
    return page_id


def title_of(page: dict) -> str:
    for prop in page.get("properties", {}).values():
        if prop.get("type") == "title":
            return plain(prop.get("title", []))
    return ""


def publish_report(client: Client, blocks: list[dict], title: str, incident_key: str, *,
                   parent_page_id: str | None, new_page: bool = False, made_from: list[str] | None = None,
                   force: bool = False, store: NotionStore | None = None) -> dict:
    """Create or update the incident's page; returns {id, url, title, action: created|updated|kept, sources}.

    A page whose last version used a source missing from `made_from` is kept as it was unless `force`: an outage
    must not replace a complete report with a partial one. `store` (graph/sources/notion_store.py) remembers the
    page and where the parent is, so a re-run finds them without searching.
    """
    wanted = parent_page_id or ""
    cached = store.parent(wanted) if store else None
    try:
        return _publish(client, blocks, title, incident_key, parent_page_id, new_page, made_from, force, store, cached)
    except PublishError as exc:
        if not cached or exc.code not in STALE:
            raise
        store.put_parent(wanted, None)  # the remembered parent is gone or moved: look it up as on a first run
        return _publish(client, blocks, title, incident_key, parent_page_id, new_page, made_from, force, store, None)


def _publish(client: Client, blocks: list[dict], title: str, key: str, parent_page_id: str | None, new_page: bool,
             made_from: list[str] | None, force: bool, store: NotionStore | None, cached: str | None) -> dict:
    known = (extract_notion_id(parent_page_id) or parent_page_id) if parent_page_id else cached
    found = None if new_page else from_store(client, store, key, known)
    parent = _parent_of(found.page) if found else cached or resolve_parent(client, parent_page_id, store)
    if found is None and not new_page:
        found = scan(client, parent, key, store)
    if found and found.had and made_from is not None and not force and set(found.had) - set(made_from):
        page = found.page
        return {"id": page["id"], "url": page.get("url"), "title": title_of(page), "action": "kept",
                "sources": found.had}
    if found:
        page, action = _update(client, found, blocks, title), "updated"
    else:
        page, action = _create(client, blocks, title, parent, key, new_page), "created"
    if store:
        store.put_report(key, page["id"], parent)
    return {"id": page["id"], "url": page.get("url"), "title": title, "action": action}


def _parent_of(page: dict) -> str:
    return (page.get("parent") or {}).get("page_id") or ""


def _create(client: Client, blocks: list[dict], title: str, parent: str, key: str, new_page: bool) -> dict:
    def created() -> dict | None:  # a create that failed with 5xx may still have made the page
        found = None if new_page else scan(client, parent, key)
        return found.page if found else None

    return write_report(client, blocks[0], blocks[1:], create=lambda children: call(
        client.pages.create, done=created, parent={"page_id": parent}, properties={"title": {"title": text(title)}},
        children=children))


def _update(client: Client, found: Found, blocks: list[dict], title: str) -> dict:
    """The new report container goes in first, then the old one is deleted (one request however long it is): a
    failure midway leaves a complete report on the page. Sub-pages and blocks someone added beside it stay. Pages
    written before the container held the report as top-level blocks: those are deleted one by one, once."""
    page, marker = found.page, blocks[0]
    top = found.all_top(client)
    ours = [b for b in top if is_container(b, (page.get("created_by") or {}).get("id"))]
    old = ours or [b for b in top if b.get("type") not in KEPT_TYPES and b["id"] != found.marker["id"]]
    write_report(client, marker, blocks[1:], page_id=page["id"], after=(ours[-1] if ours else found.marker)["id"])
    for block in old:
        delete_block(client, block["id"])
    if block_plain(found.marker) != block_plain(marker):  # the marker is read back by re-runs: it changes last
        call(client.blocks.update, block_id=found.marker["id"], paragraph=marker["paragraph"])
    if title_of(page) != title:
        page = call(client.pages.update, page_id=page["id"], properties={"title": {"title": text(title)}})
    return page


def page_title(report: Report, started_at: str | None) -> str:
    """'Post-mortem: Promo code SUMMER25 rejected at checkout (2025-08-04)'."""
    title = re.sub(r"^post[- ]?mortem:\s*", "", report.title.strip(), flags=re.I) or "Incident"
    return f"Post-mortem: {title}" + (f" ({started_at[:10]})" if started_at else "")
