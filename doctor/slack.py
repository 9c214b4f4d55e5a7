"""Slack rows: the bot token and its scopes against manifest.yml, and the optional user token's search:read."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from doctor.manifest import NoManifest, declared_scopes
from doctor.rows import BUDGET_S, Row, fail, ok, skip
from doctor.slack_channels import channel_rows, channel_skips
from graph.configuration import Configuration
from graph.sources.retry import Budget
from graph.sources.slack import make_client

APPS = "https://api.slack.com/apps"
BOT_TOKEN, SCOPES, USER_TOKEN = "Slack bot token", "Slack bot scopes", "Slack user token"
# What auth.test answers for a token that will never work as it is (wrong, revoked, its app uninstalled…).
REFUSED = ("invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "no_permission",
           "not_allowed_token_type", "ekm_access_denied")
COPY_BOT = (f"Copy the Bot User OAuth Token (xoxb-…) from {APPS} -> your app -> OAuth & Permissions into "
            f"SLACK_BOT_TOKEN")
COPY_USER = (f"Copy the User OAuth Token (xoxp-…) from {APPS} -> your app -> OAuth & Permissions into "
             f"SLACK_USER_TOKEN, or unset it (it is optional)")
NEEDS_TOKEN = "needs a working Slack bot token"


def check_slack(cfg: Configuration) -> list[Row]:
    token = cfg.slack_bot_token.strip()
    if not token:
        return [fail(BOT_TOKEN, "SLACK_BOT_TOKEN is not set", f"Install the app to your workspace. {COPY_BOT}"),
                skip(SCOPES, NEEDS_TOKEN), user_row(cfg), *channel_skips(NEEDS_TOKEN)]
    if not token.startswith("xoxb-"):
        what = "an app-level token (xapp-…)" if token.startswith("xapp-") else "not a bot token (xoxb-…)"
        return [fail(BOT_TOKEN, f"SLACK_BOT_TOKEN is {what}", COPY_BOT),
                skip(SCOPES, NEEDS_TOKEN), user_row(cfg), *channel_skips(NEEDS_TOKEN)]
    client = make_client(cfg, token, Budget(BUDGET_S))
    try:
        auth = client.auth_test()
    except (SlackApiError, OSError) as exc:
        detail, fix = failure(exc, "SLACK_BOT_TOKEN", COPY_BOT, cfg.slack_api_url)
        return [fail(BOT_TOKEN, detail, fix), skip(SCOPES, NEEDS_TOKEN), user_row(cfg), *channel_skips(NEEDS_TOKEN)]
    rows = [ok(BOT_TOKEN, f"valid: @{auth.get('user')} in {auth.get('team')}"), scope_row(scopes_of(auth)),
            user_row(cfg)]
    return rows + channel_rows(client, cfg)


def failure(exc: Exception, variable: str, copy_fix: str, api_url: str) -> tuple[str, str]:
    """(detail, fix) for an auth.test that failed."""
    if isinstance(exc, SlackApiError):
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        code, status = str(data.get("error") or "no error code"), exc.response.status_code
        if code in REFUSED:
            return (f"Slack refused {variable} ({code})",
                    f"{copy_fix}; if the app was removed from the workspace, reinstall it "
                    f"first (a reinstall gives a new token)")
        if status == 429 or status >= 500:
            return (f"Slack answered HTTP {status} ({code})",
                    "Slack is having trouble (see https://slack-status.com); run postmortem doctor again in a few "
                    "minutes")
        return f"auth.test failed: {code}", copy_fix
    return (f"could not reach Slack at {api_url} ({type(exc).__name__})",
            "Check SLACK_API_URL (normally https://slack.com/api/) and that this machine can reach it "
            "(proxy, firewall)")


def scopes_of(response) -> set[str] | None:
    """The token's scopes from the X-OAuth-Scopes header Slack sends with every answer; None when it is absent."""
    for name, value in (response.headers or {}).items():
        if name.lower() == "x-oauth-scopes":
            value = value[0] if isinstance(value, list | tuple) else value
            return {s.strip() for s in str(value).split(",") if s.strip()}
    return None


def scope_row(have: set[str] | None) -> Row:
    try:
        wanted = declared_scopes()["bot"]
    except NoManifest as exc:
        return skip(SCOPES, f"{exc}; nothing to compare the token's scopes with")
    if have is None:
        return skip(SCOPES, "Slack did not say which scopes the token has (no X-OAuth-Scopes header)")
    missing = [s for s in wanted if s not in have]
    if missing:
        listed = ", ".join(missing)
        return fail(SCOPES, f"missing {listed}",
                    f"Add {listed} under oauth_config.scopes.bot in manifest.yml and in your app ({APPS} -> your app "
                    f"-> OAuth & Permissions -> Bot Token Scopes), then reinstall the app to the workspace: a token "
                    f"gets new scopes only when the app is reinstalled")
    return ok(SCOPES, f"all {len(wanted)} that manifest.yml declares")


def user_row(cfg: Configuration) -> Row:
    token = cfg.slack_user_token.strip()
    if not token:
        return skip(USER_TOKEN, "optional: SLACK_USER_TOKEN not set, so channel histories are read instead of "
                                "searched")
    if not token.startswith("xoxp-"):
        return fail(USER_TOKEN, "SLACK_USER_TOKEN is not a user token (xoxp-…)", COPY_USER)
    try:
        auth = make_client(cfg, token, Budget(BUDGET_S)).auth_test()
    except (SlackApiError, OSError) as exc:
        return fail(USER_TOKEN, *failure(exc, "SLACK_USER_TOKEN", COPY_USER, cfg.slack_api_url))
    have = scopes_of(auth)
    if have is not None and "search:read" not in have:
        return fail(USER_TOKEN, "the user token lacks search:read",
                    f"Add search:read under oauth_config.scopes.user in manifest.yml and under User Token Scopes "
                    f"in your app ({APPS}) and reinstall the app. {COPY_USER}")
    return ok(USER_TOKEN, f"search:read, as @{auth.get('user')}")
