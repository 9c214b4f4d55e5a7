"""The doctor's rows as a fixed-width plain-text table (the command line) and as Slack mrkdwn (the bot)."""

from __future__ import annotations

import textwrap

from doctor.rows import Row, failed

SHOWN = {"ok": "ok", "fail": "FAIL", "skip": "skip"}  # capitals: a failure stands out in a column of short words
TEXT_WIDTH = 72  # of the detail column in a terminal
SLACK_WIDTH = 56  # narrower: Slack wraps a code block's long lines, which breaks the columns


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    # URLs and token prefixes stay whole: a broken one cannot be copied.
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, break_long_words=False,
                         break_on_hyphens=False)


def table(rows: list[Row], width: int = TEXT_WIDTH) -> str:
    """CHECK, STATUS and DETAIL columns; a failure's fix follows its detail, in the same column."""
    cw = max(len("CHECK"), *(len(r.check) for r in rows))
    sw = len("STATUS")
    lines = [f"{'CHECK':<{cw}}  {'STATUS':<{sw}}  DETAIL", f"{'-' * cw}  {'-' * sw}  {'-' * min(width, 40)}"]
    for r in rows:
        body = _wrap(r.detail, width) or [""]
        if r.fix:
            body += _wrap(r.fix, width, "fix: ", "     ")
        for i, line in enumerate(body):
            left = f"{r.check:<{cw}}  {SHOWN.get(r.status, r.status):<{sw}}" if i == 0 else " " * (cw + 2 + sw)
            lines.append(f"{left}  {line}".rstrip())
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    bad = failed(rows)
    skipped = sum(r.status == "skip" for r in rows)
    if bad:
        names = ", ".join(r.check for r in bad)
        return f"{len(bad)} of {len(rows)} checks failed: {names}. Each failure says how to fix it."
    return f"All checks passed ({len(rows) - skipped} ok, {skipped} skipped)."


def render_text(rows: list[Row]) -> str:
    return table(rows) + "\n\n" + "\n".join(_wrap(summary(rows), 100))


def _escape(text: str) -> str:
    # Slack reads &, < and > as markup everywhere, code blocks included.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_mrkdwn(rows: list[Row]) -> str:
    icon = ":x:" if failed(rows) else ":white_check_mark:"
    return f"{icon} *postmortem doctor*: {_escape(summary(rows))}\n```\n{_escape(table(rows, SLACK_WIDTH))}\n```"
