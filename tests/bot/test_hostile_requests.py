"""Malformed and hostile requests to the bot's HTTP endpoint: the right 4xx, no 500, no traceback, and it keeps serving."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import time

import pytest

from bot.http_guard import MAX_BODY
from tests.support.bot import health, running_bot

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}
COMMAND = b"token=x&team_id=T1&channel_id=C1&user_id=U1&command=%2Fpostmortem&text=summer25&trigger_id=1.2.3"


@pytest.fixture(scope="module")
def bot(summer25, tmp_path_factory):
    with running_bot(summer25, tmp_path_factory.mktemp("hostile")) as (running, drv):
        yield running, drv, summer25.env["SLACK_SIGNING_SECRET"]


def signed(secret: str, body: bytes, ts: str | None = None) -> dict:
    ts = ts or str(int(time.time()))
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={mac}"}


def post(bot, body: bytes, headers: dict, path: str = "/slack/events") -> tuple[int, str]:
    host, port = bot.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read().decode()
    finally:
        conn.close()


def raw(bot, data: bytes, half_close: bool = True) -> bytes:
    """Bytes straight onto the socket, for framing http.client refuses to send; returns the whole answer."""
    host, port = bot.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


def _cases(secret: str) -> dict[str, tuple[bytes, dict, str, int]]:
    now = str(int(time.time()))
    bad_utf8 = b"token=x&text=\xff\xfe\xfa"
    wrong_shape = [json.dumps(x).encode() for x in ([1, 2], {"type": "event_callback", "event": []},
                                                     {"authorizations": "all"})]
    return {
        "non-numeric timestamp": (COMMAND, {**FORM, **signed(secret, COMMAND, "abc")}, "/slack/events", 401),
        "5000-digit timestamp": (COMMAND, {**FORM, **signed(secret, COMMAND, "9" * 5000)}, "/slack/events", 401),
        "missing timestamp": (COMMAND, {**FORM, "X-Slack-Signature": "v0=" + "0" * 64}, "/slack/events", 401),
        "missing signature": (COMMAND, {**FORM, "X-Slack-Request-Timestamp": now}, "/slack/events", 401),
        "wrong signature": (COMMAND, {**FORM, **signed("not-the-secret", COMMAND)}, "/slack/events", 401),
        "stale timestamp": (COMMAND, {**FORM, **signed(secret, COMMAND, str(int(now) - 3600))}, "/slack/events", 401),
        "signed non-UTF-8 body": (bad_utf8, {**FORM, **signed(secret, bad_utf8)}, "/slack/events", 400),
        "unsigned non-UTF-8 body": (b"\xc3\x28\xa0\xa1", {}, "/slack/events", 400),
        "oversized body": (b"x" * (MAX_BODY + 1), FORM, "/slack/events", 413),
        "unknown path": (COMMAND, {**FORM, **signed(secret, COMMAND)}, "/slack/evil", 404),
        "path traversal": (COMMAND, FORM, "/slack/events/../../etc/passwd", 404),
        "signed JSON list": (wrong_shape[0], {**JSON, **signed(secret, wrong_shape[0])}, "/slack/events", 400),
        "signed event that is a list": (wrong_shape[1], {**JSON, **signed(secret, wrong_shape[1])}, "/slack/events", 400),
        "signed authorizations string": (wrong_shape[2], {**JSON, **signed(secret, wrong_shape[2])}, "/slack/events", 400),
        "signed broken JSON": (b"{nope", {**JSON, **signed(secret, b"{nope")},
                               "/slack/events", 400),
    }


CASES = list(_cases("x"))


@pytest.fixture
def quiet_logs(caplog, capfd):
    """Everything the bot logs or prints while the test runs; asserted free of tracebacks and errors."""
    caplog.set_level(logging.DEBUG)
    yield
    printed = capfd.readouterr()
    assert "Traceback" not in caplog.text + printed.err + printed.out
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("case", CASES)
def test_hostile_request_gets_a_clean_4xx(bot, quiet_logs, case):
    running, drv, secret = bot
    body, headers, path, expected = _cases(secret)[case]
    status, text = post(running, body, headers, path)
    assert status == expected, text
    assert drv.slash_command("stefan", "marketing-ops", "help").status == 200  # still serving, signatures still work


@pytest.mark.parametrize(("case", "data", "expected"), [
    ("non-numeric Content-Length", b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", b" 400 "),
    ("negative Content-Length", b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", b" 400 "),
    ("chunked body", b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
     b" 411 "),
    ("body shorter than Content-Length", b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nshort",
     b" 400 "),
    ("huge Content-Length, no body", b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n",
     b" 413 "),
    ("garbage request line", b"\x00\x01 /x y HTTP/1.1\r\n\r\n", b" 400 "),
    ("GET on the events path", b"GET /slack/events HTTP/1.1\r\nHost: x\r\n\r\n", b" 404 "),
    ("unsupported method", b"DELETE /slack/events HTTP/1.1\r\nHost: x\r\n\r\n", b" 501 "),
])
def test_broken_http_framing_gets_a_clean_4xx(bot, quiet_logs, case, data, expected):
    running, drv, _ = bot
    status_line = raw(running, data).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/") and expected in status_line + b" ", status_line
    assert drv.slash_command("stefan", "marketing-ops", "help").status == 200


def test_clients_that_hang_up_before_the_answer_leave_no_traceback(bot, quiet_logs):
    running, drv, _ = bot
    host, port = running.url.removeprefix("http://").split(":")
    for _ in range(5):
        with socket.create_connection((host, int(port)), timeout=30) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # close = RST
            s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
    assert health(running)["ok"]
    assert drv.slash_command("stefan", "marketing-ops", "help").status == 200
