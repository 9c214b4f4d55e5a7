"""Runs that end without publishing on purpose: the page was kept (a source is missing) or nothing was found."""

from __future__ import annotations

from graph.state import State

LABELS = {"slack": "Slack", "notion": "Notion", "jira": "Jira"}
WHERE = {"notion": "Notion (page titles, and the newest pages edited in the window)",
         "jira": "Jira (issue text and labels)"}
WIDEN = ("To widen the search: a longer window (--since/--until), other Slack channels (--channels, or invite the bot "
         "to them), or other words for the incident (a promo code, a ticket key, a product name).")


def names(keys: list[str]) -> str:
    """['slack', 'notion', 'jira'] -> 'Slack, Notion and Jira'."""
    labels = [LABELS.get(k, k) for k in keys]
    return " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels) or "no source"


def failure(key: str, error: str | None) -> str:
    """'Jira answered 503' as it is; 'Slack: not gathered' named when the error doesn't say which source."""
    error = error or "not gathered"
    return error if error.startswith(LABELS[key]) else f"{LABELS[key]}: {error}"


def ok_sources(state: State) -> list[str]:
    return [k for k in LABELS if (state.get(k) or {}).get("status") == "ok"]


def searched_where(ok: list[str], channels: list[str]) -> str:
    """'Slack (#incidents, #ops); Notion (page titles, …); Jira (issue text and labels)' for the sources read."""
    where = [WHERE[k] if k != "slack" else "Slack (" + (", ".join(f"#{c}" for c in channels)
                                                         or "no channel the bot is in") + ")" for k in ok]
    return "; ".join(where) or "nothing"


def kept(page: dict, made_from: list[str]) -> dict:
    """The page's last version used sources this run could not read: it stays as it was."""
    had = [k for k in LABELS if k in (page.get("sources") or [])]
    missing = [k for k in had if k not in made_from]
    message = (f"The existing page was made from {names(had)}; this run could not read {names(missing)}, so the page "
               "was not updated. Re-run with --force to overwrite.")
    return {"status": "kept", "message": message, "page_sources": had, "missing": missing}


def no_evidence(state: State) -> dict:
    """Nothing matched anywhere that could be read: say what was searched and how to widen it."""
    plan, ok = state.get("plan") or {}, ok_sources(state)
    window, terms = plan.get("window") or {}, plan.get("terms") or []
    channels = (state.get("slack") or {}).get("scope") or []
    what = ", ".join(terms) if terms else "the thread it was asked in"
    message = (f"Nothing about \"{state.get('incident') or 'this thread'}\" was found, so no page was created. "
               f"Searched for {what} between {window.get('oldest')} and {window.get('latest')} in "
               f"{searched_where(ok, channels)}.")
    failed = [k for k in LABELS if k not in ok]
    if failed:
        why = "; ".join(failure(k, (state.get(k) or {}).get("error")) for k in failed)
        message += f" {names(failed)} could not be read ({why})."
    return {"status": "no_evidence", "message": message + " " + WIDEN,
            "searched": {"terms": terms, "window": window or None, "channels": channels, "sources": ok}}
