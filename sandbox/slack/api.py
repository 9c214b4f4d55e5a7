"""Slack Web API service of the sandbox: /api/<method> with Slack's auth, argument and error conventions."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from aiohttp import web

from sandbox.faults import STATE
from sandbox.slack import args as slack_args
from sandbox.slack import html as slack_html
from sandbox.slack import methods as slack_methods
from sandbox.slack import scopes as slack_scopes
from sandbox.slack import socket as slack_socket
from sandbox.slack.state import SlackError, SlackState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    """Who a token acts as: the bot user, or the human behind the user token."""

    user_id: str
    kind: str  # "bot" | "user"


def _callers(ctx, state: SlackState) -> dict[str, Caller]:
    humans = [u.id for u in state.users.values() if not u.is_bot]
    t = ctx.tokens
    return {
        t.slack_bot: Caller(state.bot_user_id, "bot"),
        # A user token belongs to a person; the first human in the workspace is as good as any.
        t.slack_user: Caller(humans[0] if humans else state.bot_user_id, "user"),
        t.slack_app: Caller(state.bot_user_id, "app"),
    }


async def _args(request: web.Request) -> dict:
    """Merge query string, form and JSON body: slack_sdk sends GET params, forms and JSON depending on method."""
    args: dict = dict(request.query)
    # body_exists, not can_read_body: the realistic profile may have read (and cached) it already.
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError:
                raise SlackError("invalid_json") from None
            if not isinstance(body, dict):
                raise SlackError("invalid_json")
            args.update(body)
        else:
            args.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    return args


def _token(request: web.Request, args: dict) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return args.pop("token", None) or None


def build_app(ctx) -> web.Application:
    state = SlackState(ctx.workspace, ctx.urls.get("slack", ""))
    callers = _callers(ctx, state)

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        handler = slack_methods.METHODS.get(method)
        headers = {"X-Slack-Req-Id": "sandbox"}
        try:
            args = await _args(request)
            token = _token(request, args)
            if not token:
                raise SlackError("not_authed")
            caller = callers.get(token)
            if caller is None:
                raise SlackError("invalid_auth")
            fault = ctx.faults.get("slack")
            if caller.kind == "bot" and fault is not None and fault.auth:
                raise SlackError(fault.auth)
            # Slack names a valid token's scopes on every answer (what `postmortem doctor` compares to the manifest).
            granted = slack_scopes.granted(caller.kind, fault)
            headers["X-OAuth-Scopes"] = ",".join(granted)
            if handler is None:
                raise SlackError("unknown_method")
            # App-level tokens only open Socket Mode connections; Web API methods refuse them.
            if caller.kind == "app" or (method.startswith("search.") and caller.kind != "user"):
                raise SlackError("not_allowed_token_type")
            needed = slack_scopes.needed(method, state, args)
            headers["X-Accepted-OAuth-Scopes"] = ",".join(needed)
            missing = [s for s in needed if s not in granted]
            if missing:
                raise SlackError("missing_scope", needed=",".join(missing), provided=",".join(granted))
            body = {"ok": True, **handler(slack_args.Call(state, ctx, caller.user_id, caller.kind, args))}
        except SlackError as err:
            body = {"ok": False, "error": err.error, **err.extra}
        return web.json_response(body, headers=headers)

    app = web.Application()
    app[STATE] = state
    slack_socket.add_routes(app, state, ctx)  # before /api/{method}: apps.connections.open takes the app token
    app.router.add_route("*", "/api/{method}", api)
    slack_html.add_routes(app, state)
    return app
