"""The read tools of @modelcontextprotocol/server-slack 0.6.2 (src/slack/index.ts), over any Slack Web API base URL."""

from __future__ import annotations

import json
import os

import httpx

_TS_HINT = ("The timestamp of the parent message in the format '1234567890.123456'. Timestamps in the format without "
            "the period can be converted by adding the period such that 6 numbers come after it.")

# Names, descriptions and input schemas exactly as the reference server lists them (its write tools are left out).
TOOLS: list[dict] = [
    {"name": "slack_list_channels", "description": "List public or pre-defined channels in the workspace with pagination",
     "inputSchema": {"type": "object", "properties": {
         "limit": {"type": "number", "description": "Maximum number of channels to return (default 100, max 200)",
                   "default": 100},
         "cursor": {"type": "string", "description": "Pagination cursor for next page of results"}}}},
    {"name": "slack_get_channel_history", "description": "Get recent messages from a channel",
     "inputSchema": {"type": "object", "properties": {
         "channel_id": {"type": "string", "description": "The ID of the channel"},
         "limit": {"type": "number", "description": "Number of messages to retrieve (default 10)", "default": 10}},
         "required": ["channel_id"]}},
    {"name": "slack_get_thread_replies", "description": "Get all replies in a message thread",
     "inputSchema": {"type": "object", "properties": {
         "channel_id": {"type": "string", "description": "The ID of the channel containing the thread"},
         "thread_ts": {"type": "string", "description": _TS_HINT}},
         "required": ["channel_id", "thread_ts"]}},
    {"name": "slack_get_users",
     "description": "Get a list of all users in the workspace with their basic profile information",
     "inputSchema": {"type": "object", "properties": {
         "cursor": {"type": "string", "description": "Pagination cursor for next page of results"},
         "limit": {"type": "number", "description": "Maximum number of users to return (default 100, max 200)",
                   "default": 100}}}},
    {"name": "slack_get_user_profile", "description": "Get detailed profile information for a specific user",
     "inputSchema": {"type": "object", "properties": {
         "user_id": {"type": "string", "description": "The ID of the user"}},
         "required": ["user_id"]}},
]


def _js(value) -> str:
    """A value as JavaScript's toString() writes it into URLSearchParams (100, not 100.0)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _capped(value, cap: int) -> str:
    """Math.min(value, cap).toString(): a number that is not one gives NaN, as the reference passes it on."""
    try:
        return _js(min(float(value), cap))
    except (TypeError, ValueError):
        return "NaN"


class SlackWebApi:
    """The reference's SlackClient: GET <SLACK_API_URL><method> with the bot token, the JSON answer as it comes."""

    def __init__(self, token: str, base_url: str, team_id: str | None, channel_ids: str | None):
        self.token, self.base = token, base_url.rstrip("/") + "/"
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        # SLACK_TEAM_ID is sent when set (the reference requires it; Slack needs it only for org-wide tokens).
        self.team = {"team_id": team_id} if team_id else {}
        self.channel_ids = channel_ids
        self._http: httpx.AsyncClient | None = None

    @classmethod
    def from_env(cls) -> SlackWebApi:
        return cls(os.environ.get("SLACK_BOT_TOKEN", ""), os.environ.get("SLACK_API_URL") or "https://slack.com/api/",
                   os.environ.get("SLACK_TEAM_ID"), os.environ.get("SLACK_CHANNEL_IDS"))

    async def get(self, method: str, params: dict) -> dict:
        if self._http is None:  # made in the server's own event loop, then reused: one connection pool
            self._http = httpx.AsyncClient(timeout=60.0)
        response = await self._http.get(self.base + method, params=params, headers=self.headers)
        return response.json()  # whatever the status: Slack's errors are JSON bodies, passed on as they are

    async def channels(self, limit=None, cursor=None) -> dict:
        if not self.channel_ids:
            params = {"types": "public_channel", "exclude_archived": "true",
                      "limit": _capped(100 if limit is None else limit, 200), **self.team}
            return await self.get("conversations.list", {**params, **({"cursor": cursor} if cursor else {})})
        found = []
        for channel_id in (c.strip() for c in self.channel_ids.split(",")):
            data = await self.get("conversations.info", {"channel": channel_id})
            if data.get("ok") and data.get("channel") and not data["channel"].get("is_archived"):
                found.append(data["channel"])
        return {"ok": True, "channels": found, "response_metadata": {"next_cursor": ""}}

    async def call(self, name: str, args: dict | None) -> str:
        """The tool's text content: the Web API's JSON, or {"error": message} for anything that went wrong."""
        try:
            if args is None:  # the reference refuses a call without arguments (an empty object is fine)
                raise ValueError("No arguments provided")
            data = await self._dispatch(name, args)
        except Exception as exc:  # noqa: BLE001 - the reference answers every failure as text, never as an MCP error
            data = {"error": str(exc) or type(exc).__name__}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)  # as JSON.stringify writes it

    async def _dispatch(self, name: str, args: dict) -> dict:
        if name == "slack_list_channels":
            return await self.channels(args.get("limit"), args.get("cursor"))
        if name == "slack_get_channel_history":
            if not args.get("channel_id"):
                raise ValueError("Missing required argument: channel_id")
            limit = args.get("limit")
            return await self.get("conversations.history",
                                  {"channel": args["channel_id"], "limit": _js(10 if limit is None else limit)})
        if name == "slack_get_thread_replies":
            if not args.get("channel_id") or not args.get("thread_ts"):
                raise ValueError("Missing required arguments: channel_id and thread_ts")
            return await self.get("conversations.replies", {"channel": args["channel_id"], "ts": args["thread_ts"]})
        if name == "slack_get_users":
            limit, cursor = args.get("limit"), args.get("cursor")
            params = {"limit": _capped(100 if limit is None else limit, 200), **self.team}
            return await self.get("users.list", {**params, **({"cursor": cursor} if cursor else {})})
        if name == "slack_get_user_profile":
            if not args.get("user_id"):
                raise ValueError("Missing required argument: user_id")
            return await self.get("users.profile.get", {"user": args["user_id"], "include_labels": "true"})
        raise ValueError(f"Unknown tool: {name}")

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
