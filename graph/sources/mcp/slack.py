"""The slack_sdk WebClient calls SlackSource makes, answered by a Slack MCP server's reference read tools."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from graph.evidence import iso
from graph.sources.base import SourceError

TOOLS = ["slack_list_channels", "slack_get_channel_history", "slack_get_thread_replies", "slack_get_users"]
PAGE_CAP = 200  # slack_list_channels and slack_get_users cap their limit at 200 (and page by cursor)
HISTORY_LIMIT = 999  # slack_get_channel_history passes its limit through; 999 is the most conversations.history gives


class McpSlackResponse:
    """What SlackSource reads of a slack_sdk SlackResponse: `.data` (and get / [] for convenience)."""

    def __init__(self, data: dict):
        self.data = data

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def __getitem__(self, key: str):
        return self.data[key]


def _ts(value) -> Decimal | None:
    """A Slack ts or window bound as an exact number: floats lose the last microsecond digits of a ts."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise SourceError(f"not a Slack timestamp: {value!r}") from None


def _when(ts: Decimal) -> str:
    return iso(datetime.fromtimestamp(float(ts), UTC))


class SlackMcpClient:
    """A stand-in for slack_sdk.WebClient in SlackSource (graph/sources/slack.py) and read_context
    (graph/sources/slack_context.py), on the tools of @modelcontextprotocol/server-slack (or sandbox.slack.mcp_server,
    which offers the same). What the tools cannot do, and what this does instead:

    - no auth.test: `identity` (auth.test's answer: url, user_id, bot_id) is given by whoever builds the client;
    - no search: SlackSource must be built with a blank slack_user_token, so it reads channel histories;
    - slack_list_channels lists public channels only (or SLACK_CHANNEL_IDS): private ones are never read;
    - slack_get_channel_history has no oldest/latest/cursor: the newest HISTORY_LIMIT messages are asked for and the
      window is cut from them here; slack_get_thread_replies has no cursor: one page. When that page stops short of
      the window start (or of the thread's end) a sentence naming the channel goes to `gaps`, for the run to report,
      instead of silently missing messages.
    """

    def __init__(self, tools, identity: dict):
        tools.require(TOOLS)  # a server without them fails here, naming the server, the tools and what it offers
        self.tools, self.identity = tools, dict(identity)
        self._gaps: dict[str, None] = {}  # ordered and each once: gather and fetch may meet the same gap
        self._names: dict[str, str] = {}  # channel id -> name, from the listing, for readable gaps
        self._lock = threading.Lock()  # threads are read side by side

    @property
    def gaps(self) -> list[str]:
        with self._lock:
            return list(self._gaps)

    def _gap(self, text: str) -> None:
        with self._lock:
            self._gaps[text] = None

    def _channel(self, ch_id: str) -> str:
        return f"#{self._names[ch_id]}" if ch_id in self._names else f"channel {ch_id}"

    def _call(self, method: str, tool: str, args: dict) -> dict:
        data = self.tools.json(tool, args)
        if not isinstance(data, dict):
            raise SourceError(f"Slack {method} failed: MCP server '{self.tools.server}' answered {tool} with "
                              f"{type(data).__name__}, not a Slack API object")
        if data.get("ok") is not True:  # the reference passes Slack's {"ok": false, "error"} on as text, not isError
            raise SourceError(f"Slack {method} failed: {data.get('error') or 'no error given'} "
                              f"(MCP server '{self.tools.server}', {tool})")
        return data

    @staticmethod
    def _paging(limit, cursor) -> dict:
        return {"limit": min(int(limit or PAGE_CAP), PAGE_CAP), **({"cursor": cursor} if cursor else {})}

    # -- the WebClient methods SlackSource calls --------------------------------------------------------------------
    def auth_test(self, **_kw) -> McpSlackResponse:
        return McpSlackResponse({"ok": True, **self.identity})

    def users_list(self, limit=None, cursor=None, **_kw) -> McpSlackResponse:
        return McpSlackResponse(self._call("users.list", "slack_get_users", self._paging(limit, cursor)))

    def conversations_list(self, limit=None, cursor=None, **_kw) -> McpSlackResponse:
        """Public channels whatever `types` asks (the tool has no types); exclude_archived is what the tool does."""
        data = self._call("conversations.list", "slack_list_channels", self._paging(limit, cursor))
        with self._lock:
            self._names.update({c["id"]: c.get("name", c["id"]) for c in data.get("channels") or [] if "id" in c})
        return McpSlackResponse(data)

    def conversations_history(self, channel: str, oldest=None, latest=None, inclusive=False, cursor=None,
                              **_kw) -> McpSlackResponse:
        """The window's messages (newest first, as Slack gives them) out of the channel's newest HISTORY_LIMIT."""
        data = self._call("conversations.history", "slack_get_channel_history",
                          {"channel_id": channel, "limit": HISTORY_LIMIT})
        lo, hi = _ts(oldest), _ts(latest)
        inclusive = str(inclusive).lower() in ("1", "true")

        def inside(m: dict) -> bool:
            ts = _ts(m.get("ts"))
            if ts is None:
                return False
            above = lo is None or (ts >= lo if inclusive else ts > lo)
            return above and (hi is None or (ts <= hi if inclusive else ts < hi))

        messages = data.get("messages") or []
        if data.get("has_more"):
            reached = min((_ts(m["ts"]) for m in messages if m.get("ts")), default=None)
            if reached is None or lo is None or reached > lo:
                since = f"{_when(reached)}" if reached is not None else "no message at all"
                wanted = f"the window's start, {_when(lo)}" if lo is not None else "the channel's first message"
                self._gap(f"{self._channel(channel)}: the MCP server's slack_get_channel_history gives only the newest "
                          f"{len(messages)} messages, back to {since}, not to {wanted}; earlier messages were not "
                          "read")
        return McpSlackResponse({**data, "messages": [m for m in messages if inside(m)], "has_more": False,
                                 "response_metadata": {"next_cursor": ""}})

    def conversations_replies(self, channel: str, ts: str, cursor=None, **_kw) -> McpSlackResponse:
        """The whole thread in one page: the tool has no cursor (Slack gives up to 1000 messages a page)."""
        data = self._call("conversations.replies", "slack_get_thread_replies", {"channel_id": channel, "thread_ts": ts})
        if data.get("has_more"):
            self._gap(f"{self._channel(channel)}: the thread of {ts} has more replies than the MCP server's "
                      f"slack_get_thread_replies gives in one page ({len(data.get('messages') or [])}); later "
                      "replies were not read")
        return McpSlackResponse({**data, "has_more": False, "response_metadata": {"next_cursor": ""}})
