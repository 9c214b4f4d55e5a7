"""What Jira said when it refused a ticket, in its own words, for the person who asked for it."""

from __future__ import annotations

from jira import JIRAError

from graph.sources.retry import attempts_note


def _body(exc: BaseException) -> dict:
    if not isinstance(exc, JIRAError) or exc.response is None:
        return {}
    try:
        body = exc.response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def field_errors(exc: BaseException) -> dict:
    """Jira's per-field errors ({"project": "Specify a valid project ID or key"}), or {}."""
    return _body(exc).get("errors") or {}


def why(exc: BaseException) -> str:
    """'Jira answered 400: summary: You must specify a summary of the issue.', or why it could not be reached."""
    if isinstance(exc, JIRAError):
        body = _body(exc)
        parts = [*(body.get("errorMessages") or []), *(f"{k}: {v}" for k, v in (body.get("errors") or {}).items())]
        return f"Jira answered {exc.status_code}{attempts_note(exc)}: {'; '.join(parts) or exc.text or 'no details'}"
    return f"Jira could not be reached ({type(exc).__name__}{attempts_note(exc)})"
