"""A tiny Bolt app with a button, a modal and its answers, run over Socket Mode or behind an HTTP Request URL."""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from http.server import ThreadingHTTPServer

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from sandbox.slack.events import SlackDriver
from sandbox.slack.socket import hub_of
from tests.support.bolt_http import BoltEndpoint
from tests.support.bot import wait_until
from tests.support.slack_pages import bot_client

TOO_SHORT = "Say a bit more: at least 10 characters."
AREAS = [("db", "Database"), ("web", "Web tier"), ("cache", "Cache")]
FORM = {
    "type": "modal", "callback_id": "incident_form", "title": {"type": "plain_text", "text": "File the incident"},
    "submit": {"type": "plain_text", "text": "File it"},
    "blocks": [
        {"type": "section", "block_id": "intro", "text": {"type": "mrkdwn", "text": "What went wrong, *briefly*."},
         "accessory": {"type": "button", "action_id": "add_note", "text": {"type": "plain_text", "text": "Add a note"}}},
        {"type": "input", "block_id": "summary", "label": {"type": "plain_text", "text": "Summary"},
         "hint": {"type": "plain_text", "text": "One sentence is enough."},
         "element": {"type": "plain_text_input", "action_id": "text"}},
        {"type": "input", "block_id": "areas", "optional": True, "label": {"type": "plain_text", "text": "Areas"},
         "element": {"type": "checkboxes", "action_id": "pick", "options": [
             {"text": {"type": "plain_text", "text": label}, "value": value} for value, label in AREAS]}},
    ],
}


def make_app(sb) -> App:
    """The tiny app: a button opens the form; a short summary is refused, a good one files and edits the message."""
    app = App(client=bot_client(sb), signing_secret=sb.env["SLACK_SIGNING_SECRET"])
    app.clicks, app.submits = [], []

    @app.action(re.compile(r"file_incident(_sure)?"))
    def clicked(ack, body, client):
        ack()
        app.clicks.append(body)
        where = {"channel": body["channel"]["id"], "ts": body["container"]["message_ts"]}
        client.views_open(trigger_id=body["trigger_id"], view={**FORM, "private_metadata": json.dumps(where)})

    @app.action("add_note")
    def noted(ack, body):
        ack()
        app.clicks.append(body)

    @app.action("severity")
    def picked(ack, body):
        ack()
        app.clicks.append(body)

    @app.view("incident_form")
    def submitted(ack, view, client):
        values = view["state"]["values"]
        app.submits.append(values)
        summary = values["summary"]["text"]["value"] or ""
        if len(summary) < 10:
            ack(response_action="errors", errors={"summary": TOO_SHORT})
            return
        ack()
        where = json.loads(view["private_metadata"])
        areas = ", ".join(o["value"] for o in values["areas"]["pick"]["selected_options"]) or "none"
        client.chat_update(**where, text=f"Filed: {summary}", blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": f":white_check_mark: Filed: *{summary}* ({areas})"}}])

    return app


def post_incident(sb) -> str:
    return bot_client(sb).chat_postMessage(channel="incidents", text="Checkout errors are up", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "Checkout errors are up :rotating_light:"}},
        {"type": "actions", "block_id": "acts", "elements": [
            {"type": "button", "action_id": "file_incident", "value": "inc-1", "style": "primary",
             "text": {"type": "plain_text", "text": "File an incident"}},
            {"type": "button", "action_id": "file_incident_sure", "value": "inc-1-sure", "text": {
                "type": "plain_text", "text": "File after asking"}, "confirm": {
                "title": {"type": "plain_text", "text": "File it?"}, "text": {"type": "mrkdwn", "text": "*Sure*?"},
                "confirm": {"type": "plain_text", "text": "Yes, file"},
                "deny": {"type": "plain_text", "text": "Not now"}, "style": "danger"}}]}])["ts"]


@contextmanager
def running(sb, via: str = "socket"):
    """The app over Socket Mode (as `postmortem dev` runs it) or behind its HTTP Request URL (sb.ctx.bot_url)."""
    app = make_app(sb)
    if via == "http":
        server = ThreadingHTTPServer(("127.0.0.1", 0), BoltEndpoint)
        server.app = app
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sb.ctx.bot_url = f"http://127.0.0.1:{server.server_port}/slack/events"
        try:
            yield app
        finally:
            server.shutdown()
            server.server_close()
        return
    handler = SocketModeHandler(app, sb.env["SLACK_APP_TOKEN"])
    handler.connect()
    wait_until(lambda: hub_of(sb).connections, what="the app's Socket Mode connection")
    try:
        yield app
    finally:
        SlackDriver(sb).close_sockets()
        handler.close()
