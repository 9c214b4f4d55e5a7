"""`@postmortem summer25` answers in the mention's thread; a bare `@postmortem` in a thread means that thread's incident."""

from __future__ import annotations

import re
from logging import Logger

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import redraft
from bot.access import refusal_with_lookup
from bot.config import Settings
from bot.jobs import Jobs, Request
from bot.replies import HELP_WORDS, USAGE
from bot.slack_api import SlackAPI
from graph.incident_text import MAX_INCIDENT_CHARS, IncidentTextError, check_incident, strip_invisible

_MARKUP = re.compile(r"<[^>]*>")  # mentions, channel links, URLs
_EMOJI = re.compile(r":[a-z0-9_+'-]+:")
_CODE = re.compile(r"(?<![\w-])#?([A-Za-z]{2,}[0-9]{1,4})(?![\w-])")  # SUMMER25, promo codes, incident tags
_WORD = re.compile(r"\w[\w'.:/-]*")
MAX_WORDS = 8
REDRAFT = "redraft"


def register(app: App) -> None:
    app.event("app_mention")(app_mention_callback)


def app_mention_callback(body: dict, event: dict, client: WebClient, context: BoltContext, logger: Logger) -> None:
    jobs: Jobs = context["jobs"]
    # Slack re-sends an event it thinks was not acknowledged; the event_id stays the same across those retries.
    if not jobs.seen.first_time(f"event:{body.get('event_id') or event.get('event_ts') or event.get('ts')}"):
        logger.info("dropping a repeated delivery of event %s", body.get("event_id"))
        return
    jobs.intake(start, jobs, context["settings"], SlackAPI(client), event, logger)


def start(jobs: Jobs, settings: Settings, api: SlackAPI, event: dict, logger: Logger) -> None:
    """After the ack: check who asked, work out the incident, then queue the job in the mention's thread."""
    channel, user, in_thread = event["channel"], event.get("user", ""), event.get("thread_ts")
    reply_ts = in_thread or event["ts"]
    try:
        why = refusal_with_lookup(settings, api, user, channel)
        if why:
            api.post_ephemeral(channel, user, why, thread_ts=in_thread)
            return
        text = " ".join(_MARKUP.sub(" ", event.get("text") or "").split())
        if text.lower().split(" ")[0] == REDRAFT:  # `@postmortem redraft root cause …` in a result's thread
            redraft.propose(settings, api, channel, in_thread, user, text[len(REDRAFT):])
            return
        if text.lower() in HELP_WORDS or (not text and not in_thread):
            api.post_message(channel, USAGE, thread_ts=reply_ts)
            return
        if text:
            try:
                text = check_incident(text, "the text after @postmortem")
            except IncidentTextError as exc:
                api.post_ephemeral(channel, user, f":warning: {exc}", thread_ts=in_thread)
                return
        seed = None
        if not text:
            seed = {"channel": channel, "ts": in_thread}
            parent = (api.thread_parent(channel, in_thread) or {}).get("text") or ""
            text = strip_invisible(incident_from_text(parent))[:MAX_INCIDENT_CHARS]  # nobody typed it: trim, don't refuse
        jobs.submit(api, Request(incident=text, user=user, channel=channel, thread_ts=reply_ts, seed_thread=seed))
    except Exception:  # noqa: BLE001 - say so in the thread rather than leave the person waiting
        logger.exception("could not start the post-mortem for a mention in %s", channel)
        api.post_message(channel, "Sorry, I couldn't start that post-mortem: Slack didn't answer as expected. "
                         "Please try again in a minute.", thread_ts=reply_ts)


def incident_from_text(text: str) -> str:
    """What a thread is about, from its first message: a code-like tag (SUMMER25) if any, else its first words."""
    text = _EMOJI.sub(" ", _MARKUP.sub(" ", text))
    code = _CODE.search(text)
    if code:
        return code.group(1)
    return " ".join(_WORD.findall(text)[:MAX_WORDS]).strip(" .-/")
