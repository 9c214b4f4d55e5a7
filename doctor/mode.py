"""The Slack connection row: Socket Mode needs SLACK_APP_TOKEN, HTTP mode SLACK_SIGNING_SECRET (the bot's own rule)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.config import ConfigError, Settings, check_app_token, check_signing_secret
from doctor.rows import Row, fail, ok

MODE = "Slack connection"


def check_mode(env: Mapping[str, str]) -> list[Row]:
    """The mode app.py would start in with these variables, and whether it has what that mode needs."""
    app_token = (env.get("SLACK_APP_TOKEN") or "").strip()
    secret = (env.get("SLACK_SIGNING_SECRET") or "").strip()
    try:
        # The checks the bot makes at start-up, so the doctor and the bot never disagree about what is missing.
        check_app_token(app_token)
        check_signing_secret(secret, app_token)
    except ConfigError as exc:
        detail = ("SLACK_APP_TOKEN is not an app-level token (xapp-…)" if app_token
                  else "neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is set")
        return [fail(MODE, detail, str(exc)[0].upper() + str(exc)[1:])]
    if Settings(bot_token="", app_token=app_token, signing_secret=secret).socket_mode:
        return [ok(MODE, "Socket Mode: SLACK_APP_TOKEN is set, no public URL needed")]
    return [ok(MODE, "HTTP mode: SLACK_SIGNING_SECRET is set; Slack must send events to https://<your host>"
                     "/slack/events")]
