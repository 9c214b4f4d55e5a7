"""A Slack MCP server with the reference server's read tools, pointed at SLACK_API_URL (the sandbox's, or Slack's)."""

from __future__ import annotations

import argparse
import sys

import anyio
from mcp import types
from mcp.server.lowlevel import Server

from sandbox.slack.mcp_tools import TOOLS, SlackWebApi

# @modelcontextprotocol/server-slack calls https://slack.com/api/ only; this one takes the base URL from the
# environment, so an MCP client can read the sandbox's Slack exactly as it would read Slack's.


def build_server(api: SlackWebApi) -> Server:
    server: Server = Server("Slack MCP Server", version="1.0.0")
    tools = [types.Tool(**t) for t in TOOLS]

    async def list_tools(_req: types.ListToolsRequest | None = None) -> types.ServerResult:
        return types.ServerResult(types.ListToolsResult(tools=tools))

    async def call_tool(req: types.CallToolRequest) -> types.ServerResult:
        # Registered directly, not through the SDK's decorator: the reference validates nothing against the schemas
        # and answers even its errors as plain text content (never isError).
        text = await api.call(req.params.name, req.params.arguments)
        return types.ServerResult(types.CallToolResult(content=[types.TextContent(type="text", text=text)]))

    server.request_handlers[types.ListToolsRequest] = list_tools
    server.request_handlers[types.CallToolRequest] = call_tool
    return server


async def serve_stdio(server: Server) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def serve_http(server: Server, host: str, port: int) -> None:
    import uvicorn
    from mcp.server.fastmcp.server import StreamableHTTPASGIApp
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from mcp.server.transport_security import TransportSecuritySettings
    from starlette.applications import Starlette
    from starlette.routing import Route

    security = None
    if host in ("127.0.0.1", "localhost", "::1"):  # as FastMCP does on loopback: refuse DNS-rebound requests
        security = TransportSecuritySettings(
            enable_dns_rebinding_protection=True, allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
            allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"])
    manager = StreamableHTTPSessionManager(app=server, security_settings=security)
    app = Starlette(routes=[Route("/mcp", endpoint=StreamableHTTPASGIApp(manager))],
                    lifespan=lambda _app: manager.run())
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.slack.mcp_server", description=__doc__)
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    api = SlackWebApi.from_env()
    if not api.token:
        print("Please set SLACK_BOT_TOKEN environment variable", file=sys.stderr)
        return 1
    server = build_server(api)
    if args.transport == "http":
        print(f"Slack MCP Server on http://{args.host}:{args.port}/mcp for {api.base}", file=sys.stderr)
        serve_http(server, args.host, args.port)
    else:
        print(f"Slack MCP Server running on stdio for {api.base}", file=sys.stderr)
        anyio.run(serve_stdio, server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
