"""Writes to the Jira sandbox: add comment, and the request helpers issue creation and links share."""

from __future__ import annotations

import json

from aiohttp import web

from sandbox.jira import shapes
from sandbox.jira.adf import from_adf
from sandbox.jira.http import api_version
from sandbox.jira.state import IssueRec, JiraState


def bad(errors: dict, *messages: str) -> web.Response:
    return web.json_response({"errorMessages": list(messages), "errors": errors}, status=400)


async def read_json(request: web.Request):
    try:
        return await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def text_field(value, v: str, field: str, errors: dict) -> str:
    """v3 takes Atlassian Document Format, v2 a plain string; the wrong one is refused like Jira does."""
    if value is None:
        return ""
    if v == "3" and not (isinstance(value, dict) and value.get("type") == "doc"):
        errors[field] = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
        return ""
    if v == "2" and not isinstance(value, str):
        errors[field] = "Operation value must be a string"
        return ""
    return from_adf(value)


def ref(value, *names: str) -> str | None:
    """A reference given bare or as an object ({"key": …} / {"id": …}), by the first of names it carries."""
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, dict):
        return next((str(value[n]) for n in names if value.get(n) is not None), None)
    return None


async def create_comment(st: JiraState, rec: IssueRec, request: web.Request) -> web.Response:
    v, body = api_version(request), await read_json(request)
    if not isinstance(body, dict) or body.get("body") in (None, ""):
        return bad({"comment": "Comment body can not be empty!"})
    errors: dict = {}
    text = text_field(body["body"], v, "comment", errors)
    if errors:
        return bad(errors)
    c = st.new_comment(st.me, st.now(), text)
    rec.comments.append(c)
    rec.updated = c.at
    rec.reindex()
    st.version += 1
    return web.json_response(shapes.comment_json(st, rec, c, v), status=201)
