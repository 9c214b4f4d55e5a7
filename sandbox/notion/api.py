"""The Notion API service of the sandbox: what notion-client 3.x calls under base_url + /v1/."""

from __future__ import annotations

import json
import uuid

from aiohttp import web

from sandbox.faults import STATE
from sandbox.notion import blocks, databases, html
from sandbox.notion.databases import create_row, hit_json, search_sources, update_row
from sandbox.notion.http import CTX, UUID, NotFound, body_of, listing, notion_errors, paginate, path_id, reply, state_of
from sandbox.notion.limits import Invalid, check_children, check_rich_text, check_tables, page_size
from sandbox.notion.objects import bot_json, icon, page_json, person_json, rich_text
from sandbox.notion.state import NotionState


async def search(request: web.Request) -> web.Response:
    st, body = state_of(request), await body_of(request)
    query = body.get("query") or ""
    if not isinstance(query, str):
        raise Invalid(f"body failed validation: body.query should be a string, instead was `{query}`.")
    hits = st.search(query)
    # 2025-09-03 finds data sources where older versions found databases (which the sandbox does not serve)
    sources = search_sources(st, query) if request.headers["Notion-Version"] >= "2025-09-03" else []
    flt = body.get("filter")
    if flt is None:
        hits = sorted(hits + sources, key=lambda h: (h.edited, h.id), reverse=True)
    else:
        if not isinstance(flt, dict) or flt.get("property") != "object":
            raise Invalid('body failed validation: body.filter.property should be `"object"`.')
        if flt.get("value") not in ("page", "data_source", "database"):
            raise Invalid(f'body failed validation: body.filter.value should be `"page"` or `"data_source"`, '
                          f'instead was `{json.dumps(flt.get("value"))}`.')
        if flt["value"] != "page":
            hits = sources if flt["value"] == "data_source" else []
    sort = body.get("sort")
    if sort is not None:
        if not isinstance(sort, dict) or sort.get("timestamp") != "last_edited_time":
            raise Invalid('body failed validation: body.sort.timestamp should be `"last_edited_time"`.')
        if sort.get("direction") not in ("ascending", "descending"):
            raise Invalid('body failed validation: body.sort.direction should be `"ascending"` or `"descending"`.')
        if sort["direction"] == "ascending":
            hits.reverse()
    page, nxt = paginate(hits, [p.id for p in hits], body.get("start_cursor"), page_size(body.get("page_size"), "body"))
    base = request.app[CTX].urls["notion"]
    kind = "page_or_data_source" if request.headers["Notion-Version"] >= "2025-09-03" else "page_or_database"
    return reply(listing([hit_json(st, p, base) for p in page], nxt, kind))


def _bot(st: NotionState) -> dict:
    return bot_json(st.bot_id, st.bot_name, st.workspace_name)


async def users_me(request: web.Request) -> web.Response:
    return reply(_bot(state_of(request)))


async def users_list(request: web.Request) -> web.Response:
    st = state_of(request)
    users = [person_json(uid, n, e) for uid, (n, e) in st.people.items()] + [_bot(st)]
    size = page_size(request.query.get("page_size"), "query")
    page, nxt = paginate(users, [u["id"] for u in users], request.query.get("start_cursor"), size)
    return reply(listing(page, nxt, "user"))


async def users_get(request: web.Request) -> web.Response:
    st, uid = state_of(request), path_id(request, "user_id")
    if uid == st.bot_id:
        return reply(_bot(st))
    if uid not in st.people:
        raise NotFound("user", uid)
    return reply(person_json(uid, *st.people[uid]))


def _title(properties, where: str = "body.properties") -> list[dict] | None:
    if not isinstance(properties, dict):
        raise Invalid(f"body failed validation: {where} should be an object, instead was `{properties}`.")
    for key, value in properties.items():
        if key == "title" or (isinstance(value, dict) and "title" in value):
            items = value.get("title") if isinstance(value, dict) else value
            check_rich_text(items, f"{where}.{key}.title")
            return items
    return None


async def pages_get(request: web.Request) -> web.Response:
    st, pid = state_of(request), path_id(request, "page_id")
    if pid not in st.pages or not st.page_visible(pid):
        raise NotFound("page", pid)
    return reply(page_json(st.pages[pid], request.app[CTX].urls["notion"]))


async def pages_create(request: web.Request) -> web.Response:
    st, body, ctx = state_of(request), await body_of(request), request.app[CTX]
    parent = body.get("parent")
    if not isinstance(parent, dict) or not isinstance(parent.get("page_id"), str):
        if isinstance(parent, dict) and (parent.get("database_id") or parent.get("data_source_id")):
            return reply(page_json(create_row(st, body, ctx), ctx.urls["notion"]))
        raise Invalid("body failed validation: body.parent.page_id should be defined, instead was `undefined`.")
    if not UUID.match(parent["page_id"]):
        raise Invalid(f'body failed validation: body.parent.page_id should be a valid uuid, '
                      f'instead was `"{parent["page_id"]}"`.')
    pid = str(uuid.UUID(parent["page_id"].replace("-", "")))
    if pid not in st.pages or not st.page_visible(pid):
        raise NotFound("page", pid)
    if "properties" not in body:
        raise Invalid("body failed validation: body.properties should be defined, instead was `undefined`.")
    title = _title(body["properties"]) or []
    children = body.get("children") or []
    check_children(children)
    check_tables(children)
    if st.pages[pid].in_trash:
        raise Invalid("Can't edit block that is archived. You must unarchive the block before editing.")
    now = ctx.now()
    page = st.create_page(pid, title, st.bot_id, now, icon(body.get("icon")), body.get("cover"))
    st.insert(page.id, children, None, st.bot_id, now)
    return reply(page_json(page, ctx.urls["notion"]))


async def pages_update(request: web.Request) -> web.Response:
    st, pid, ctx = state_of(request), path_id(request, "page_id"), request.app[CTX]
    body = await body_of(request)
    if pid not in st.pages or not st.page_visible(pid):
        raise NotFound("page", pid)
    page = st.pages[pid]
    if "properties" in body and page.props is not None:
        update_row(st, page, body["properties"])
    elif "properties" in body and (title := _title(body["properties"])) is not None:
        page.title = rich_text(title)
    for key in ("in_trash", "archived"):
        if isinstance(body.get(key), bool):
            page.in_trash = body[key]
    if "icon" in body:
        page.icon = icon(body["icon"])
    if "cover" in body:
        page.cover = body["cover"]
    page.edited, page.edited_by = ctx.now(), st.bot_id
    return reply(page_json(page, ctx.urls["notion"]))


def build_app(ctx) -> web.Application:
    app = web.Application(middlewares=[notion_errors], client_max_size=16 * 1024 * 1024)
    app[CTX] = ctx
    app[STATE] = NotionState.from_workspace(ctx.workspace)
    app.router.add_post("/v1/search", search)
    app.router.add_get("/v1/users/me", users_me)
    app.router.add_get("/v1/users", users_list)
    app.router.add_get("/v1/users/{user_id}", users_get)
    app.router.add_get("/v1/pages/{page_id}", pages_get)
    app.router.add_post("/v1/pages", pages_create)
    app.router.add_patch("/v1/pages/{page_id}", pages_update)
    blocks.add_routes(app)
    databases.add_routes(app)
    html.add_routes(app)
    return app
