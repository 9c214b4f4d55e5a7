"""Routes behind the page's buttons, menus and modals: block_actions, the person's modal stack, submit and close."""

from __future__ import annotations

import json

from aiohttp import web

from sandbox.slack import compose, deliver, interact, modal, ui, viewstate
from sandbox.slack.deliver import Target
from sandbox.slack.socket import HUB
from sandbox.slack.state import SlackError, SlackState
from sandbox.slack.views import View, views_of

REQUIRED = "Please complete this required field."  # what Slack's client says under an empty required input
# The note the page puts beside a control whose action the app did not take, by failure.
_NO_ANSWER = {"operation_timeout": "The app didn’t respond in time.", "dispatch_failed": "The app couldn’t be reached.",
              "http_client_error": "The app refused the request.", "http_service_error": "The app had a problem."}


def _json(out: dict, status: int = 200) -> web.Response:
    return web.json_response(out, status=status, headers={"Cache-Control": "no-store"})


def _loads(raw, default):
    try:
        return json.loads(raw) if raw else default
    except json.JSONDecodeError:
        return default


def _summary(via: str, d) -> dict:
    return {"via": via, "acked": d.acked, "status": d.status, "error": d.error, "latency": d.latency}


def _failed(d) -> dict:
    if d.error == "interactivity_disabled":
        return {"error": d.error, "notice": "This app has not turned on interactivity (manifest.yml)."}
    why = compose._failure(d)
    return {"error": why, "notice": _NO_ANSWER.get(why, why)}


def _top(s: SlackState, uid: str) -> dict | None:
    """The view a person sees now; the key changes whenever what it shows does (content, stack depth, errors)."""
    views = views_of(s)
    view = views.top(uid)
    if view is None:
        return None
    depth = len(views.stack(uid))
    key = f"{view.id}:{view.hash}:{depth}:{json.dumps(view.errors, sort_keys=True)}"
    return {"id": view.id, "key": key, "depth": depth,
            "html": modal.render(s, views.render(view), view.errors, depth)}


def _action(blocks: list, block_id: str, action_id: str, value: str | None, raw) -> dict | None:
    """The action block_actions carries for the element a person used: a button as Slack describes it (its value
    tells apart buttons that share an action_id), a menu or choice with what was picked (`raw`: the option value(s),
    user or channel id, date…)."""
    for b in blocks or []:
        if not isinstance(b, dict) or str(b.get("block_id") or "") != block_id:
            continue
        found = [a for a in interact.buttons([b]) if a["action_id"] == action_id]
        if found:
            return next((a for a in found if a.get("value") == value), found[0])
        els = [b.get("accessory"), b.get("element")] + list(b.get("elements") or [] if b.get("type") == "actions"
                                                            else [])
        for el in els:
            key = viewstate.STATE_KEYS.get(str((el or {}).get("type")))
            if key and str(el.get("action_id") or "") == action_id:
                try:
                    picked = viewstate.entry(el, raw)[key]
                except ValueError:  # an option the element does not offer
                    return None
                extra = {"placeholder": el["placeholder"]} if el.get("placeholder") else {}
                return {"type": el["type"], "action_id": action_id, "block_id": block_id, key: picked, **extra}
    return None


