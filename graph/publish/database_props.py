"""Which data source property holds what, found by type (never by a fixed name), and the values a row gets."""

from __future__ import annotations

from dataclasses import dataclass

from notion_client import Client

from graph.analyze.report import ActionItem
from graph.publish.blocks import text
from graph.publish.notion_io import PublishError, call

KEY_PROPERTY = "incident key"  # a text property of this name (any case) holds the key: rows are found by a query
DRAFT = "Draft"


@dataclass(frozen=True)
class Roles:
    """Property names by role: the title, and the first date, status (or select) and people properties."""

    title: str | None
    date: str | None = None
    status: str | None = None
    people: str | None = None
    key: str | None = None


def _options(prop: dict) -> list[dict]:
    return (prop.get(prop["type"]) or {}).get("options") or []


def _draft(prop: dict) -> dict | None:
    return next((o for o in _options(prop) if o.get("name", "").strip().lower() == DRAFT.lower()), None)


def roles(schema: dict[str, dict]) -> Roles:
    def first(kind: str) -> str | None:
        return next((name for name, p in schema.items() if p.get("type") == kind), None)

    # A status property is the workflow; else a select that already offers Draft, else the first select.
    drafty = next((n for n, p in schema.items() if p.get("type") == "select" and _draft(p)), None)
    key = next((n for n, p in schema.items() if p.get("type") == "rich_text" and n.strip().lower() == KEY_PROPERTY),
               None)
    return Roles(first("title"), first("date"), first("status") or drafty or first("select"), first("people"), key)


def row_properties(schema: dict[str, dict], r: Roles, *, title: str, key: str, started: str | None,
                   owner: str | None, current: dict | None) -> dict:
    """The values to send: title, key and date every time; status and owner only where the row has none yet
    (a person may have moved the status on or chosen the owner since the last run)."""
    props: dict = {r.title: {"title": text(title)}}
    if r.key:
        props[r.key] = {"rich_text": text(key)}
    if r.date and started:
        props[r.date] = {"date": {"start": started[:10]}}
    now = current or {}
    if r.status and not (now.get(r.status) or {}).get(schema[r.status]["type"]):
        kind = schema[r.status]["type"]
        draft = _draft(schema[r.status])
        if draft or kind == "select":  # a select gains the option; a status can only use the ones it has
            props[r.status] = {kind: {"name": draft["name"] if draft else DRAFT}}
    if r.people and owner and not (now.get(r.people) or {}).get("people"):
        props[r.people] = {"people": [{"object": "user", "id": owner}]}
    return props


def owner_names(requester: str | None, people: dict[str, str] | None, items: list[ActionItem]) -> list[str]:
    """Who could own the row, best first: the person who asked (a Slack id, named through `people`), then the
    action items' owners."""
    names = [(people or {}).get(requester or "", "")] + [i.owner or "" for i in items]
    return [n for n in dict.fromkeys(n.strip().lstrip("@") for n in names) if n]


def find_owner(client: Client, names: list[str]) -> str | None:
    """The Notion person one of the names is: full name, email, or the email's local part, ignoring case.

    Reading users needs the integration's user capability; without it the owner is left empty, not the run failed.
    """
    if not names:
        return None
    people, cursor = [], None
    try:
        while True:
            res = call(client.users.list, page_size=100, **({"start_cursor": cursor} if cursor else {}))
            people += [u for u in res.get("results", []) if u.get("type") == "person"]
            cursor = res.get("next_cursor")
            if not res.get("has_more") or not cursor:
                break
    except PublishError:
        return None
    for name in (n.lower() for n in names):
        for u in people:
            email = ((u.get("person") or {}).get("email") or "").lower()
            if name in ((u.get("name") or "").lower(), email, email.split("@")[0] if email else None):
                return u["id"]
    return None
