"""The sandbox Slack's views.open, views.push and views.update Web API methods (no scope needed, as on Slack)."""

from __future__ import annotations

from sandbox.slack import viewstate
from sandbox.slack.args import Call
from sandbox.slack.state import SlackError
from sandbox.slack.views import views_of


def _trigger(call: Call) -> str:
    tid = call.args.get("trigger_id") or call.args.get("interactivity_pointer")
    if not tid:
        raise SlackError("invalid_arguments", response_metadata={"messages": [
            "[ERROR] missing required field: trigger_id"]})
    return str(tid)


def views_open(call: Call) -> dict:
    # The view is checked before the trigger is spent, so a corrected retry can still use it.
    spec, tid = viewstate.check_modal(call.args.get("view")), _trigger(call)
    views = views_of(call.state)
    trig = views.redeem(tid)
    return {"view": views.render(views.open(trig, spec))}


def views_push(call: Call) -> dict:
    spec, tid = viewstate.check_modal(call.args.get("view")), _trigger(call)
    views = views_of(call.state)
    trig = views.redeem(tid)
    if trig.view_id is None:  # only an interaction inside an open modal can add to its stack
        raise SlackError("not_found")
    return {"view": views.render(views.push(views.find(trig.view_id), spec))}


def views_update(call: Call) -> dict:
    view_id, external_id = call.args.get("view_id"), call.args.get("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments", response_metadata={"messages": [
            "[ERROR] either view_id or external_id is required"]})
    spec = viewstate.check_modal(call.args.get("view"))
    views = views_of(call.state)
    view = views.find(str(view_id) if view_id else None, None if view_id else str(external_id))
    return {"view": views.render(views.update(view, spec, str(call.args.get("hash") or "") or None))}


VIEW_METHODS = {"views.open": views_open, "views.push": views_push, "views.update": views_update}
