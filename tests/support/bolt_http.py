"""A Bolt app's Request URL for tests: a plain HTTP handler that lets Bolt (with its signature check) answer, and
records each raw request when its server has a `requests` list."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from slack_bolt.request import BoltRequest


class BoltEndpoint(BaseHTTPRequestHandler):
    """Serve with `ThreadingHTTPServer(addr, BoltEndpoint)`, then set `server.app` (and `server.requests = []`)."""

    def do_POST(self):  # noqa: N802 - http.server's name
        raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
        if hasattr(self.server, "requests"):
            self.server.requests.append((dict(self.headers), raw))
        resp = self.server.app.dispatch(BoltRequest(body=raw, headers={k.lower(): v for k, v in self.headers.items()}))
        body = resp.body.encode()
        self.send_response(resp.status)
        for name, values in resp.headers.items():
            for v in values:
                self.send_header(name, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
