"""Publishes report blocks to Notion once per incident: finds the page by its marker and updates it, else creates it."""

from __future__ import annotations

import re

from notion_client import Client
from notion_client.helpers import extract_notion_id

from graph.analyze.report import Report
from graph.publish.blocks import text
from graph.publish.marker import read_marker
from graph.publish.notion_io import HOW_TO_SHARE, PublishError, call, delete_block, iter_children, write_blocks

PARENT_TITLES = ("post mortems", "post-mortems", "postmortems")
KEPT_TYPES = ("child_page", "child_database")  # what an update leaves on the page
NOT_SHARED = ("The Notion page {page} was not found: it is not shared with the integration (or does not exist). "
              "To share it, " + HOW_TO_SHARE + ", or set NOTION_PARENT_PAGE_ID to a page that is shared.")
NO_PARENT = ("No Notion page to publish under: set NOTION_PARENT_PAGE_ID to the id of a Notion page, or create a page "
             "titled 'Post Mortems' and share it with the integration (" + HOW_TO_SHARE + ").")


def resolve_parent(client: Client, parent_page_id: str | None) -> str:
    """The configured parent page, else a shared page titled 'Post Mortems' (or a spelling of it)."""
    if parent_page_id:
        page = extract_notion_id(parent_page_id) or parent_page_id
        try:
            return call(client.pages.retrieve, page_id=page)["id"]
        except PublishError as exc:
            if exc.code in ("object_not_found", "validation_error", "restricted_resource"):
                raise PublishError(NOT_SHARED.format(page=parent_page_id), exc.code) from exc
            raise
    for query in ("Post Mortems", "Post-Mortems", "Postmortems"):
        res = call(client.search, query=query, filter={"property": "object", "value": "page"}, page_size=100)
        for page in res.get("results", []):
            if not page.get("in_trash") and title_of(page).strip().lower() in PARENT_TITLES:
                return page["id"]
    raise PublishError(NO_PARENT, "no_parent")


def title_of(page: dict) -> str:
    for prop in page.get("properties", {}).values():
        if prop.get("type") == "title":
            return plain(prop.get("title", []))
    return ""


def plain(rich: list[dict]) -> str:
    return "".join(r.get("plain_text") or r.get("text", {}).get("content", "") for r in rich)


def find_page(client: Client, parent_id: str, key: str) -> str | None:
    """The child page whose first block is this incident's marker paragraph."""
    found = find_marked(client, parent_id, key)
    return found[0] if found else None


def find_marked(client: Client, parent_id: str, key: str) -> tuple[str, list[str] | None] | None:
    """(page id, sources its version was made from, None if not recorded) of this incident's page."""
    for child in iter_children(client, parent_id):
        if child.get("type") != "child_page" or child.get("in_trash") or child.get("archived"):
            continue
        if not child["child_page"].get("title", "").lower().startswith("post-mortem"):
            continue
        head = call(client.blocks.children.list, block_id=child["id"], page_size=10).get("results", [])
        # Sub-pages kept on update sit before the report, so the marker is the first block that is not one.
        first = next((b for b in head if b.get("type") not in KEPT_TYPES), {})
        marker = read_marker(plain(first.get(first.get("type", ""), {}).get("rich_text", [])))
        if marker and marker[0] == key:
            return child["id"], marker[1]
    return None


def publish_report(client: Client, blocks: list[dict], title: str, incident_key: str, *,
                   parent_page_id: str | None, new_page: bool = False, made_from: list[str] | None = None,
                   force: bool = False) -> dict:
    """Create or update the incident's page; returns {id, url, title, action: created|updated|kept, sources}.

    A page whose last version used a source missing from `made_from` is kept as it was unless `force`: an outage
    must not replace a complete report with a partial one.
    """
    parent = resolve_parent(client, parent_page_id)
    props = {"title": {"title": text(title)}}
    existing, had = (None if new_page else find_marked(client, parent, incident_key)) or (None, None)
    if existing and had and made_from is not None and not force and set(had) - set(made_from):
        page = call(client.pages.retrieve, page_id=existing)
        return {"id": page["id"], "url": page.get("url"), "title": title_of(page), "action": "kept", "sources": had}
    if existing:
        # Sub-pages and databases someone added under the report are theirs: only the report's blocks are replaced.
        old = [b["id"] for b in iter_children(client, existing) if b["type"] not in KEPT_TYPES]
        page = call(client.pages.update, page_id=existing, properties=props)
        # New content first, then the old removed: a failure midway leaves a complete report on the page.
        write_blocks(client, existing, blocks)
        for block_id in old:
            delete_block(client, block_id)
        return {"id": page["id"], "url": page.get("url"), "title": title, "action": "updated"}

    def created() -> dict | None:  # a create that failed with 5xx may still have made the page
        found = None if new_page else find_page(client, parent, incident_key)
        return call(client.pages.retrieve, page_id=found) if found else None

    page = write_blocks(client, parent, blocks, create=lambda first: call(
        client.pages.create, done=created, parent={"page_id": parent}, properties=props, children=first))
    return {"id": page["id"], "url": page.get("url"), "title": title, "action": "created"}


def page_title(report: Report, started_at: str | None) -> str:
    """'Post-mortem: Promo code SUMMER25 rejected at checkout (2025-08-04)'."""
    title = re.sub(r"^post[- ]?mortem:\s*", "", report.title.strip(), flags=re.I) or "Incident"
    return f"Post-mortem: {title}" + (f" ({started_at[:10]})" if started_at else "")
