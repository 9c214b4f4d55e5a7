"""Jira tickets from a report's action items: the modal that lists them, and what its submission does."""

from __future__ import annotations

import json
import logging
import re
import threading

from bot import replies
from bot.action_replies import tickets_reply
from bot.config import Settings
from bot.run_access import check_may_act, load_run
from bot.slack_api import SlackAPI
from graph.configuration import Configuration
from graph.result import build_result
from graph.runner import amend_state

log = logging.getLogger(__name__)
CALLBACK = "postmortem_tickets"
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def open_items(state: dict) -> list[tuple[int, dict]]:
    """(index, item) of the action items that have no ticket yet."""
    return [(i, a) for i, a in enumerate((state.get("report") or {}).get("action_items") or []) if not a.get("jira")]


def incident_ticket(state: dict) -> str | None:
    """The incident's own ticket, which new tickets relate to: the evidence's issue of type Incident, else one
    labelled incident (None when the evidence has neither: the tickets then link to nothing)."""
    issues = [e for e in state.get("evidence") or [] if e.get("source") == "jira" and e.get("kind") == "issue"]
    for test in (lambda t: "Type: Incident." in t, lambda t: re.search(r"Labels: [^.]*\bincident\b", t)):
        found = next((e.get("key") or e.get("ref") for e in issues if test(e.get("text") or "")), None)
        if found:
            return found
    return None


def modal(cfg: Configuration, state: dict, meta: dict) -> dict:
    items = open_items(state)
    link = incident_ticket(state)
    project = (link or "").split("-")[0] or (cfg.jira_projects[0] if cfg.jira_projects else "")
    options = [{"text": {"type": "plain_text", "text": _clip(summary(item["text"]), 75)},
                "description": {"type": "plain_text", "text": _clip(_owner_line(item), 75)},
                "value": str(i)} for i, item in items]
    intro = f"New tickets relate to *{link}*." if link else "No incident ticket was found, so they link to nothing."
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{len(items)} action item(s) have no ticket. {intro}"}},
        {"type": "input", "block_id": "project", "label": {"type": "plain_text", "text": "Jira project key"},
         "element": {"type": "plain_text_input", "action_id": "key", "initial_value": project}},
        {"type": "input", "block_id": "items", "label": {"type": "plain_text", "text": "Create tickets for"},
         "element": {"type": "checkboxes", "action_id": "chosen", "options": options, "initial_options": options}},
    ]
    return {"type": "modal", "callback_id": CALLBACK, "private_metadata": json.dumps(meta),
            "title": {"type": "plain_text", "text": "Create Jira tickets"},
            "submit": {"type": "plain_text", "text": "Create"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks}


def _owner_line(item: dict) -> str:
    owner = item.get("owner")
    return f"Assignee: {owner} (if Jira knows them)" if owner else "Unassigned: the report names no owner"


_FIRST_PERSON = re.compile(r"^(?:I'll|I will|I'm going to|we'll|we will|we should|we need to|let's)\s+", re.I)


def summary(text: str) -> str:
    """An action item as a ticket's summary: the chat's "I'll add a test…" reads "Add a test…" in Jira."""
    text = _FIRST_PERSON.sub("", " ".join(text.split())).rstrip(".")
    return text[:1].upper() + text[1:]


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def validate(values: dict) -> dict[str, str]:
    """Errors to show in the modal, by block: a project key and at least one item are needed."""
    errors = {}
    project = ((values.get("project") or {}).get("key") or {}).get("value") or ""
    if not project.strip() or not project.strip().isalnum():
        errors["project"] = "Type a Jira project key, like MKT."
    if not ((values.get("items") or {}).get("chosen") or {}).get("selected_options"):
        errors["items"] = "Choose at least one action item."
    return errors


def create(settings: Settings, api: SlackAPI, user: str, meta: dict, values: dict) -> None:
    """Create the chosen tickets once, write their keys into the page's to-dos, edit the reply, tell the thread."""
    run_id = meta["run_id"]
    with _guard:
        lock = _locks.setdefault(run_id, threading.Lock())
    with lock:  # a double submit waits, then finds the tickets made (graph/tickets: found by their label)
        state = load_run(settings, run_id)
        check_may_act(state, user, "create tickets for it")
        cfg = Configuration.from_runnable_config({"configurable": settings.graph_overrides})
        chosen = {int(o["value"]) for o in values["items"]["chosen"]["selected_options"]}
        project = values["project"]["key"]["value"].strip().upper()
        report = dict(state["report"])
        items = [dict(a) for a in report.get("action_items") or []]
        wanted = [{"id": str(i), "summary": _clip(summary(a["text"]), 250), "assignee_name": a.get("owner"),
                   "description": _description(state, a)} for i, a in enumerate(items) if i in chosen
                  and not a.get("jira")]
        from graph.tickets.jira_create import create_tickets

        made = create_tickets(cfg, wanted, project=project, link_to=incident_ticket(state), marker=run_id)
        keys = {}
        for out in made:
            if out.get("key"):
                items[int(out["id"])]["jira"] = out["key"]
                keys[items[int(out["id"])]["text"]] = (out["key"], out.get("url"))
        report["action_items"] = items
        state = amend_state(run_id, {"report": report}, overrides=settings.graph_overrides)
        page_note = _mark_page(cfg, state, keys)
        _edit_reply(api, meta, state, run_id)
        api.post_message(meta["channel"], tickets_reply(user, made, incident_ticket(state), page_note),
                         thread_ts=meta["thread_ts"])


def _description(state: dict, item: dict) -> str:
    page = (state.get("page") or {}).get("url")
    return f"Action item from the post-mortem of {state.get('incident')!r}" + (f": {page}" if page else ".")


def _mark_page(cfg: Configuration, state: dict, keys: dict) -> str:
    page = state.get("page") or {}
    if not keys or not page.get("id"):
        return ""
    from graph.publish.notion_io import make_client
    from graph.publish.sections import mark_tickets

    try:
        mark_tickets(make_client(cfg.notion_token, cfg.notion_base_url, cfg.http_timeout_s), page["id"], keys)
        return ""
    except Exception as exc:  # noqa: BLE001 - the tickets exist; the page only misses their keys, and says so
        log.exception("could not write ticket keys into %s", page.get("id"))
        return f"I couldn't add the keys to the page's to-dos ({exc})."


def _edit_reply(api: SlackAPI, meta: dict, state: dict, run_id: str) -> None:
    if not meta.get("message_ts"):
        return
    text, blocks = replies.result_reply(build_result(state.get("incident") or "", state), run_id, tickets=True)
    try:
        api.update_message(meta["channel"], meta["message_ts"], text, blocks=blocks)
    except Exception:  # noqa: BLE001 - the thread message below still says what was made
        log.exception("could not edit the result reply")
