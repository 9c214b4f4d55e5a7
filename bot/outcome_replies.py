"""Thread replies for runs that publish nothing on purpose: the page was kept as it was, or nothing was found."""

from __future__ import annotations

from bot.replies import echo, escape
from graph.outcome import LABELS, failure, names, searched_where

WIDEN = ("To widen it, ask with other words (a promo code, a ticket key, a product name), put a date in the request "
         "(`/postmortem {incident} 2025-08-04`) to search around that day, or `/invite @postmortem` to the channel "
         "where it was discussed (I only read channels that both you and I are in).")


def _why(result: dict, keys: list[str]) -> str:
    return "; ".join(failure(k, (result["sources"].get(k) or {}).get("error")) for k in keys)


def _when(at: str | None) -> str:
    return (at or "?").replace("T", " ").removesuffix("Z")


def kept_reply(result: dict) -> str:
    """The same words as the command line's message, with the page linked and how to get it updated."""
    page, missing = result["page"], result.get("missing") or []
    title = echo(page.get("title") or result["incident"], 200)
    out = (f":information_source: The existing page <{page['url']}|{title}> was made from "
           f"{names(page.get('sources') or [])}; this run could not read {names(missing)} "
           f"({escape(_why(result, missing))}), so the page was not updated.\nAsk me again once {names(missing)} answers")
    if result["incident"] == "this thread":  # a thread-only request has no command-line equivalent
        return out + "."
    return out + (f", or run `postmortem run \"{echo(result['incident'])}\" --force` to overwrite it with what "
                  "could be read.")


def no_evidence_reply(result: dict) -> str:
    """What was searched, where and when, and how to widen it; no page was made."""
    searched = result.get("searched") or {}
    window = searched.get("window") or {}
    terms = ", ".join(searched.get("terms") or []) or "the thread you asked in"
    ok = searched.get("sources") or []
    lines = [f":mag: I found nothing about *{echo(result['incident'])}*, so I did not create a page.",
             f"I searched for *{echo(terms)}* between {_when(window.get('oldest'))} and "
             f"{_when(window.get('latest'))} UTC in {escape(searched_where(ok, searched.get('channels') or []))}."]
    failed = [k for k in LABELS if k not in ok]
    if failed:
        lines.append(f"{names(failed)} could not be read ({escape(_why(result, failed))}).")
    lines.append(WIDEN.format(incident=echo(result["incident"])))
    return "\n".join(lines)


def outcome_reply(result: dict) -> tuple[str, str]:
    """(the progress line's last word, the reply) for a kept or no_evidence result."""
    if result["status"] == "kept":
        return "page kept as it was", kept_reply(result)
    return "nothing found", no_evidence_reply(result)
