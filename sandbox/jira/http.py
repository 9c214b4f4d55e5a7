"""HTTP plumbing shared by the Jira sandbox routes: auth, parameters, versions and Jira's error bodies."""

from __future__ import annotations

import base64
import binascii
import json

from aiohttp import web

_PUBLIC = ("/browse/", "/rest/api/2/serverInfo", "/rest/api/3/serverInfo")


def jerror(status: int, *messages: str, errors: dict | None = None) -> web.Response:
    return web.json_response({"errorMessages": list(messages), "errors": errors or {}}, status=status)


def _authorized(request: web.Request, tokens, bearer: bool) -> bool:
    header = request.headers.get("Authorization", "")
    if bearer and header.startswith("Bearer "):  # Data Center (8.14+) takes a personal access token this way
        return header[7:] == tokens.jira_token
    if not header.startswith("Basic "):
        return False
    try:
        user, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return user == tokens.jira_email and secret == tokens.jira_token


def auth_middleware(tokens, deployment: str = "cloud"):
    bearer = deployment != "cloud"  # Cloud's API tokens are Basic only; its Bearer tokens are OAuth's, not ours

    @web.middleware
    async def check(request: web.Request, handler):
        # Anonymous callers may read public pages, but wrong credentials are refused everywhere, as on Cloud.
        anonymous = "Authorization" not in request.headers
        if (anonymous and request.path.startswith(_PUBLIC)) or _authorized(request, tokens, bearer):
            return await handler(request)
        resp = jerror(401, "Client must be authenticated to access this resource.")
        resp.headers["WWW-Authenticate"] = 'Basic realm="protected-area"'
        return resp
    return check


async def params(request: web.Request) -> dict[str, list]:
    """Query parameters (repeatable) merged with a JSON body, every value as a list."""
    out: dict[str, list] = {}
    for k in request.query:
        out[k] = request.query.getall(k)
    if request.method == "POST" and request.can_read_body:
        try:
            body = await request.json(loads=json.loads)
        except json.JSONDecodeError:
            raise web.HTTPBadRequest(text=json.dumps({"errorMessages": ["Invalid JSON body."], "errors": {}}),
                                     content_type="application/json") from None
        for k, val in (body or {}).items():
            if val is not None:
                out[k] = val if isinstance(val, list) else [val]
    return out


def int_param(params: dict, name: str, default: int) -> int:
    try:
        return int(params.get(name, [default])[0])
    except (TypeError, ValueError):
        raise web.HTTPBadRequest(text=json.dumps({"errorMessages": [f"The '{name}' parameter must be a number."],
                                                  "errors": {}}), content_type="application/json") from None


def api_version(request: web.Request) -> str:
    return "3" if request.match_info["v"] == "3" else "2"  # "latest" is v2 on Jira


def expand_param(params: dict) -> set[str]:
    return {e.strip().lower() for item in params.get("expand", []) for e in str(item).split(",") if e.strip()}
