"""Arguments of a sandbox Slack call: required/optional values, blocks, channel access, cursors and ts windows."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from dataclasses import dataclass

from sandbox.slack.state import Chan, SlackError, SlackState


@dataclass
class Call:
    state: SlackState
    ctx: object
    user: str  # the caller's user id
    kind: str  # token kind: "bot" | "user"
    args: dict

    def req(self, name: str, error: str = "invalid_arguments") -> str:
        value = self.args.get(name)
        if value in (None, ""):
            raise SlackError(error)
        return str(value)

    def flag(self, name: str) -> bool:
        return str(self.args.get(name, "")).lower() in ("1", "true")

    def limit(self, default: int, top: int = 999) -> int:
        try:
            n = int(self.args.get("limit") or 0)
        except (TypeError, ValueError):
            raise SlackError("invalid_limit") from None
        return min(n, top) if n > 0 else default

    def blocks(self) -> list | None:
        raw = self.args.get("blocks")
        if raw in (None, ""):
            return None
        if isinstance(raw, str):  # form posts carry blocks as a JSON string
            try:
                raw = json.loads(raw)
            except json.JSONDecodeError:
                raise SlackError("invalid_blocks_format") from None
        if not isinstance(raw, list):
            raise SlackError("invalid_blocks_format")
        return raw

    def channel(self, *, read: bool = True) -> Chan:
        """The channel argument, hidden when private and not a member, refused when public and not a member."""
        c = self.state.channel(self.req("channel", "channel_not_found"))
        if c is None or (c.private and self.user not in c.members):
            raise SlackError("channel_not_found")
        if read and self.user not in c.members:
            raise SlackError("not_in_channel")
        return c


def make_cursor(kind: str, value: str) -> str:
    return base64.b64encode(f"{kind}:{value}".encode()).decode()


def read_cursor(call: Call, kind: str) -> str | None:
    raw = call.args.get("cursor")
    if not raw:
        return None
    try:
        k, _, value = base64.b64decode(raw, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if k != kind or not value:
        raise SlackError("invalid_cursor")
    return value


def offset_page(call: Call, items: list, default: int) -> tuple[list, dict]:
    limit = call.limit(default, 1000)
    raw = read_cursor(call, "offset") or "0"
    if not raw.isdigit():
        raise SlackError("invalid_cursor")
    start = int(raw)
    nxt = make_cursor("offset", str(start + limit)) if start + limit < len(items) else ""
    return items[start:start + limit], {"next_cursor": nxt}


def window(call: Call, ts_list: list[str]) -> tuple[int, int]:
    """Index range of ts_list inside oldest/latest (exclusive unless inclusive=true), as Slack filters."""
    oldest, latest, inclusive = call.args.get("oldest"), call.args.get("latest"), call.flag("inclusive")
    try:
        lo = 0 if not oldest else (bisect.bisect_left if inclusive else bisect.bisect_right)(ts_list, _ts(oldest))
        hi = len(ts_list) if not latest else (bisect.bisect_right if inclusive else bisect.bisect_left)(
            ts_list, _ts(latest))
    except ValueError:
        raise SlackError("invalid_ts_oldest" if oldest else "invalid_ts_latest") from None
    return lo, hi


def _ts(value) -> str:
    """Normalise '1722500000', '1722500000.5' or a number to the 6-decimal form that sorts as text."""
    sec, _, frac = str(value).partition(".")
    if not sec.isdigit() or (frac and not frac.isdigit()):
        raise ValueError(value)
    return f"{int(sec)}.{(frac + '000000')[:6]}"
