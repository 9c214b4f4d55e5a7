"""Slack's interactivity toward the bot, on the sandbox loop: button clicks, modal submissions and closes."""

from __future__ import annotations

import json
import time
import urllib.parse
from functools import lru_cache

import yaml

from sandbox.slack import deliver, payloads, viewstate
from sandbox.slack.deliver import Delivery, Target
from sandbox.slack.render import render_message
from sandbox.slack.scopes import MANIFEST
from sandbox.slack.state import SlackError
from sandbox.slack.views import View, views_of


def buttons(blocks: list | None) -> list[dict]:
    """Every button of a message or view as its block_actions action ({type, action_id, block_id, text, value…})."""
    out = []
    for b in blocks or []:
        if not isinstance(b, dict):
            continue
        els = list(b.get("elements") or []) if b.get("type") == "actions" else [b.get("accessory")]
        for el in els:
            if isinstance(el, dict) and el.get("type") == "button":
                action = {"type": "button", "action_id": el.get("action_id", ""), "block_id": b.get("block_id", ""),
                          "text": el.get("text")}
                action.update({k: el[k] for k in ("value", "style", "url") if k in el})
                out.append(action)
    return out


def find_button(blocks: list | None, action_id: str, value: str | None = None) -> dict:
    """The one button with this action_id (and value, when several share the action_id); ValueError otherwise."""
    found = [a for a in buttons(blocks) if a["action_id"] == action_id and (value is None or a.get("value") == value)]
    if not found:
        raise ValueError(f"no button {action_id!r}" + (f" with value {value!r}" if value is not None else ""))
    if len(found) > 1:
        raise ValueError(f"{len(found)} buttons {action_id!r}: pass the value of the one to click")
    return found[0]


@lru_cache(maxsize=1)
def interactivity_enabled() -> bool:
    """Whether manifest.yml turns interactivity on (an installed copy without the manifest counts as on)."""
    try:
        manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8")) or {}
    except OSError:
        return True
    return bool(((manifest.get("settings") or {}).get("interactivity") or {}).get("is_enabled"))


async def _send(hub, payload: dict, via: str, target: Target, accepts: bool) -> Delivery:
    """Interactions go to the Request URL as a signed form with one `payload` field, or as an `interactive`
    Socket Mode envelope; with interactivity off Slack sends nothing (the person sees an error)."""
    if not interactivity_enabled():
        return Delivery(via, payload, error="interactivity_disabled")
    if via == "socket":
        return await deliver._socket(hub, "interactive", payload, accepts)
    body = urllib.parse.urlencode({"payload": json.dumps(payload, separators=(",", ":"))}).encode()
    return await deliver.http(hub, target, payload, body, "application/x-www-form-urlencoded")


async def block_actions(hub, user, chan, message, action: dict, via: str, target: Target) -> Delivery:
    """A click on `action` (from buttons()) in `message`: a state.Msg in the channel, or an ephemeral dict."""
    state = hub.state
    ephemeral = isinstance(message, dict)
    ts, blocks = (message["ts"], message.get("blocks")) if ephemeral else (message.ts, message.blocks)
    thread = message.get("thread_ts") if ephemeral else message.thread_ts
    thread = thread if thread != ts else None  # a thread's parent answers in the channel, a reply in its thread
    original = ("ephemeral", message) if ephemeral else ("in_channel", ts)
    url = hub.responses.new_action_url(chan.id, user.id, original, thread)
    shown = None if ephemeral else render_message(state, chan, message, in_thread=bool(thread))
    act = {**action, "action_ts": f"{time.time():.6f}"}
    trigger = views_of(state).issue_trigger(user.id, channel=chan.id)
    payload = payloads.block_actions(state, user, chan, shown, ts, act, trigger, url, viewstate.values(blocks))
    # Slack takes no answer in a click's ack (the app answers through response_url or the Web API).
    return await _send(hub, payload, via, target, False)


async def view_block_actions(hub, user, view_id: str, action: dict, via: str, target: Target) -> Delivery:
    """A click on a button, or a pick in a menu outside input blocks, inside the person's open view `view_id`
    (action as for block_actions; a menu's action carries its selected_* key, which the view's state keeps)."""
    views = views_of(hub.state)
    view = _open(views, view_id)
    key = viewstate.STATE_KEYS.get(action.get("type", ""))
    if key and key in action:
        view.values.setdefault(action.get("block_id", ""), {})[action.get("action_id", "")] = {
            "type": action["type"], key: action[key]}
    trigger = views.issue_trigger(user.id, view.id, view.channel)
    act = {**action, "action_ts": f"{time.time():.6f}"}
    payload = payloads.view_block_actions(hub.state, user, views.render(view), act, trigger)
    return await _send(hub, payload, via, target, False)


