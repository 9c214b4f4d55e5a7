"""Bot settings from the environment, with token checks whose messages say which variable is wrong and where to fix it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.redact import ENV_VAR as REDACT_VAR
from graph.redact import RedactConfigError, parse_patterns

APPS = "https://api.slack.com/apps"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable and how to get a good value."""


def _split(raw: str | None) -> frozenset[str]:
    return frozenset(x.strip().lstrip("#@") for x in (raw or "").split(",") if x.strip())


def _int(env: Mapping[str, str], name: str, default: int, lowest: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < lowest:
        raise ConfigError(f"{name} must be at least {lowest}, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    bot_token: str
    signing_secret: str = ""
    app_token: str = ""  # set -> Socket Mode; empty -> HTTP on `port`
    api_url: str = "https://slack.com/api/"
    port: int = 3000
    workers: int = 4
    allowed_channels: frozenset[str] = frozenset()  # ids or names; empty = every channel
    allowed_users: frozenset[str] = frozenset()  # ids or names; empty = everyone
    offline: bool = False  # use the analyzer that needs no model
    graph_overrides: dict = field(default_factory=dict)  # Configuration fields; empty = the graph reads the env

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)


def _check_bot_token(token: str) -> None:
    where = f"copy the Bot User OAuth Token from {APPS} -> your app -> OAuth & Permissions"
    if not token:
        raise ConfigError(f"SLACK_BOT_TOKEN is not set: {where} (it starts with xoxb-)")
    if not token.startswith("xoxb-"):
        hint = " (that is an app-level token; it belongs in SLACK_APP_TOKEN)" if token.startswith("xapp-") else ""
        raise ConfigError(f"SLACK_BOT_TOKEN must be a bot token starting with xoxb-{hint}: {where}")


def check_app_token(token: str) -> None:
    if token and not token.startswith("xapp-"):
        raise ConfigError(f"SLACK_APP_TOKEN must be an app-level token starting with xapp-: create one with the "
                          f"connections:write scope at {APPS} -> your app -> Basic Information -> App-Level Tokens "
                          f"(or unset it to receive events over HTTP)")


def check_signing_secret(secret: str, app_token: str) -> None:
    if not secret and not app_token:
        raise ConfigError(f"SLACK_SIGNING_SECRET is not set and HTTP mode needs it to verify requests: copy the "
                          f"Signing Secret from {APPS} -> your app -> Basic Information -> App Credentials "
                          f"(or set SLACK_APP_TOKEN to use Socket Mode)")


def _truthy(raw: str | None) -> bool:
    return (raw or "").strip().lower() in ("1", "true", "yes", "on")


def load_settings(env: Mapping[str, str] | None = None, overrides: dict | None = None) -> Settings:
    """Settings from `env` (default: os.environ); raises ConfigError naming the first bad variable."""
    env = os.environ if env is None else env
    bot_token = (env.get("SLACK_BOT_TOKEN") or "").strip()
    app_token = (env.get("SLACK_APP_TOKEN") or "").strip()
    secret = (env.get("SLACK_SIGNING_SECRET") or "").strip()
    _check_bot_token(bot_token)
    check_app_token(app_token)
    check_signing_secret(secret, app_token)
    api_url = (env.get("SLACK_API_URL") or "https://slack.com/api/").strip()
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL like https://slack.com/api/, got {api_url!r}")
    try:  # refused at start-up rather than by every post-mortem the bot would start
        parse_patterns(env.get(REDACT_VAR))
    except RedactConfigError as exc:
        raise ConfigError(str(exc)) from None
    return Settings(
        bot_token=bot_token, signing_secret=secret, app_token=app_token,
        api_url=api_url if api_url.endswith("/") else api_url + "/",
        port=_int(env, "PORT", 3000, 0), workers=_int(env, "POSTMORTEM_WORKERS", 4, 1),
        allowed_channels=_split(env.get("POSTMORTEM_ALLOWED_CHANNELS")),
        allowed_users=_split(env.get("POSTMORTEM_ALLOWED_USERS")),
        offline=_truthy(env.get("POSTMORTEM_OFFLINE")) or not (env.get("OPENAI_API_KEY") or "").strip(),
        graph_overrides=dict(overrides or {}),
    )
