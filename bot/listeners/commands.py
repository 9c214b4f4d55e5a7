"""`/postmortem <incident>`: acknowledged at once, then a visible parent message and everything else in its thread;
`/postmortem doctor`: the setup checks, answered to the person who asked only."""

from __future__ import annotations

import os
from logging import Logger

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.access import refusal
from bot.config import Settings
from bot.jobs import Jobs, Request
from bot.replies import HELP_WORDS, USAGE, echo
from bot.slack_api import SlackAPI, error_code
from doctor import render_mrkdwn, run_checks
from graph.configuration import Configuration
from graph.incident_text import IncidentTextError, check_incident

DOCTOR = "doctor"
CHECKING = ":stethoscope: Checking Slack, Notion, Jira and the model; only you will see the results."


def register(app: App) -> None:
    app.command("/postmortem")(postmortem_command_callback)


def postmortem_command_callback(ack: Ack, command: dict, client: WebClient, context: BoltContext,
                                respond: Respond, logger: Logger) -> None:
    text = " ".join((command.get("text") or "").split())
    if not text or text.lower() in HELP_WORDS:
        ack(text=USAGE)  # an ack with text is shown only to the person who typed the command
        return
    why = refusal(context["settings"], command["user_id"], command["channel_id"], command.get("user_name"),
                  command.get("channel_name"))
    if why:
        ack(text=why)
        return
    if text.lower() == DOCTOR:
        ack(text=CHECKING)  # the checks take a few seconds: say they are under way
        jobs = context["jobs"]
        if jobs.seen.first_time(f"command:{command.get('trigger_id')}:{DOCTOR}"):
            jobs.intake(doctor, context["settings"], SlackAPI(client), respond, command["user_id"],
                        command["channel_id"], logger)
        return
    try:
        text = check_incident(text, "the text after /postmortem")
    except IncidentTextError as exc:
        ack(text=f":warning: {exc}")  # an ack's text is shown only to the person who typed the command
        return
    ack()
    jobs: Jobs = context["jobs"]
    if not jobs.seen.first_time(f"command:{command.get('trigger_id')}:{text}"):
        logger.info("dropping a repeated delivery of /postmortem %s", text)
        return
    jobs.intake(start, jobs, SlackAPI(client), respond, text, command["user_id"], command["channel_id"], logger)


def start(jobs: Jobs, api: SlackAPI, respond: Respond, text: str, user: str, channel: str, logger: Logger) -> None:
    """After the ack: be in the channel, post the visible parent, then queue the job in its thread."""
    try:
        if not ensure_member(api, channel):
            tell(respond, api, channel, user, "I'm not in this private channel, so I can't post here or read it. "
                 "Invite me with `/invite @postmortem`, then try again.")
            return
        parent = api.post_message(channel, f"Post-mortem for *{echo(text)}* requested by <@{user}>")
        jobs.submit(api, Request(incident=text, user=user, channel=channel, thread_ts=parent["ts"]))
    except Exception as exc:  # noqa: BLE001 - the person must hear about it; the details go to the log
        logger.exception("could not start /postmortem %s", text)
        tell(respond, api, channel, user, f"Sorry, I couldn't start the post-mortem for *{echo(text)}*: "
             f"{_reason(exc)}. Please try again in a minute.")


def doctor(settings: Settings, api: SlackAPI, respond: Respond, user: str, channel: str, logger: Logger) -> None:
    """The same table as `postmortem doctor`, for the bot's own settings, posted with chat.postEphemeral; through
    the command's response_url where the bot cannot post (a private channel it is not in)."""
    try:
        cfg = Configuration.from_runnable_config({"configurable": settings.graph_overrides})
        env = {**os.environ, "SLACK_APP_TOKEN": settings.app_token, "SLACK_SIGNING_SECRET": settings.signing_secret}
        text = render_mrkdwn(run_checks(cfg, env))
    except Exception as exc:  # noqa: BLE001 - the person must hear about it; the details go to the log
        logger.exception("postmortem doctor failed")
        text = f"Sorry, I couldn't run the checks ({type(exc).__name__}); the bot's log says why."
    try:
        api.post_ephemeral(channel, user, text)
        return
    except SlackApiError as exc:
        logger.info("doctor: chat.postEphemeral answered %s; answering through the response_url", error_code(exc))
    try:
        respond(text=text, response_type="ephemeral")
    except OSError:
        logger.exception("doctor: could not answer %s in %s", user, channel)


def ensure_member(api: SlackAPI, channel: str) -> bool:
    """Join public channels on demand; a private channel the bot is not in is invisible to it (channel_not_found)."""
    try:
        info = api.conversation_info(channel)
    except SlackApiError as exc:
        if error_code(exc) == "channel_not_found":
            return False
        raise
    if info.get("is_member"):
        return True
    if info.get("is_private"):
        return False
    api.join_channel(channel)
    return True


def tell(respond: Respond, api: SlackAPI, channel: str, user: str, text: str) -> None:
    """Say something only the requester sees: through the command's response_url, else chat.postEphemeral."""
    try:
        if respond.response_url and respond(text=text, response_type="ephemeral").status_code == 200:
            return
    except OSError:
        pass  # the response_url could not be reached; the Web API may still work
    try:
        api.post_ephemeral(channel, user, text)
    except SlackApiError as exc:
        context = f"{channel}/{user}: {error_code(exc)}"
        raise RuntimeError(f"could not reach the requester ({context}) to say: {text}") from exc


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return f"Slack answered {error_code(exc)}"
    return "Slack could not be reached" if isinstance(exc, OSError) else type(exc).__name__
