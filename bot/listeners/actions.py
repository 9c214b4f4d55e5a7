"""The buttons under a result reply and the modal they open: Create Jira tickets, Refresh, Approve/Discard a redraft."""

from __future__ import annotations

import json
from logging import Logger

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import redraft, tickets
from bot.access import refusal_with_lookup
from bot.jobs import Jobs, Request
from bot.run_access import RunRefused, check_may_act, load_run
from bot.slack_api import SlackAPI
from graph.configuration import Configuration


def register(app: App) -> None:
    app.action("postmortem_tickets")(tickets_button_callback)
    app.view(tickets.CALLBACK)(tickets_submit_callback)
    app.action("postmortem_refresh")(refresh_button_callback)
    app.action("postmortem_redraft_approve")(redraft_approve_callback)
    app.action("postmortem_redraft_discard")(redraft_discard_callback)


def _where(body: dict) -> tuple[str, str, str]:
    """(channel, message ts, thread ts) of the message whose button was pressed."""
    msg, channel = body.get("message") or {}, (body.get("channel") or {}).get("id", "")
    return channel, msg.get("ts", ""), msg.get("thread_ts") or msg.get("ts", "")


def tickets_button_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    ack()
    api, user, run_id = SlackAPI(client), body["user"]["id"], body["actions"][0]["value"]
    channel, message_ts, thread_ts = _where(body)
    try:
        state = load_run(context["settings"], run_id)
        check_may_act(state, user, "create tickets for it")
        cfg = Configuration.from_runnable_config({"configurable": context["settings"].graph_overrides})
        if not tickets.open_items(state):
            api.post_ephemeral(channel, user, "Every action item already has a ticket.", thread_ts=thread_ts)
            return
        meta = {"run_id": run_id, "channel": channel, "message_ts": message_ts, "thread_ts": thread_ts}
        # The trigger is valid for 3 s: no Jira round trip before the modal opens (owners are looked up on submit).
        api.open_view(body["trigger_id"], tickets.modal(cfg, state, meta))
    except (RunRefused, LookupError) as exc:
        api.post_ephemeral(channel, user, f":no_entry: {exc}", thread_ts=thread_ts)
    except Exception:  # noqa: BLE001 - the person must hear about it; the details go to the log
        logger.exception("could not open the tickets modal for %s", run_id)
        api.post_ephemeral(channel, user, "Sorry, I couldn't open the tickets form. Please try again.",
                           thread_ts=thread_ts)


def tickets_submit_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    view = body["view"]
    values = view["state"]["values"]
    errors = tickets.validate(values)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()  # the modal closes; what was made is told in the thread
    jobs: Jobs = context["jobs"]
    if not jobs.seen.first_time(f"view:{view['id']}:{view.get('hash')}"):
        logger.info("dropping a repeated delivery of the tickets form %s", view["id"])
        return
    meta, user = json.loads(view["private_metadata"]), body["user"]["id"]
    jobs.intake(_create, context["settings"], SlackAPI(client), user, meta, values, logger)


def _create(settings, api: SlackAPI, user: str, meta: dict, values: dict, logger: Logger) -> None:
    try:
        tickets.create(settings, api, user, meta, values)
    except (RunRefused, LookupError) as exc:
        api.post_ephemeral(meta["channel"], user, f":no_entry: {exc}", thread_ts=meta["thread_ts"])
    except Exception as exc:  # noqa: BLE001 - say so in the thread: nothing was half-done silently
        logger.exception("creating tickets for %s failed", meta.get("run_id"))
        api.post_message(meta["channel"], f":x: Creating the Jira tickets failed ({type(exc).__name__}: {exc}). "
                         "Tickets made before the failure are kept; pressing the button again makes only the rest.",
                         thread_ts=meta["thread_ts"])


def refresh_button_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    ack()
    jobs: Jobs = context["jobs"]
    if not jobs.seen.first_time(f"action:{body.get('trigger_id')}"):
        return
    jobs.intake(_refresh, jobs, context["settings"], SlackAPI(client), body, logger)


def _refresh(jobs: Jobs, settings, api: SlackAPI, body: dict, logger: Logger) -> None:
    """Gather and analyze again as the person who pressed it (their channels bound it, as for a new request); the
    same page is updated, and kept when this run could read fewer sources (the no-downgrade rule)."""
    user, run_id = body["user"]["id"], body["actions"][0]["value"]
    channel, _, thread_ts = _where(body)
    try:
        why = refusal_with_lookup(settings, api, user, channel)
        if why:
            api.post_ephemeral(channel, user, why, thread_ts=thread_ts)
            return
        state = load_run(settings, run_id)
        jobs.submit(api, Request(incident=state.get("incident") or "", user=user, channel=channel,
                                 thread_ts=thread_ts, seed_thread=state.get("seed_thread")))
    except LookupError as exc:
        api.post_ephemeral(channel, user, f":no_entry: {exc}", thread_ts=thread_ts)
    except Exception:  # noqa: BLE001
        logger.exception("refresh of %s failed to start", run_id)
        api.post_message(channel, "Sorry, I couldn't start the refresh. Please try again.", thread_ts=thread_ts)


def redraft_approve_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    ack()
    context["jobs"].intake(redraft.decide, context["settings"], SlackAPI(client), body, True, logger)


def redraft_discard_callback(ack: Ack, body: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    ack()
    context["jobs"].intake(redraft.decide, context["settings"], SlackAPI(client), body, False, logger)