def add_routes(app: web.Application, s: SlackState) -> None:
    hub = app[HUB]

    def person(uid: str):
        u = s.users.get(uid)
        if u is None or u.is_bot:
            raise web.HTTPBadRequest(text="No such person in this sandbox workspace.")
        return u

    async def action(request: web.Request) -> web.Response:
        """POST /ui/action (user, action_id, block_id, value | raw, and channel + ts [+ ephemeral] or view_id)."""
        form = await request.post()
        u = person(str(form.get("user", "")))
        raw = _loads(form.get("raw"), None)  # a menu's or choice's pick; a button has its value instead
        ids = (str(form.get("block_id", "")), str(form.get("action_id", "")), form.get("value"), raw)
        if form.get("view_id"):
            return await in_view(u, _view_of(s, u.id, str(form["view_id"])), ids, form)
        chan = s.channels.get(str(form.get("channel", "")))
        if chan is None or u not in ui.choosable(s, chan):
            return _json({"error": "channel_not_found", "notice": "You can’t use this message."})
        if form.get("ephemeral"):
            msg = next((e for e in s.ephemeral if e["ts"] == form.get("ts") and e["user"] == u.id), None)
            blocks = msg and msg.get("blocks")
        else:
            msg = chan.by_ts.get(str(form.get("ts", "")))
            blocks = msg and msg.blocks
        if msg is None:
            return _json({"error": "message_not_found", "notice": "That message is gone."})
        act = _action(blocks, *ids)
        if act is None:
            return _json({"error": "element_not_found", "notice": "That is no longer in the message."})
        return await send(lambda route: interact.block_actions(hub, u, chan, msg, act, *route))

    async def in_view(u, view: View, ids: tuple, form) -> web.Response:
        """A click or pick inside a modal: what is typed there goes along as the view's state, as Slack sends it."""
        try:
            view.values = viewstate.values(view.spec.get("blocks"), view.values, _loads(form.get("values"), {}))
            act = _action(view.spec.get("blocks"), *ids)
        except ValueError:
            act = None
        if act is None:
            return _json({"error": "element_not_found", "notice": "That is no longer in the modal."})
        return await send(lambda route: interact.view_block_actions(hub, u, view.id, act, *route))

    async def send(deliver_to) -> web.Response:
        route = await deliver.choose(hub)
        if route is None:
            return _json({"error": "no_bot", "notice": compose.NO_BOT})
        d = await deliver_to(route)
        out = {"acked": d.acked, "delivery": _summary(route[0], d)}
        return _json(out if d.acked else out | _failed(d))

    async def stack(request: web.Request) -> web.Response:
        """GET /ui/views?user=: the person's modal stack (ids, bottom first) and the top view's HTML."""
        uid = request.query.get("user", "")
        views = views_of(s)
        return _json({"user": uid, "views": [v.id for v in views.stack(uid)], "top": _top(s, uid)})

    async def submit(request: web.Request) -> web.Response:
        """POST /ui/view_submit (user, view_id, values: JSON {block_id: {action_id: text | option values}})."""
        form = await request.post()
        u = person(str(form.get("user", "")))
        view = _view_of(s, u.id, str(form.get("view_id", "")))
        try:
            state = viewstate.values(view.spec.get("blocks"), view.values, _loads(form.get("values"), {}))
        except ValueError as err:
            return _json({"error": "invalid_values", "notice": str(err)})
        view.values = state  # what was typed stays in the modal, whatever the app answers
        empty = viewstate.missing_required(view.spec.get("blocks"), state)
        if empty:  # Slack's client never sends these
            return _json({"required": {bid: REQUIRED for bid in empty}})
        route = await deliver.choose(hub)
        if route is None:
            return _json({"error": "no_bot", "notice": compose.NO_BOT})
        d = await interact.view_submission(hub, u, view.id, state, *route)
        out = {"acked": d.acked, "delivery": _summary(route[0], d), "top": _top(s, u.id)}
        if not d.acked:
            return _json(out | {"error": compose._failure(d), "notice": modal.TROUBLE})
        if d.error:  # an answer Slack refuses (say, errors for a block that is no input): the view stays
            return _json(out | {"error": "invalid_response", "notice": modal.TROUBLE, "detail": d.error})
        return _json(out)

    async def close(request: web.Request) -> web.Response:
        """POST /ui/view_close (user, view_id, all): Cancel pops one view, × (or clear_on_close) the whole modal."""
        form = await request.post()
        u = person(str(form.get("user", "")))
        view = _view_of(s, u.id, str(form.get("view_id", "")))
        route = await deliver.choose(hub) if view.spec.get("notify_on_close") else None
        d = await interact.view_closed(hub, u, view.id, *(route or ("http", Target())))
        if form.get("all"):
            views_of(s).clear(u.id)
        out = {"closed": True, "top": _top(s, u.id)}
        return _json(out | ({"delivery": _summary(route[0], d)} if d is not None and route else {}))

    app.router.add_post("/ui/action", action)
    app.router.add_get("/ui/views", stack)
    app.router.add_post("/ui/view_submit", submit)
    app.router.add_post("/ui/view_close", close)


def _view_of(s: SlackState, uid: str, view_id: str) -> View:
    try:
        view = views_of(s).find(view_id)
    except SlackError:
        raise web.HTTPNotFound(text="That modal is closed.") from None
    if view.user != uid:
        raise web.HTTPForbidden(text="That modal belongs to someone else.")
    return view
