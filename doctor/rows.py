"""A doctor row {check, status: ok|fail|skip, detail, fix}, and the time budget each check may spend."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from graph.sources.retry import Policy

# A setup check reports what it sees now: one quick retry of a 5xx or a dropped connection, never a minute of waiting.
BUDGET_S = 3.0
POLICY = Policy(backoff_s=0.25, server_retries=1, rate_retries=1)
STATUSES = ("ok", "fail", "skip")


@dataclass(frozen=True)
class Row:
    check: str
    status: str  # ok | fail | skip
    detail: str
    fix: str = ""  # what to do, in words a new team understands; every failure has one

    def as_dict(self) -> dict:
        return asdict(self)


def ok(check: str, detail: str) -> Row:
    return Row(check, "ok", detail)


def fail(check: str, detail: str, fix: str) -> Row:
    return Row(check, "fail", detail, fix)


def skip(check: str, detail: str) -> Row:
    return Row(check, "skip", detail)


def failed(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.status == "fail"]
