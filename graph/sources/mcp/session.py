"""MCP sessions kept open on one background event loop, called synchronously from the graph's worker threads."""

from __future__ import annotations

import asyncio
import atexit
import copy
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout

from langchain_core.tools import BaseTool, ToolException
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools
from mcp.shared.exceptions import McpError as JsonRpcError

from graph.sources.base import SourceError

log = logging.getLogger(__name__)
START_TIMEOUT_S = 60.0  # mcp-atlassian takes several seconds to start; npx the first time longer


class McpError(SourceError):
    """A tool call failed: the server answered an error, or could not be reached."""


class McpTimeout(McpError):
    """A tool call that got no answer in time (the server may still be working on it)."""


class ServerTools:
    """One server's tools by name, called synchronously; each call's text content is returned as one string."""

    def __init__(self, hub: McpHub, server: str, tools: dict[str, BaseTool]):
        self.hub, self.server, self.tools = hub, server, tools
        self._count = [0]  # shared with every counted() view: the server's calls, whichever run made them
        self.on_call: Callable[[], None] | None = None

    @property
    def calls(self) -> int:
        return self._count[0]

    def counted(self, on_call: Callable[[], None]) -> ServerTools:
        """The same tools, telling `on_call` of each call (a run counts its own calls, the hub outlives runs)."""
        view = copy.copy(self)
        view.on_call = on_call
        return view

    def names(self) -> list[str]:
        return sorted(self.tools)

    def require(self, needed: list[str]) -> None:
        missing = [t for t in needed if t not in self.tools]
        if missing:
            raise SourceError(f"MCP server '{self.server}' has no tool {', '.join(repr(t) for t in missing)} "
                              f"(it offers: {', '.join(self.names()) or 'no tools'})")

    def text(self, tool: str, args: dict, timeout_s: float = 60.0) -> str:
        if tool not in self.tools:
            self.require([tool])
        self._count[0] += 1
        if self.on_call:
            self.on_call()
        try:
            content = self.hub.run(self.tools[tool].ainvoke(args), timeout_s)
        except (ToolException, JsonRpcError) as exc:  # the tool's own error, or the server's JSON-RPC error answer
            raise McpError(f"MCP server '{self.server}': {tool} failed: {_short(str(exc))}") from None
        except (FutureTimeout, TimeoutError):
            raise McpTimeout(f"MCP server '{self.server}': {tool} did not answer within {timeout_s:.0f} s") from None
        if isinstance(content, str):
            return content
        return "".join(b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text")

    def json(self, tool: str, args: dict, timeout_s: float = 60.0):
        text = self.text(tool, args, timeout_s)
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise McpError(f"MCP server '{self.server}': {tool} answered text that is not JSON: {_short(text)}") \
                from None


class McpHub:
    """One MultiServerMCPClient; each server's session is opened on first use and held open by a task until close()."""

    def __init__(self, connections: dict[str, dict], start_timeout_s: float = START_TIMEOUT_S):
        self.start_timeout_s = start_timeout_s
        self.client = MultiServerMCPClient(connections, handle_tool_errors=False)
        self.connections = connections
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="mcp-sessions", daemon=True)
        self._thread.start()
        self._servers: dict[str, ServerTools] = {}
        self._stops: list[asyncio.Event] = []
        self._holders: list[asyncio.Future] = []
        self._lock = threading.Lock()
        self.closed = False

    def run(self, coro, timeout_s: float):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout_s)

    def server(self, name: str) -> ServerTools:
        """The server's tools, starting it (once per hub) when it is not running yet."""
        with self._lock:  # one start per server, however many threads ask at once
            if name not in self._servers:
                if name not in self.connections:
                    raise SourceError(f"no MCP server named '{name}' is configured")
                self._servers[name] = self._start(name)
            return self._servers[name]

    def _start(self, name: str) -> ServerTools:
        stop = asyncio.Event()

        async def hold(started: asyncio.Future) -> None:
            try:
                async with self.client.session(name) as session:
                    tools = await load_mcp_tools(session, server_name=name, handle_tool_errors=False)
                    started.set_result({t.name: t for t in tools})
                    await stop.wait()
            except BaseException as exc:  # noqa: BLE001 - a server that fails to start is reported to the caller
                if not started.done():
                    started.set_exception(exc)
                else:
                    log.warning("MCP server %r stopped: %s", name, exc)

        async def begin() -> dict[str, BaseTool]:
            started = asyncio.get_running_loop().create_future()
            self._holders.append(asyncio.ensure_future(hold(started)))
            return await started

        self._stops.append(stop)
        try:
            tools = self.run(begin(), self.start_timeout_s)
        except (FutureTimeout, TimeoutError):
            raise SourceError(f"MCP server '{name}' did not start within {self.start_timeout_s:.0f} s "
                              f"({_describe(self.connections[name])})") from None
        except Exception as exc:  # noqa: BLE001 - a missing command, a refused URL: the user needs to know which
            raise SourceError(f"MCP server '{name}' could not be started ({_describe(self.connections[name])}): "
                              f"{_short(_root(exc))}") from None
        return ServerTools(self, name, tools)

    def close(self) -> None:
        """Stop every server (their sessions end in the tasks that opened them) and the loop."""
        if self.closed:
            return
        self.closed = True

        async def finish() -> None:
            for stop in self._stops:
                stop.set()
            if self._holders:
                await asyncio.wait(self._holders, timeout=10)

        try:
            self.run(finish(), 15)
        except Exception:  # noqa: BLE001 - closing at exit must not raise
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


_HUBS: dict[str, McpHub] = {}
_HUBS_LOCK = threading.Lock()


def hub_for(path: str, connections: dict[str, dict]) -> McpHub:
    """The process's hub for this config file: the bot keeps its servers between requests."""
    with _HUBS_LOCK:
        hub = _HUBS.get(path)
        if hub is None or hub.closed:
            hub = _HUBS[path] = McpHub(connections)
        return hub


@atexit.register
def close_all() -> None:
    with _HUBS_LOCK:
        hubs = list(_HUBS.values())
        _HUBS.clear()
    for hub in hubs:
        hub.close()


def _describe(conn: dict) -> str:
    if conn.get("transport") == "stdio":
        return " ".join([conn["command"], *conn.get("args", [])])
    return conn.get("url", "?")


def _root(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
