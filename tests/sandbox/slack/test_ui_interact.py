"""The routes behind the page's buttons and modals: /ui/action, /ui/views, /ui/view_submit and /ui/view_close."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.sandbox.slack.interactive_app import post_incident, running
from tests.support.bolt_app import workspace
from tests.support.bot import wait_until
from tests.support.slack_pages import bot_client, fragment

WORKSPACE = workspace  # served by conftest.py's `sb`: #incidents with Ana, Ben and the app
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture(params=["socket"])
def bolt(sb, request):
    with running(sb, request.param) as app:
        yield app


def _post(sb, path: str, fields: dict) -> dict:
    req = urllib.request.Request(sb.urls["slack"] + path, urllib.parse.urlencode(fields).encode(),
                                 {"Accept": "application/json"})
    with _NO_PROXY.open(req, timeout=30) as resp:
        return json.loads(resp.read())


def _views(sb, user: str) -> dict:
    with _NO_PROXY.open(f"{sb.urls['slack']}/ui/views?user={user}", timeout=10) as resp:
        return json.loads(resp.read())


@pytest.mark.parametrize("bolt", ["socket", "http"], indirect=True)
def test_a_click_opens_a_modal_whose_stack_submit_and_close_the_page_uses(sb, bolt, request):
    ana, ben = (sb.state("slack").user_by_name(n).id for n in ("ana", "ben"))
    chan = sb.state("slack").channel("incidents").id
    ts = post_incident(sb)
    assert _views(sb, ana) == {"user": ana, "views": [], "top": None}
    out = _post(sb, "/ui/action", {"user": ana, "channel": chan, "ts": ts, "block_id": "acts",
                                   "action_id": "file_incident", "value": "inc-1"})
    assert out["acked"] and out["delivery"]["via"] == request.node.callspec.params["bolt"]
    stack = wait_until(lambda: _views(sb, ana)["top"] and _views(sb, ana), what="the modal the app opened")
    assert _views(sb, ben)["top"] is None  # a modal is only its opener's
    top = stack["top"]
    assert stack["views"] == [top["id"]] and 'data-block-id="summary"' in top["html"]
    assert '<h2 id="modal-title">File the incident</h2>' in top["html"]
    missing = _post(sb, "/ui/action", {"user": ana, "channel": chan, "ts": ts, "block_id": "acts",
                                       "action_id": "nope"})
    assert missing["error"] == "element_not_found" and len(bolt.clicks) == 1
    short = _post(sb, "/ui/view_submit", {"user": ana, "view_id": top["id"],
                                          "values": json.dumps({"summary": {"text": "db"}, "areas": {"pick": []}})})
    assert short["acked"] and 'class="bk-error" role="alert">Say a bit more' in short["top"]["html"]
    assert 'value="db"' in short["top"]["html"]  # the modal keeps what was typed
    # A button inside the modal: block_actions from the view, with what is typed so far in its state.
    out = _post(sb, "/ui/action", {"user": ana, "view_id": top["id"], "block_id": "intro", "action_id": "add_note",
                                   "values": json.dumps({"summary": {"text": "db pool"}})})
    click = bolt.clicks[-1]
    assert out["acked"] and (click["container"]["type"], click["view"]["id"]) == ("view", top["id"])
    assert click["view"]["state"]["values"]["summary"]["text"]["value"] == "db pool"
    closed = _post(sb, "/ui/view_close", {"user": ana, "view_id": top["id"]})
    assert closed == {"closed": True, "top": None} and _views(sb, ana)["views"] == []


def test_a_menu_in_a_message_and_a_button_in_an_ephemeral_send_block_actions(sb, bolt):
    ana = sb.state("slack").user_by_name("ana").id
    chan = sb.state("slack").channel("incidents").id
    menu = {"type": "static_select", "action_id": "severity", "placeholder": {"type": "plain_text", "text": "Severity"},
            "options": [{"text": {"type": "plain_text", "text": f"SEV{n}"}, "value": f"sev{n}"} for n in (1, 2)]}
    ts = bot_client(sb).chat_postMessage(channel=chan, text="How bad?", blocks=[
        {"type": "actions", "block_id": "sev", "elements": [menu]}])["ts"]
    page = fragment(sb, chan, ana)
    assert ('<select class="bk-control" data-type="static_select" data-block-id="sev" data-action-id="severity" '
            f'data-channel="{chan}" data-ts="{ts}" data-dispatch="1">') in page
    assert '<option value="">Severity</option><option value="sev1">SEV1</option>' in page
    out = _post(sb, "/ui/action", {"user": ana, "channel": chan, "ts": ts, "block_id": "sev", "action_id": "severity",
                                   "raw": json.dumps("sev2")})
    assert out["acked"]
    action = bolt.clicks[-1]["actions"][0]
    assert (action["type"], action["block_id"], action["selected_option"]["value"]) == ("static_select", "sev", "sev2")

    eph = bot_client(sb).chat_postEphemeral(channel=chan, user=ana, text="Only you", blocks=[
        {"type": "actions", "block_id": "acts", "elements": [
            {"type": "button", "action_id": "file_incident", "value": "mine",
             "text": {"type": "plain_text", "text": "File it"}}]}])["message_ts"]
    assert f'data-ts="{eph}" data-ephemeral="1">File it</button>' in fragment(sb, chan, ana)
    out = _post(sb, "/ui/action", {"user": ana, "channel": chan, "ts": eph, "ephemeral": "1", "block_id": "acts",
                                   "action_id": "file_incident", "value": "mine"})
    assert out["acked"] and bolt.clicks[-1]["container"]["is_ephemeral"] is True
    ben = sb.state("slack").user_by_name("ben").id  # someone else's ephemeral is not theirs to click
    assert _post(sb, "/ui/action", {"user": ben, "channel": chan, "ts": eph, "ephemeral": "1", "block_id": "acts",
                                    "action_id": "file_incident"})["error"] == "message_not_found"
