"""Notion's block routes: retrieve, update, delete (trash), list children and append children."""

from __future__ import annotations

import json

from aiohttp import web

from sandbox.notion.http import CTX, NotFound, body_of, listing, paginate, path_id, reply, state_of
from sandbox.notion.limits import Invalid, check_children, check_rich_text, check_table_rows, check_tables, page_size
from sandbox.notion.objects import block_json, child_page_json, merge_payload, rich_text
from sandbox.notion.state import NotionState, PageRec

ARCHIVED = "Can't edit block that is archived. You must unarchive the block before editing."


def rec_json(st: NotionState, rec) -> dict:
    if isinstance(rec, PageRec):
        return child_page_json(rec, st.has_children(rec.id))
    return block_json(rec, st.has_children(rec.id))


def _find(request: web.Request):
    st, bid = state_of(request), path_id(request, "block_id")
    rec = st.find(bid)
    if rec is None:
        raise NotFound("block", bid)
    return st, rec


def _page_of(st: NotionState, rec) -> str:
    return rec.id if isinstance(rec, PageRec) else rec.page


async def blocks_get(request: web.Request) -> web.Response:
    st, rec = _find(request)
    return reply(rec_json(st, rec))


async def blocks_update(request: web.Request) -> web.Response:
    st, rec = _find(request)
    body, now = await body_of(request), request.app[CTX].now()
    trash = next((body[k] for k in ("in_trash", "archived") if isinstance(body.get(k), bool)), None)
    if rec.in_trash and trash is not False:
        raise Invalid(ARCHIVED)
    own = "child_page" if isinstance(rec, PageRec) else rec.type
    for key, value in body.items():
        if key in ("in_trash", "archived", "type"):
            continue
        if key != own:
            raise Invalid(f"body failed validation: body.{key} should be not present, instead was "
                          f"`{json.dumps(value)[:80]}`. The block is of type `{own}`.")
        if not isinstance(value, dict):
            raise Invalid(f"body failed validation: body.{key} should be an object, instead was `{value}`.")
        for field in ("rich_text", "caption"):
            if field in value:
                check_rich_text(value[field], f"body.{key}.{field}")
        for j, cell in enumerate(value.get("cells") or []):
            check_rich_text(cell, f"body.{key}.cells[{j}]")
        if isinstance(rec, PageRec):
            if isinstance(value.get("title"), str):
                rec.title = rich_text([{"type": "text", "text": {"content": value["title"]}}])
        else:
            rec.data = merge_payload(rec.type, rec.data, value)
    if trash is not None:
        rec.in_trash = trash
    rec.edited, rec.edited_by = now, st.bot_id
    st.touch(_page_of(st, rec), st.bot_id, now)
    return reply(rec_json(st, rec))


async def blocks_delete(request: web.Request) -> web.Response:
    st, rec = _find(request)
    if rec.in_trash:
        raise Invalid(ARCHIVED)
    now = request.app[CTX].now()
    rec.in_trash, rec.edited, rec.edited_by = True, now, st.bot_id
    st.touch(_page_of(st, rec), st.bot_id, now)
    return reply(rec_json(st, rec))


async def children_list(request: web.Request) -> web.Response:
    st, rec = _find(request)
    kids = st.live_children(rec.id)
    size = page_size(request.query.get("page_size"), "query")
    page, nxt = paginate(kids, kids, request.query.get("start_cursor"), size)
    return reply(listing([rec_json(st, st.pages.get(c) or st.blocks[c]) for c in page], nxt, "block"))


def _after(st: NotionState, parent: str, body: dict) -> str | None:
    """Where appended blocks go: `after` (older versions) or `position` (2025-09-03)."""
    after, pos = body.get("after"), body.get("position")
    if isinstance(pos, dict):
        if pos.get("type") == "start":
            return ""
        if pos.get("type") == "after_block":
            after = (pos.get("after_block") or {}).get("id")
    if after is None:
        return None
    if after.replace("-", "") not in {c.replace("-", "") for c in st.live_children(parent)}:
        raise Invalid(f"body failed validation: body.after should be the ID of a child of {parent}, "
                      f"instead was `{after}`.")
    return next(c for c in st.children[parent] if c.replace("-", "") == after.replace("-", ""))


async def children_append(request: web.Request) -> web.Response:
    st, rec = _find(request)
    body = await body_of(request)
    if "children" not in body:
        raise Invalid("body failed validation: body.children should be defined, instead was `undefined`.")
    check_children(body["children"])
    if not isinstance(rec, PageRec) and rec.type == "table":
        check_table_rows(rec.data["table_width"], body["children"], "body.children")
    else:
        check_tables(body["children"])
    if rec.in_trash:
        raise Invalid(ARCHIVED)
    after = _after(st, rec.id, body)
    made = st.insert(rec.id, body["children"], after, st.bot_id, request.app[CTX].now())
    return reply(listing([rec_json(st, st.blocks[b]) for b in made], None, "block"))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/v1/blocks/{block_id}", blocks_get)
    app.router.add_patch("/v1/blocks/{block_id}", blocks_update)
    app.router.add_delete("/v1/blocks/{block_id}", blocks_delete)
    app.router.add_get("/v1/blocks/{block_id}/children", children_list)
    app.router.add_patch("/v1/blocks/{block_id}/children", children_append)
