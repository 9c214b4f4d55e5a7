"""Plumbing shared by the Notion routes: auth and version checks, Notion's error bodies, ids and pagination."""

from __future__ import annotations

import json
import re
import uuid
from typing import TYPE_CHECKING

from aiohttp import web

from sandbox.faults import STATE
from sandbox.notion.limits import Invalid, check_size
from sandbox.notion.objects import error

if TYPE_CHECKING:
    from sandbox.notion.state import NotionState

CTX = web.AppKey("notion_ctx", object)  # the sandbox Context
VERSIONS = ("2022-06-28", "2025-09-03")
UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


class NotFound(Exception):
    def __init__(self, kind: str, rid: str):
        super().__init__(f"Could not find {kind} with ID: {rid}. "
                         "Make sure the relevant pages and databases are shared with your integration.")


def reply(body, status: int = 200) -> web.Response:
    return web.json_response(body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))


def path_id(request: web.Request, name: str) -> str:
    raw = request.match_info[name]
    if not UUID.match(raw):
        raise Invalid(f'path failed validation: path.{name} should be a valid uuid, instead was `"{raw}"`.')
    return str(uuid.UUID(raw.replace("-", "")))


async def body_of(request: web.Request) -> dict:
    raw = await request.read()
    check_size(raw)
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise web.HTTPBadRequest(text=json.dumps(error(400, "invalid_json", "Error parsing JSON body.")),
                                 content_type="application/json") from None
    if not isinstance(body, dict):
        raise Invalid(f"body failed validation: body should be an object, instead was `{json.dumps(body)[:80]}`.")
    return body


def paginate(items: list, ids: list[str], cursor, size: int) -> tuple[list, str | None]:
    start = 0
    if cursor is not None:
        if cursor not in ids:
            raise Invalid(f"start_cursor provided is invalid: {cursor}")
        start = ids.index(cursor)
    end = start + size
    return items[start:end], ids[end] if end < len(ids) else None


def listing(results: list, next_cursor: str | None, kind: str) -> dict:
    return {"object": "list", "results": results, "next_cursor": next_cursor, "has_more": next_cursor is not None,
            "type": kind, kind: {}, "request_id": str(uuid.uuid4())}


@web.middleware
async def notion_errors(request: web.Request, handler):
    if not request.path.startswith("/v1/"):
        return await handler(request)
    ctx = request.app[CTX]
    if request.headers.get("Authorization", "") != f"Bearer {ctx.tokens.notion}":
        return reply(error(401, "unauthorized", "API token is invalid."), 401)
    version = request.headers.get("Notion-Version")
    if version is None:
        return reply(error(400, "missing_version", "Notion-Version header failed validation: Notion-Version header "
                                                   "should be defined, instead was `undefined`."), 400)
    if version not in VERSIONS:
        return reply(error(400, "validation_error", f"Notion-Version header failed validation: Notion-Version header "
                                                    f"should be one of {list(VERSIONS)}, instead was `{version}`."), 400)
    try:
        return await handler(request)
    except Invalid as exc:
        return reply(error(400, "validation_error", exc.message), 400)
    except NotFound as exc:
        return reply(error(404, "object_not_found", str(exc)), 404)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        return reply(error(400, "invalid_request_url", "Invalid request URL."), 400)


def state_of(request: web.Request) -> NotionState:
    return request.app[STATE]
