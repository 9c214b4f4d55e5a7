"""A trivial Bolt app, the tiny workspace it is tested in, and a bounded poll for what it writes back."""

from __future__ import annotations

import threading

from slack_bolt import App

from tests.support.workspaces import workspace_dict

USERS = [{"name": "ana", "real_name": "Ana Lopez"}, {"name": "ben", "real_name": "Ben Ode"}]
CHANNELS = [
    {"name": "incidents", "members": ["ana", "ben", "postmortem"],
     "messages": [{"at": "2025-08-04T10:00:00Z", "user": "ana", "text": "Checkout is down"}]},
    {"name": "random", "members": ["ana", "ben"]},
]


def workspace() -> dict:
    """The workspace the Socket Mode and HTTP delivery tests run in (conftest.py's `sb` serves it)."""
    return workspace_dict(slack={"team": {"id": "T0TINY0001", "name": "Tiny", "domain": "tiny"},
                                 "users": USERS, "channels": CHANNELS})


def _bolt(sb, web) -> App:
    """A trivial Bolt app, the kind the real bot is, answering the command and mentions."""
    app = App(client=web, signing_secret=sb.env["SLACK_SIGNING_SECRET"])
    app.seen = []

    @app.command("/postmortem")
    def command(ack, command, respond):
        ack(f"Working on {command['text']}")
        app.seen.append(command)
        respond(text=f"Started {command['text']}", response_type="ephemeral")

    @app.event("app_mention")
    def mentioned(ack, event, say):
        ack()
        app.seen.append(event)
        say(text="On it", thread_ts=event.get("thread_ts") or event["ts"])

    return app


def _wait(read, tries: int = 100):
    """Poll until the bot's asynchronous write shows up (a count, not a time limit, bounds it)."""
    for _ in range(tries):
        if out := read():
            return out
        threading.Event().wait(0.05)
    return read()
