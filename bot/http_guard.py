"""Malformed requests to /slack/events get a plain 4xx before Bolt sees them: never a 500, never a traceback."""

from __future__ import annotations

import re

from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

MAX_BODY = 1 << 20  # Slack's payloads are a few kilobytes; a megabyte is not from Slack
_DRAIN_MAX = 8 * MAX_BODY  # read (and drop) an oversized body up to this, so the client can read the 413
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # Unix seconds; int() of a 5000-digit string raises, of "abc" too


class Rejected(Exception):
    """A request answered with `status` and a short reason (never echoing the request back)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def read_body(headers, rfile) -> bytes:
    """The body by its Content-Length, bounded by MAX_BODY."""
    if headers.get("Transfer-Encoding"):
        raise Rejected(411, "send the body with a Content-Length")
    raw = (headers.get("Content-Length") or "0").strip()
    if not re.fullmatch(r"[0-9]{1,15}", raw):
        raise Rejected(400, "Content-Length is not a number")
    size = int(raw)
    if size > MAX_BODY:
        _drain(rfile, size)
        raise Rejected(413, f"the body is {size} bytes; the limit is {MAX_BODY}")
    try:
        body = rfile.read(size)
    except OSError:  # the client stalled past the handler's timeout or reset the connection
        raise Rejected(408, "the body did not arrive") from None
    if len(body) < size:
        raise Rejected(400, "the body is shorter than its Content-Length")
    return body


def _drain(rfile, size: int) -> None:
    left = size if size <= _DRAIN_MAX else 0  # beyond that the connection is just closed
    try:
        while left > 0:
            chunk = rfile.read(min(left, 1 << 16))
            if not chunk:
                return
            left -= len(chunk)
    except OSError:
        return


def checked_request(body: bytes, query: str, headers, verifier: SignatureVerifier | None) -> BoltRequest:
    """A BoltRequest of a UTF-8, signed, parseable body; Bolt checks the signature again, which costs nothing."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "the body is not UTF-8") from None
    plain = dict(headers.items())
    stamp = next((v for k, v in plain.items() if k.lower() == "x-slack-request-timestamp"), "")
    if not _TIMESTAMP.fullmatch(stamp.strip()):
        raise Rejected(401, "missing or non-numeric X-Slack-Request-Timestamp")
    if verifier is not None and not verifier.is_valid_request(text, plain):
        raise Rejected(401, "invalid or stale signature")
    try:
        request = BoltRequest(body=text, query=query, headers=plain)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):  # not a Slack payload
        raise Rejected(400, "the body is not a Slack payload") from None
    if not _slack_shaped(request.body):
        raise Rejected(400, "the body is not a Slack payload")  # Bolt's middleware would fail on it with a 500
    return request


def _slack_shaped(body) -> bool:
    """The parts Bolt's middleware reads before any listener: a mapping, its event a mapping, authorizations a list."""
    if not isinstance(body, dict):
        return False
    auths = body.get("authorizations", [])
    return isinstance(body.get("event", {}), dict) and isinstance(auths, list) and all(
        isinstance(a, dict) for a in auths)