def _open(views, view_id: str) -> View:
    try:
        return views.find(view_id)
    except SlackError:
        raise ValueError(f"no open view {view_id!r}") from None


def _ack_body(d: Delivery) -> dict | None:
    """What the app acked a submission with: None for an empty ack; raises ValueError for a body Slack rejects."""
    if d.via == "socket":
        return d.ack_payload or None
    if not d.body.strip():
        return None
    try:
        body = json.loads(d.body)
    except json.JSONDecodeError:
        raise ValueError("the ack body is not JSON") from None
    if not isinstance(body, dict):
        raise ValueError("the ack body is not a JSON object")
    return body or None


def apply_response(views, view: View, ack: dict | None) -> str:
    """Do what the app's answer to a view_submission asks; the outcome's name ("closed", "errors", "updated",
    "pushed", "cleared"). Raises ValueError for an answer Slack would refuse (the view then stays as it was)."""
    if not ack:
        views.close(view)
        return "closed"
    kind = ack.get("response_action")
    if kind == "errors":
        errors = ack.get("errors")
        if not isinstance(errors, dict) or not errors:
            raise ValueError("response_action errors needs an errors object")
        unknown = sorted(set(errors) - viewstate.input_blocks(view.spec.get("blocks")))
        if unknown:
            raise ValueError(f"errors name blocks that are not input blocks of the view: {unknown}")
        view.errors = {str(k): str(v) for k, v in errors.items()}
        views.announce(view)
        return "errors"
    if kind == "clear":
        views.clear(view.user)
        return "cleared"
    if kind in ("update", "push"):
        try:
            spec = viewstate.check_modal(ack.get("view"))
            if kind == "update":
                views.update(view, spec)
            else:
                views.push(view, spec)
        except SlackError as err:
            raise ValueError(f"{err.error}: {err.extra.get('response_metadata', {}).get('messages', [])}") from None
        return "updated" if kind == "update" else "pushed"
    raise ValueError(f"unknown response_action {kind!r}")


async def view_submission(hub, user, view_id: str, values: dict | None, via: str, target: Target) -> Delivery:
    """The person submits their open view `view_id`. `values` ({block_id: {action_id: entry or plain value}})
    overrides what they entered before, which overrides the elements' initial values. As Slack's client does, an
    empty required input stops the submission before anything is sent (Delivery.error "required: <block_ids>").
    After the ack, the view is closed, updated, pushed onto or given errors as the app answered; Delivery.body
    (HTTP) or .ack_payload (both ways) carries that answer, and .error says why Slack would refuse it."""
    views = views_of(hub.state)
    view = _open(views, view_id)
    if view.user != user.id:
        raise ValueError(f"{view_id} is open for {view.user}, not {user.id}")
    blocks = view.spec.get("blocks")
    view.values = viewstate.values(blocks, view.values, values)  # the modal keeps what was typed
    missing = viewstate.missing_required(blocks, view.values)
    if missing:
        return Delivery(via, {}, error="required: " + ",".join(missing))
    trigger = views.issue_trigger(user.id, view.id, view.channel)
    payload = payloads.view_submission(hub.state, user, views.render(view), trigger)
    view.errors = {}
    d = await _send(hub, payload, via, target, True)
    if not d.acked:
        return d  # Slack shows the person an error and leaves the view open
    try:
        d.ack_payload = _ack_body(d)
        apply_response(views, view, d.ack_payload)
    except ValueError as err:
        d.error = f"invalid_response: {err}"
    return d


async def view_closed(hub, user, view_id: str, via: str, target: Target) -> Delivery | None:
    """The person closes their view (Cancel or ×): with clear_on_close the whole modal goes. Slack tells the app
    only when the view asked for it (notify_on_close); None otherwise."""
    views = views_of(hub.state)
    view = _open(views, view_id)
    cleared = bool(view.spec.get("clear_on_close"))
    shown = views.render(view)
    if cleared:
        views.clear(view.user)
    else:
        views.close(view)
    if not view.spec.get("notify_on_close"):
        return None
    return await _send(hub, payloads.view_closed(hub.state, user, shown, cleared), via, target, False)
