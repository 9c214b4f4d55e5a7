"""Notion databases and their data sources in the sandbox's store, and their JSON in the 2025-09-03 shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sandbox import ids
from sandbox.notion import properties as props
from sandbox.notion.markdown import text_item
from sandbox.notion.objects import iso, page_parent, page_url, plain, rich_text, user_ref


@dataclass(slots=True)
class DatabaseRec:
    id: str
    title: list[dict]
    parent: str | None  # a page id, or None at the workspace's top level
    created: datetime
    edited: datetime
    created_by: str
    edited_by: str
    sources: list[str] = field(default_factory=list)
    shared: bool = True
    in_trash: bool = False
    database: None = None  # a database hangs from a page, never from another data source


@dataclass(slots=True)
class SourceRec:
    id: str
    database: str
    name: str
    properties: dict[str, dict]  # name -> property schema object
    created: datetime
    edited: datetime
    created_by: str
    edited_by: str


def _people(st, ws):
    """name -> Notion user id, adding Slack people who appear only in a database (as pages' authors are added)."""
    full = {u.name: u.real_name for u in ws.slack.users if u.real_name}
    by_name = {u.name: u.id for u in ws.notion.users}
    owner = ws.notion.users[0].id if ws.notion.users else ids.uuid_for("notion-user", "owner")

    def user_of(name: str | None) -> str:
        if not name:
            return owner
        uid = by_name.get(name) or ids.uuid_for("notion-user", name)
        if uid not in st.people:
            st.people[uid] = (full.get(name, name), None)
        return uid

    return user_of


def load_databases(st, ws) -> None:
    """Databases, data sources and rows of the workspace file (already checked by sandbox/workspace/databases.py).

    A database under a page is also that page's `child_database` block, with the database's id, as in Notion.
    """
    from sandbox.notion.state import BlockRec, PageRec  # the store imports this module

    user_of = _people(st, ws)
    for db in ws.notion.databases:
        owner = user_of(None)
        rec = DatabaseRec(db.id, rich_text([text_item(db.title)]), db.parent, db.created, db.created, owner, owner,
                          shared=db.shared)
        st.databases[db.id] = rec
        if db.parent:
            st.blocks[db.id] = BlockRec(db.id, "child_database", {"title": db.title}, db.parent, True, db.parent,
                                        db.created, db.created, owner, owner)
            st.children[db.id] = []
            st.children[db.parent].append(db.id)
        for src in db.data_sources:
            schema = props.schema_json(src.id, src.properties)
            st.sources[src.id] = SourceRec(src.id, db.id, src.name, schema, db.created, db.created, owner, owner)
            rec.sources.append(src.id)
            st.children[src.id] = []
            for row in src.rows:
                author = user_of(row.author)
                values = {n: props.from_workspace(p, row.properties.get(n), st.people, user_of)
                          for n, p in schema.items()}
                title = next(v["title"] for v in values.values() if v["type"] == "title")
                page = PageRec(row.id, title, src.id, row.created, row.created, author, author)
                page.database, page.props = db.id, values
                st.pages[row.id] = page
                st.children[row.id] = []
                st.children[src.id].append(row.id)
                if row.content.strip():
                    st.pending[row.id] = row.content


def database_json(db: DatabaseRec, st, base: str) -> dict:
    return {"object": "database", "id": db.id, "title": db.title, "description": [], "icon": None, "cover": None,
            "parent": page_parent(db.parent), "is_inline": False, "in_trash": db.in_trash, "archived": db.in_trash,
            "is_locked": False, "created_time": iso(db.created), "last_edited_time": iso(db.edited),
            "created_by": user_ref(db.created_by), "last_edited_by": user_ref(db.edited_by),
            "data_sources": [{"id": s, "name": st.sources[s].name} for s in db.sources],
            "url": page_url(base, db.id, plain(db.title)), "public_url": None}


def source_json(src: SourceRec, st, base: str) -> dict:
    db = st.databases[src.database]
    return {"object": "data_source", "id": src.id, "title": rich_text([text_item(src.name)]), "description": [],
            "icon": None, "cover": None, "parent": {"type": "database_id", "database_id": db.id},
            "database_parent": page_parent(db.parent), "is_inline": False, "archived": db.in_trash,
            "in_trash": db.in_trash, "created_time": iso(src.created), "last_edited_time": iso(src.edited),
            "created_by": user_ref(src.created_by), "last_edited_by": user_ref(src.edited_by),
            "properties": src.properties, "url": page_url(base, db.id, plain(db.title)), "public_url": None}


def source_visible(st, sid: str) -> bool:
    """A data source the integration can see: its database is shared, and so is every page above it."""
    src = st.sources.get(sid)
    if src is None:
        return False
    db = st.databases[src.database]
    return db.shared and (db.parent is None or st.page_visible(db.parent))


def rows(st, sid: str) -> list:
    """The data source's live rows, in the order they were added."""
    return [st.pages[r] for r in st.children.get(sid, ()) if not st.pages[r].in_trash]
