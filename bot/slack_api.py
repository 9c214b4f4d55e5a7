"""The one path from the bot to the Slack Web API: thin typed wrappers, retried on rate limits and server errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

ATTEMPTS = 4
MAX_WAIT_S = 30.0
RATE_LIMIT_WAIT_S = 120.0  # total Retry-After waiting for one call before it gives up


def error_code(exc: SlackApiError) -> str:
    return str((exc.response.data if isinstance(exc.response.data, dict) else {}).get("error") or exc.response.status_code)


def _wait_for(exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before trying again, or None when another try cannot help."""
    backoff = min(0.25 * 2**attempt, MAX_WAIT_S)
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        if status == 429:
            try:
                return min(float(exc.response.headers.get("Retry-After", 1)), MAX_WAIT_S)
            except (TypeError, ValueError):
                return backoff
        return backoff if status >= 500 else None
    return backoff if isinstance(exc, OSError) else None  # connection refused/reset, timeouts


class SlackAPI:
    """Every Web API call the bot makes goes through `call`, so retry policy lives in one place."""

    def __init__(self, client: WebClient):
        self.client = client

    def call(self, method: str, **kwargs) -> dict:
        """`method` as Slack names it (chat.postMessage); slack_sdk's own method does the encoding."""
        attempt, waited = 0, 0.0
        while True:
            try:
                args = {k: v for k, v in kwargs.items() if v is not None}
                return getattr(self.client, method.replace(".", "_"))(**args).data
            except (SlackApiError, OSError) as exc:
                wait = _wait_for(exc, attempt)
                # A 429 says "not yet", not "broken": many jobs posting in one channel (1 message/s) queue up behind
                # each other, so rate limits are bounded by total waiting, other failures by attempts.
                limited = isinstance(exc, SlackApiError) and exc.response.status_code == 429
                if wait is None or waited + wait > RATE_LIMIT_WAIT_S or (not limited and attempt == ATTEMPTS - 1):
                    raise
                attempt += 0 if limited else 1
                waited += wait
                log.warning("slack %s failed (%s); retrying in %.2fs", method, _describe(exc), wait)
                time.sleep(wait)

    def _paged(self, method: str, key: str, **kwargs) -> Iterator[dict | str]:
        cursor = None
        while True:
            data = self.call(method, **kwargs, **({"cursor": cursor} if cursor else {}))
            yield from data.get(key) or []
            cursor = (data.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    # --- messages --------------------------------------------------------------------------------------------------
    def post_message(self, channel: str, text: str, *, thread_ts: str | None = None,
                     blocks: list[dict] | None = None) -> dict:
        return self.call("chat.postMessage", channel=channel, text=text, thread_ts=thread_ts, blocks=blocks,
                         unfurl_links=False, unfurl_media=False)

    def update_message(self, channel: str, ts: str, text: str, *, blocks: list[dict] | None = None) -> dict:
        return self.call("chat.update", channel=channel, ts=ts, text=text, blocks=blocks)

    def post_ephemeral(self, channel: str, user: str, text: str, *, thread_ts: str | None = None) -> dict:
        return self.call("chat.postEphemeral", channel=channel, user=user, text=text, thread_ts=thread_ts)

    def open_view(self, trigger_id: str, view: dict) -> dict:
        return self.call("views.open", trigger_id=trigger_id, view=view)

    def thread_messages(self, channel: str, ts: str) -> list[dict]:
        return self.call("conversations.replies", channel=channel, ts=ts, limit=200).get("messages") or []

    def thread_parent(self, channel: str, ts: str) -> dict | None:
        messages = self.call("conversations.replies", channel=channel, ts=ts, limit=1).get("messages") or []
        return messages[0] if messages else None

    # --- channels and people ---------------------------------------------------------------------------------------
    def join_channel(self, channel: str) -> dict:
        return self.call("conversations.join", channel=channel)["channel"]

    def conversation_info(self, channel: str) -> dict:
        return self.call("conversations.info", channel=channel)["channel"]

    def conversations(self, types: str = "public_channel,private_channel") -> Iterator[dict]:
        return self._paged("conversations.list", "channels", types=types, exclude_archived=True, limit=200)

    def conversation_members(self, channel: str) -> set[str]:
        return set(self._paged("conversations.members", "members", channel=channel, limit=500))

    def users_info(self, user: str) -> dict:
        return self.call("users.info", user=user)["user"]


def _describe(exc: Exception) -> str:
    return error_code(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
