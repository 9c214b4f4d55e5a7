"""Publishes the report as a row of a Notion database (NOTION_DATABASE_ID), once per incident: found again, updated."""

from __future__ import annotations

from collections.abc import Iterator

from notion_client import Client
from notion_client.helpers import extract_notion_id

from graph.publish.database_props import Roles, find_owner, roles, row_properties
from graph.publish.marker import read_marker
from graph.publish.notion_io import HOW_TO_SHARE, PublishError, call, delete_block, iter_children, write_blocks

KEPT_TYPES = ("child_page", "child_database")  # what an update leaves on the row, as on a report page

NOT_SHARED = ("The Notion database {db} was not found: it is not shared with the integration (or does not exist). "
              "To share it, " + HOW_TO_SHARE.replace("the page", "the database") + ", or set NOTION_DATABASE_ID to "
              "a database that is shared.")
NO_SOURCE = "The Notion database '{title}' has no data source to add rows to; add a table view to it in Notion."
SEVERAL = ("The Notion database '{title}' has several data sources ({names}); set NOTION_DATA_SOURCE_ID to the one "
           "post-mortems go to.")
NOT_ITS_SOURCE = ("NOTION_DATA_SOURCE_ID {given} is not a data source of the Notion database '{title}'; "
                  "it has {names}.")
NO_TITLE = ("The Notion data source '{name}' has no title property, so its rows cannot be named; give it a title "
            "property in Notion (or set NOTION_DATABASE_ID to another database).")
PREFIX = "Post-mortem"  # without an incident key property, only rows titled like a report are opened to find it


def plain(rich: list[dict]) -> str:
    return "".join(r.get("plain_text") or r.get("text", {}).get("content", "") for r in rich)


def title_of(row: dict) -> str:
    return next((plain(p.get("title", [])) for p in (row.get("properties") or {}).values()
                 if p.get("type") == "title"), "")


def _sid(raw: str) -> str:
    return (extract_notion_id(raw) or raw).replace("-", "").lower()


def resolve_source(client: Client, database_id: str, data_source_id: str | None = None) -> dict:
    """The data source rows go into: the database's only one, or the one NOTION_DATA_SOURCE_ID names."""
    db_id = extract_notion_id(database_id) or database_id
    try:
        db = call(client.databases.retrieve, database_id=db_id)
    except PublishError as exc:
        if exc.code not in ("object_not_found", "validation_error", "restricted_resource"):
            raise
        try:  # Notion's "copy data source ID" gives the source's id: accept it in place of the database's
            return _checked(call(client.data_sources.retrieve, data_source_id=db_id))
        except PublishError:
            raise PublishError(NOT_SHARED.format(db=database_id), exc.code) from exc
    title, sources = plain(db.get("title") or []) or "Untitled", db.get("data_sources") or []
    listed = ", ".join(f"'{s.get('name') or 'Untitled'}' ({s['id']})" for s in sources)
    if data_source_id:
        chosen = [s for s in sources if s["id"].replace("-", "") == _sid(data_source_id)]
        if not chosen:
            raise PublishError(NOT_ITS_SOURCE.format(given=data_source_id, title=title, names=listed or "none"),
                               "unknown_data_source")
    elif not sources:
        raise PublishError(NO_SOURCE.format(title=title), "no_data_source")
    elif len(sources) > 1:
        raise PublishError(SEVERAL.format(title=title, names=listed), "several_data_sources")
    else:
        chosen = sources
    return _checked(call(client.data_sources.retrieve, data_source_id=chosen[0]["id"]))


def _checked(source: dict) -> dict:
    if roles(source.get("properties") or {}).title is None:
        raise PublishError(NO_TITLE.format(name=plain(source.get("title") or []) or source["id"]), "no_title")
    return source


def _rows(client: Client, source_id: str, flt: dict) -> Iterator[dict]:
    cursor = None
    while True:
        kw = {"start_cursor": cursor} if cursor else {}
        res = call(client.data_sources.query, data_source_id=source_id, filter=flt, page_size=100, **kw)
        yield from res.get("results", [])
        cursor = res.get("next_cursor")
        if not res.get("has_more") or not cursor:
            return


def _marker(client: Client, row_id: str) -> tuple[str, list[str] | None] | None:
    head = call(client.blocks.children.list, block_id=row_id, page_size=10).get("results", [])
    first = next((b for b in head if b.get("type") not in KEPT_TYPES), {})
    return read_marker(plain(first.get(first.get("type", ""), {}).get("rich_text", [])))


def find_row(client: Client, source: dict, r: Roles, key: str) -> tuple[dict, list[str] | None] | None:
    """(row, sources its version was made from) of this incident: by the key property when the database has one
    (the row's marker then only tells the sources), else the first row titled like a report whose marker has it."""
    flt = ({"property": r.key, "rich_text": {"equals": key}} if r.key
           else {"property": r.title, "title": {"starts_with": PREFIX}})
    for row in _rows(client, source["id"], flt):
        if row.get("in_trash") or row.get("archived"):
            continue
        marker = _marker(client, row["id"])
        if marker and marker[0] == key:
            return row, marker[1]
        if r.key:
            return row, None
    return None


def publish_row(client: Client, blocks: list[dict], title: str, incident_key: str, *, database_id: str,
                data_source_id: str | None = None, started: str | None = None, owners: list[str] | None = None,
                new_page: bool = False, made_from: list[str] | None = None, force: bool = False) -> dict:
    """Create or update the incident's row; returns {id, url, title, action: created|updated|kept, sources?}.

    As with pages, a row whose last version used a source missing from `made_from` is kept unless `force`.
    """
    source = resolve_source(client, database_id, data_source_id)
    schema = source["properties"]
    r = roles(schema)
    row, had = (None if new_page else find_row(client, source, r, incident_key)) or (None, None)
    if row and had and made_from is not None and not force and set(had) - set(made_from):
        return {"id": row["id"], "url": row.get("url"), "title": title_of(row), "action": "kept", "sources": had}
    current = row.get("properties") if row else None
    owner = find_owner(client, owners or []) if r.people and not (current or {}).get(r.people, {}).get("people") \
        else None
    props = row_properties(schema, r, title=title, key=incident_key, started=started, owner=owner, current=current)
    if row:
        # Sub-pages someone added to the row stay; the report's blocks are replaced, new ones written first.
        old = [b["id"] for b in iter_children(client, row["id"]) if b["type"] not in KEPT_TYPES]
        page = call(client.pages.update, page_id=row["id"], properties=props)
        write_blocks(client, row["id"], blocks)
        for block_id in old:
            delete_block(client, block_id)
        return {"id": page["id"], "url": page.get("url"), "title": title, "action": "updated"}

    def created() -> dict | None:  # a create that failed with 5xx may still have made the row
        found = None if new_page else find_row(client, source, r, incident_key)
        return found[0] if found else None

    parent = {"type": "data_source_id", "data_source_id": source["id"]}
    page = write_blocks(client, source["id"], blocks, create=lambda first: call(
        client.pages.create, done=created, parent=parent, properties=props, children=first))
    return {"id": page["id"], "url": page.get("url"), "title": title, "action": "created"}
