"""Notion's database and data source routes (2025-09-03), and pages created in or updated as database rows."""

from __future__ import annotations

import uuid

from aiohttp import web

from sandbox.notion import properties as props
from sandbox.notion.dbstore import database_json, rows, source_json, source_visible
from sandbox.notion.http import CTX, UUID, NotFound, body_of, listing, paginate, path_id, reply, state_of
from sandbox.notion.limits import Invalid, check_children, check_tables, fail, page_size
from sandbox.notion.objects import icon, page_json
from sandbox.notion.query import compile_filter, sort_rows

MULTIPLE = ("Databases with multiple data sources cannot be the parent of a new page by database_id; use a "
            "parent of type data_source_id with one of: {ids}.")


def _database(st, did: str):
    db = st.databases.get(did)
    if db is None or not db.shared or (db.parent and not st.page_visible(db.parent)):
        raise NotFound("database", did)
    return db


async def databases_get(request: web.Request) -> web.Response:
    st = state_of(request)
    db = _database(st, path_id(request, "database_id"))
    return reply(database_json(db, st, request.app[CTX].urls["notion"]))


def _source(request: web.Request):
    st, sid = state_of(request), path_id(request, "data_source_id")
    if not source_visible(st, sid):
        raise NotFound("data source", sid)
    return st, st.sources[sid]


async def data_sources_get(request: web.Request) -> web.Response:
    st, src = _source(request)
    return reply(source_json(src, st, request.app[CTX].urls["notion"]))


async def data_sources_query(request: web.Request) -> web.Response:
    st, src = _source(request)
    body = await body_of(request)
    hits = rows(st, src.id)
    if body.get("filter") is not None:
        keep = compile_filter(body["filter"], src.properties)
        hits = [r for r in hits if keep(r)]
    hits = sort_rows(hits, body.get("sorts"), src.properties)
    size = page_size(body.get("page_size"), "body")
    page, nxt = paginate(hits, [r.id for r in hits], body.get("start_cursor"), size)
    only = request.query.getall("filter_properties", [])
    base = request.app[CTX].urls["notion"]
    return reply(listing([_trimmed(page_json(r, base), only) for r in page], nxt, "page_or_data_source"))


def _trimmed(page: dict, only: list[str]) -> dict:
    """filter_properties: only the properties whose ids were asked for."""
    if only:
        page["properties"] = {k: v for k, v in page["properties"].items() if v["id"] in only or k in only}
    return page


def _parent_source(st, parent: dict) -> str:
    """The data source a new page goes into: named, or the database's only one (the pre-2025 parent)."""
    key = "data_source_id" if parent.get("data_source_id") else "database_id"
    raw = parent[key]
    if not isinstance(raw, str) or not UUID.match(raw):
        raise fail(f"body.parent.{key}", "a valid uuid", raw)
    rid = str(uuid.UUID(raw.replace("-", "")))
    if key == "data_source_id":
        if not source_visible(st, rid):
            raise NotFound("data source", rid)
        return rid
    db = _database(st, rid)
    if len(db.sources) != 1:
        raise Invalid(MULTIPLE.format(ids=", ".join(db.sources)) if db.sources else
                      f"Database {rid} has no data source to add a page to.")
    return db.sources[0]


def _values(st, schema: dict[str, dict], sent) -> dict[str, dict]:
    """Checked values by property name; nothing is stored until every property passed."""
    if not isinstance(sent, dict):
        raise fail("body.properties", "an object", sent)
    out = {}
    for key, value in sent.items():
        prop = props.find(schema, key)
        if prop is None:
            raise Invalid(f"{key} is not a property that exists.")
        out[prop["name"]] = props.from_request(key, prop, value, st.people, f"body.properties.{key}")
    return out


def create_row(st, body: dict, ctx):
    """POST /v1/pages with a database or data source parent: a row, its properties checked against the schema."""
    sid = _parent_source(st, body["parent"])
    src = st.sources[sid]
    if "properties" not in body:
        raise fail("body.properties", "defined", "undefined")
    values = _values(st, src.properties, body["properties"])
    children = body.get("children") or []
    check_children(children)
    check_tables(children)
    if st.databases[src.database].in_trash:
        raise Invalid("Can't edit block that is archived. You must unarchive the block before editing.")
    full = {n: values.get(n) or props.default(p) for n, p in src.properties.items()}
    title = next(v["title"] for v in full.values() if v["type"] == "title")
    now = ctx.now()
    page = st.create_page(sid, title, st.bot_id, now, icon(body.get("icon")), body.get("cover"))
    page.database, page.props = src.database, full
    st.insert(page.id, children, None, st.bot_id, now)
    return page


def update_row(st, page, sent) -> None:
    """PATCH /v1/pages/{id} properties of a row: the given ones change, the others stay."""
    values = _values(st, st.sources[page.parent].properties, sent)
    for name, val in values.items():
        page.props[name] = val
        if val["type"] == "title":
            page.title = val["title"]


def search_sources(st, query: str) -> list:
    """Data sources whose name holds the query, for POST /v1/search (2025-09-03 finds data sources, not databases)."""
    q = query.strip().lower()
    hits = [s for s in st.sources.values() if source_visible(st, s.id) and not st.databases[s.database].in_trash
            and (not q or q in s.name.lower())]
    return sorted(hits, key=lambda s: (s.edited, s.id), reverse=True)


def hit_json(st, hit, base: str) -> dict:
    return source_json(hit, st, base) if hit.id in st.sources else page_json(hit, base)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/v1/databases/{database_id}", databases_get)
    app.router.add_get("/v1/data_sources/{data_source_id}", data_sources_get)
    app.router.add_post("/v1/data_sources/{data_source_id}/query", data_sources_query)
