"""notion_client.Client's calls as the official Notion MCP server's tools: the same answers, the same errors."""

from __future__ import annotations

import json
import re

import httpx
from mcp.shared.exceptions import McpError as JsonRpcError
from notion_client.errors import RequestTimeoutError, build_request_error

from graph.publish.notion_io import PublishError
from graph.sources.base import SourceError
from graph.sources.mcp.notion_write import guard
from graph.sources.mcp.session import McpTimeout
from graph.sources.notion_http import Gate

# @notionhq/notion-mcp-server names each tool "API-" + its OpenAPI operationId (scripts/notion-openapi.json).
ROUTES = {
    "search": "API-post-search",
    "pages.retrieve": "API-retrieve-a-page",
    "pages.create": "API-post-page",
    "pages.update": "API-patch-page",
    "blocks.retrieve": "API-retrieve-a-block",
    "blocks.update": "API-update-a-block",
    "blocks.delete": "API-delete-a-block",
    "blocks.children.list": "API-get-block-children",
    "blocks.children.append": "API-patch-block-children",
    "users.list": "API-get-users",
    "users.me": "API-get-self",
    "databases.retrieve": "API-retrieve-a-database",
    "data_sources.retrieve": "API-retrieve-a-data-source",
    "data_sources.query": "API-query-data-source",
}
READS = ("search", "pages.retrieve", "blocks.children.list", "users.list")  # what graph/sources/notion*.py call
# The server relays a Notion error only as its body; when that body was not JSON (a proxy's HTML page) the status
# is lost too: it is taken for a bad gateway, which is retried as a 5xx would be.
UNKNOWN_STATUS = 502
# A request the server could not send (it answers a JSON-RPC error with Node's message): a dropped connection.
UNSENT = re.compile(r"\b(ECONN\w+|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|socket hang up)\b")


class NotionMcpError(SourceError, PublishError):
    """The MCP server could not make a call: a source error when reading, a publish error when publishing."""

    def __init__(self, message: str):
        super().__init__(message, "mcp_server")


class NotionMcpClient:
    """The subset of notion_client.Client the Notion source and the publisher use, sent through the server's tools
    (`tools`: graph/sources/mcp/session.py ServerTools). Answers are the API's own JSON; a Notion error is raised
    as the APIResponseError notion-client raises, so retries and messages are those of the native client.

    `gate` (graph/sources/notion_http.py) paces calls as the native client's requests are paced."""

    def __init__(self, tools, *, timeout_s: float = 60.0, gate: Gate | None = None):
        tools.require([ROUTES[r] for r in READS])
        self.tools, self.timeout_s, self.gate = tools, timeout_s, gate
        self.pages, self.blocks, self.users = Calls(self, "pages"), Calls(self, "blocks"), Calls(self, "users")
        self.databases, self.data_sources = Calls(self, "databases"), Calls(self, "data_sources")

    def search(self, **kw) -> dict:
        return self.call("search", kw)

    def call(self, route: str, args: dict) -> dict:
        tool = ROUTES.get(route)
        if tool is None or tool not in self.tools.names():
            offers = ", ".join(self.tools.names()) or "no tools"
            missing = f"has no tool {tool!r}" if tool else "has no tool"
            raise NotionMcpError(f"MCP server '{self.tools.server}' {missing} for Notion's {route} "
                                 f"(it offers: {offers})")
        # notion-client leaves out only a start_cursor of None; the server would send it as "null"
        try:
            args = guard({k: v for k, v in args.items() if not (k == "start_cursor" and v is None)}, tool)
        except ValueError as exc:
            raise NotionMcpError(f"MCP server '{self.tools.server}': {exc}") from None
        text = self._send(tool, args)
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise NotionMcpError(f"MCP server '{self.tools.server}': {tool} answered text that is not JSON: "
                                 f"{text[:200]}") from None
        if isinstance(data, dict) and (data.get("object") == "error" or data.get("status") == "error"):
            raise _api_error(data)
        return data

    def _send(self, tool: str, args: dict) -> str:
        try:
            if self.gate is None:
                return self.tools.text(tool, args, self.timeout_s)
            with self.gate:
                return self.tools.text(tool, args, self.timeout_s)
        except (JsonRpcError, SourceError) as exc:
            message = str(exc)
            if isinstance(exc, McpTimeout):
                raise RequestTimeoutError() from None
            if UNSENT.search(message):  # the server's request to Notion failed as ours would: retried alike
                raise httpx.ConnectError(message) from None
            if isinstance(exc, SourceError):  # already says which server and tool
                raise NotionMcpError(message) from None
            raise NotionMcpError(f"MCP server '{self.tools.server}': {tool} failed: {message[:300]}") from None


class Calls:
    """`client.pages`, `client.blocks.children`…: any attribute is a deeper name; calling one sends its tool."""

    def __init__(self, client: NotionMcpClient, route: str):
        self._client, self._route = client, route

    def __getattr__(self, name: str) -> Calls:
        if name.startswith("_"):
            raise AttributeError(name)
        return Calls(self._client, f"{self._route}.{name}")

    def __call__(self, **kw) -> dict:
        return self._client.call(self._route, kw)


def _api_error(data: dict):
    """What notion-client raises for this answer: the body is Notion's error body, `status` its HTTP status."""
    body = {k: v for k, v in data.items() if not (k == "status" and v == "error")}
    status = body.get("status") if isinstance(body.get("status"), int) else UNKNOWN_STATUS
    raw = body.get("data") if set(body) == {"data"} else body  # the server wraps a body that is not an object
    text = raw if isinstance(raw, str) else json.dumps(raw)
    return build_request_error(httpx.Response(status, text=text), text)
