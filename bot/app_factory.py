"""Builds the Bolt app and runs it over HTTP (/slack/events, /healthz) or Socket Mode, in-process for tests too."""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from slack_bolt import App, BoltContext
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot import listeners
from bot.config import Settings
from bot.http_guard import Rejected, checked_request, read_body
from bot.jobs import Jobs
from bot.slack_api import SlackAPI

log = logging.getLogger(__name__)
EVENTS_PATH, HEALTH_PATH = "/slack/events", "/healthz"


def build_app(settings: Settings, jobs: Jobs | None = None) -> tuple[App, Jobs]:
    """The Bolt app with every listener; auth.test runs here, so a revoked token fails at start, not at first use."""
    jobs = jobs or Jobs(settings)
    client = WebClient(token=settings.bot_token, base_url=settings.api_url)
    # Listeners only ack and hand off to Jobs (which never blocks), so Bolt may answer as soon as they return;
    # with process_before_response=False it would poll for the ack every 10 ms on a thread of its own.
    app = App(client=client, signing_secret=settings.signing_secret or None, process_before_response=True,
              request_verification_enabled=not settings.socket_mode)

    @app.middleware
    def provide_services(context: BoltContext, next: Callable[[], None]) -> None:  # noqa: A002 - Bolt's name
        context["settings"], context["jobs"] = settings, jobs
        next()

    listeners.register(app)
    return app, jobs


def _handler_class(app: App | None, jobs: Jobs, mode: str, secret: str = "") -> type[BaseHTTPRequestHandler]:
    """`app` None: health only (Socket Mode must not accept unsigned events over HTTP)."""
    verifier = SignatureVerifier(secret) if secret else None

    class SlackHTTPHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30  # a client that stops sending mid-body frees its thread instead of holding it forever

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path.partition("?")[0] == HEALTH_PATH:
                self._send(200, {"content-type": ["application/json"]},
                           json.dumps({"ok": True, "mode": mode, **jobs.stats()}))
            else:
                self._send(404, {}, "")

        def do_POST(self) -> None:  # noqa: N802
            path, _, query = self.path.partition("?")
            try:
                if path != EVENTS_PATH or app is None:
                    raise Rejected(404, "no such path")
                request = checked_request(read_body(self.headers, self.rfile), query, self.headers, verifier)
            except Rejected as no:
                log.info("rejected a request to %r: %s %s", path[:100], no.status, no.reason)
                self.close_connection = True  # part of a rejected body may still be unread
                self._send(no.status, {"content-type": ["text/plain"], "connection": ["close"]}, no.reason)
                return
            resp = app.dispatch(request)
            self._send(resp.status, resp.headers, resp.body)

        def _send(self, status: int, headers: dict, body: str | dict) -> None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
            self.send_response(status)
            for name, values in headers.items():
                for value in values if isinstance(values, list | tuple) else [values]:
                    if name.lower() != "content-length":
                        self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt: str, *args) -> None:
            log.debug("http: " + fmt, *args)

    return SlackHTTPHandler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections in a burst; the client's SYN retry then costs ~1 s

    def handle_error(self, request, client_address) -> None:
        # socketserver prints a traceback to stderr here; a client that hangs up mid-answer is not worth one.
        exc = sys.exc_info()[1]
        if isinstance(exc, OSError):
            log.info("connection from %s ended early: %s", client_address[0], exc)
        else:
            log.error("request from %s failed: %s: %s", client_address[0], type(exc).__name__, exc, exc_info=True)


@dataclass
class Running:
    """A started bot: `url` is where Slack (or a test) sends requests; `stop()` ends it (running jobs finish)."""

    app: App
    jobs: Jobs
    url: str
    _stop: Callable[[], None]

    def stop(self, grace_s: float = 8.0) -> None:
        """Stop taking requests, then let running jobs reach a checkpoint (see Jobs.shutdown)."""
        self._stop()
        self.jobs.shutdown(grace_s)


def serve_http(settings: Settings, port: int | None = None, host: str = "0.0.0.0") -> Running:
    """Serve /slack/events and /healthz on a thread; port 0 picks a free one. Each request gets its own thread."""
    app, jobs = build_app(settings)
    server = _Server((host, settings.port if port is None else port),
                     _handler_class(app, jobs, "http", settings.signing_secret))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="slack-http",
                              daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    _take_up_unfinished(app, jobs)
    return Running(app, jobs, f"http://{shown}:{server.server_address[1]}", stop)


def start_socket_mode(settings: Settings, health_port: int | None = None) -> Running:
    """Connect over Socket Mode (apps.connections.open goes to SLACK_API_URL); optionally serve /healthz too."""
    app, jobs = build_app(settings)
    handler = SocketModeHandler(app, settings.app_token, web_client=app.client)
    handler.connect()
    server = None
    if health_port is not None:
        server = _Server(("0.0.0.0", health_port), _handler_class(None, jobs, "socket"))
        threading.Thread(target=server.serve_forever, name="health-http", daemon=True).start()

    def stop() -> None:
        handler.close()
        if server:
            server.shutdown()
            server.server_close()

    url = f"http://127.0.0.1:{server.server_address[1]}" if server else ""
    _take_up_unfinished(app, jobs)
    return Running(app, jobs, url, stop)


def _take_up_unfinished(app: App, jobs: Jobs) -> None:
    """Jobs an earlier process accepted and did not finish continue now, each in its own thread."""
    jobs.intake(jobs.recover, SlackAPI(app.client))
