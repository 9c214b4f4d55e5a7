"""Fault injection for the sandbox services: latency, 429 with Retry-After, 5xx, dropped connections, token faults."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from aiohttp import web

SERVICES = ("slack", "notion", "jira")
STATE = web.AppKey("state", object)  # each service's live store, for tests and the demo to read


@dataclass
class Fault:
    latency_s: float = 0.0
    status: int | None = None  # 429 or 5xx; None = answer normally (after latency)
    count: int | None = None  # only the next N requests; None = every request
    fraction: float | None = None  # or this share of requests (seeded, so runs repeat)
    retry_after: int = 1
    drop: bool = False  # close the connection without an answer
    # Slack only: changes to the bot token's scopes ("-channels:history", "+admin"), and an error (token_revoked,
    # invalid_auth…) answered to every call made with the bot token, as for an uninstalled app.
    scopes: tuple[str, ...] = ()
    auth: str | None = None
    seen: int = field(default=0, compare=False)


class FaultSpecError(ValueError):
    """A fault specification that cannot be parsed."""


def _error_body(service: str, status: int) -> dict:
    # Each vendor's own error shape, so clients take their real error paths.
    if service == "slack":
        return {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
    if service == "notion":
        if status == 401:
            return {"object": "error", "status": 401, "code": "unauthorized", "message": "API token is invalid."}
        code = "rate_limited" if status == 429 else "service_unavailable" if status == 503 else "internal_server_error"
        return {"object": "error", "status": status, "code": code, "message": f"Sandbox fault: {status}."}
    return {"errorMessages": [f"Sandbox fault: {status}."], "errors": {}}


class Faults:
    """Per-service faults, settable from tests (`sandbox.faults.set("jira", status=503)`) or a spec string."""

    def __init__(self, seed: int = 7):
        self._faults: dict[str, Fault] = {}
        self._rng = random.Random(seed)

    def set(self, service: str, **kw) -> Fault:
        if service not in SERVICES:
            raise FaultSpecError(f"unknown service {service!r}; expected one of {', '.join(SERVICES)}")
        if service != "slack" and (kw.get("scopes") or kw.get("auth")):
            raise FaultSpecError(f"scopes and auth are Slack token faults; {service!r} has no such option")
        bad = [s for s in kw.get("scopes", ()) if len(s) < 2 or s[0] not in "+-"]
        if bad:
            raise FaultSpecError(f"scopes={bad[0]!r}: give a scope to remove or add, e.g. scopes=-channels:history")
        self._faults[service] = fault = Fault(**kw)
        return fault

    def clear(self, service: str | None = None) -> None:
        if service is None:
            self._faults.clear()
        else:
            self._faults.pop(service, None)

    def get(self, service: str) -> Fault | None:
        return self._faults.get(service)

    def load(self, spec: str) -> None:
        """Parse 'jira:status=503;slack:status=429,count=2,retry_after=1;notion:latency=0.2' (also 'jira:down').

        One part per service (a later part for the same service replaces it). Slack's token faults:
        'slack:scopes=-channels:history,scopes=-users:read' (the bot token lacks those scopes) and
        'slack:auth=token_revoked' (every bot-token call answers that error)."""
        for part in filter(None, (p.strip() for p in spec.split(";"))):
            service, _, args = part.partition(":")
            kw: dict = {}
            for item in filter(None, (a.strip() for a in args.split(","))):
                name, _, value = item.partition("=")
                try:
                    if name == "down":
                        kw["status"] = 503
                    elif name == "drop":
                        kw["drop"] = True
                    elif name in ("status", "count", "retry_after"):
                        kw[name] = int(value)
                    elif name in ("latency", "latency_s"):
                        kw["latency_s"] = float(value)
                    elif name == "fraction":
                        kw["fraction"] = float(value)
                    elif name == "scopes":
                        kw["scopes"] = (*kw.get("scopes", ()), value.strip())
                    elif name == "auth":
                        kw["auth"] = value.strip() or "invalid_auth"
                    else:
                        raise FaultSpecError(f"unknown fault option {name!r} in {part!r}")
                except ValueError as exc:
                    if isinstance(exc, FaultSpecError):
                        raise
                    raise FaultSpecError(f"bad value for {name!r} in {part!r}: {value!r}") from None
            self.set(service.strip(), **kw)

    def _fires(self, f: Fault) -> bool:
        if f.count is not None:
            if f.seen >= f.count:
                return False
            f.seen += 1
            return True
        if f.fraction is not None:
            return self._rng.random() < f.fraction
        return True

    def middleware(self, service: str):
        @web.middleware
        async def inject(request: web.Request, handler):
            f = self._faults.get(service)
            if f is None:
                return await handler(request)
            if f.latency_s:
                await asyncio.sleep(f.latency_s)
            if (f.status or f.drop) and self._fires(f):
                if f.drop:
                    request.transport.abort()
                    raise asyncio.CancelledError
                headers = {"Retry-After": str(f.retry_after)} if f.status == 429 else {}
                return web.json_response(_error_body(service, f.status), status=f.status, headers=headers)
            return await handler(request)

        return inject
