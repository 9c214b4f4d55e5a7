"""Jira tickets from action items: each made once per (marker, item id), assigned when Jira knows the owner, linked."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from functools import partial

import requests
from jira import JIRA, JIRAError

from graph.configuration import Configuration
from graph.sources.base import SourceError
from graph.sources.jira import JiraSource
from graph.sources.retry import Budget, jira_failure, retrying
from graph.tickets.jira_errors import field_errors, why
from graph.tickets.jira_people import resolve_assignee

__all__ = ["create_tickets", "marker_label", "resolve_assignee"]

ISSUE_TYPE = "Task"
LINK_TYPE = "Relates"  # Jira's default type for 'relates to'
LABEL = "postmortem"  # on every ticket, so people can find them all
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}
_made: dict[tuple[str, str], str] = {}  # (Jira URL, marker label) -> key this process created


def marker_label(marker: str, item_id: str) -> str:
    """The label that marks the ticket of one item of one marker (a run id, say): 'pm-' and 10 hex digits."""
    return "pm-" + hashlib.sha1(f"{marker}\n{item_id}".encode(), usedforsecurity=False).hexdigest()[:10]


def _lock(marker: str) -> threading.Lock:
    with _guard:
        return _locks.setdefault(marker, threading.Lock())


class _Run:
    """One call: the client, its time budget, what the label search found, and what failed for every item."""

    def __init__(self, base: str, client: JIRA, budget: Budget, marker: str, project: str, link_to: str | None):
        self.base, self.client, self.budget, self.marker = base, client, budget, marker
        self.project, self.link_to = project, link_to
        self.found: dict[str, dict] = {}  # label -> raw issue (fields labels, issuelinks)
        self.project_error: str | None = None  # Jira refused the project: no item can be created
        self.people: dict[str, dict | None | str] = {}  # owner name -> assignee field, None, or why the lookup failed

    def call(self, fn, recheck=None):
        return retrying(fn, jira_failure, self.budget, recheck=recheck)

    def search(self, labels: list[str]) -> None:
        for at in range(0, len(labels), 50):  # JQL stays short; each label marks one ticket (or two after a race)
            jql = "labels in (" + ", ".join(f'"{lb}"' for lb in labels[at:at + 50]) + ") ORDER BY created ASC"
            issues = self.call(lambda q=jql: self.client.search_issues(q, maxResults=100,
                                                                       fields=["labels", "issuelinks"]))
            for issue in issues:
                for lb in issue.raw["fields"].get("labels") or []:
                    self.found.setdefault(lb, issue.raw)  # the oldest, if a race ever made two

    def remembered(self, label: str) -> dict | None:
        """A ticket this process made that search does not show yet: read by key, and still carrying its label."""
        key = _made.get((self.base, label))
        if key is None:
            return None
        try:
            raw = self.call(lambda: self.client.issue(key, fields="labels,issuelinks").raw)
        except JIRAError:
            _made.pop((self.base, label), None)  # deleted, or a different Jira behind the same URL
            return None
        return raw if label in (raw["fields"].get("labels") or []) else None

    def assignee(self, name: str | None) -> tuple[dict | None, str | None]:
        if not name:
            return None, None
        if name not in self.people:
            try:
                self.people[name] = self.call(lambda: resolve_assignee(self.client, name, self.client.deploymentType))
            except (JIRAError, requests.RequestException) as exc:
                self.people[name] = why(exc)
        who = self.people[name]
        if isinstance(who, dict):
            return who, None
        return None, f"not assigned to {name!r} ({who or 'no single Jira user matches that name'})"

    def create(self, item: dict, label: str) -> tuple[dict, list[str]]:
        assignee, note = self.assignee(item.get("assignee_name"))
        notes = [note] if note else []
        description, due = str(item.get("description") or ""), str(item.get("due") or "").strip()
        fields = {"project": {"key": self.project}, "issuetype": {"name": ISSUE_TYPE},
                  "summary": " ".join(str(item["summary"]).split())[:255], "labels": [LABEL, label]}
        if due and _DATE.fullmatch(due):
            fields["duedate"] = due
        elif due:  # 'next sprint' is no date Jira takes: the reader still sees it
            description = f"{description}\n\nDue: {due}".strip()
        fields["description"] = description
        if assignee:
            fields["assignee"] = assignee
        recheck = partial(self.lookup, label)  # a create whose answer was lost may have happened all the same
        try:
            raw = self.call(lambda: self.client.create_issue(fields=fields, prefetch=False).raw, recheck)
        except JIRAError as exc:
            dropped = set(field_errors(exc))
            # A person Jira will not assign, or a due date its screen lacks, should not cost the ticket.
            if exc.status_code != 400 or not dropped or not dropped <= {"assignee", "duedate"}:
                raise
            notes.append(f"created without {' and '.join(sorted(dropped))} ({why(exc)})")
            if "duedate" in dropped:
                fields["description"] = f"{description}\n\nDue: {fields.pop('duedate')}".strip()
            fields.pop("assignee", None)
            raw = self.call(lambda: self.client.create_issue(fields=fields, prefetch=False).raw, recheck)
        _made[(self.base, label)] = raw["key"]
        return raw, notes

    def lookup(self, label: str) -> dict | None:
        try:
            self.search([label])
        except (JIRAError, requests.RequestException):
            return None
        return self.found.get(label)

    def link(self, raw: dict) -> str | None:
        if not self.link_to:
            return None
        for link in (raw.get("fields") or {}).get("issuelinks") or []:
            other = link.get("outwardIssue") or link.get("inwardIssue") or {}
            if other.get("key") == self.link_to:
                return None  # linked by the call that created it
        # jira.JIRA.create_issue_link would first list the link types, every time: the request is posted as is.
        body = json.dumps({"type": {"name": LINK_TYPE}, "inwardIssue": {"key": raw["key"]},
                           "outwardIssue": {"key": self.link_to}})
        try:
            self.call(lambda: self.client._session.post(self.client._get_url("issueLink"), data=body))
        except (JIRAError, requests.RequestException) as exc:
            return f"not linked to {self.link_to} ({why(exc)})"
        return None

    def item(self, item: dict) -> dict:
        if not str(item.get("id") or "").strip() or not str(item.get("summary") or "").strip():
            return _failed(item, "an action item needs an id and a summary")
        label, created = marker_label(self.marker, str(item["id"])), False
        raw, notes = self.found.get(label) or self.remembered(label), []
        if raw is None:
            if self.project_error:
                return _failed(item, self.project_error)
            try:
                raw, notes = self.create(item, label)
            except (JIRAError, requests.RequestException) as exc:
                if "project" in field_errors(exc):
                    self.project_error = f"Jira project {self.project!r} cannot take tickets: {why(exc)}"
                    return _failed(item, self.project_error)
                unsure = not isinstance(exc, JIRAError) or (exc.status_code or 0) >= 500
                return _failed(item, why(exc) + ("; if Jira made it anyway, asking again finds it" if unsure else ""))
            created, self.found[label] = True, raw
        notes += [n for n in [self.link(raw)] if n]
        return {"id": item["id"], "key": raw["key"], "url": f"{self.base}/browse/{raw['key']}", "created": created,
                "error": "; ".join(notes) or None}


def create_tickets(cfg: Configuration, items: list[dict], *, project: str, link_to: str | None,
                   marker: str) -> list[dict]:
    """One Jira ticket (type Task, labels 'postmortem' and `marker_label`) per item, in the items' order.

    items: {"id": stable item id, "summary", "description", "assignee_name" (or None), "due" (or None)}.
    Returns [{"id", "key", "url", "created", "error"}]: `created` is True only for a ticket this call made; a reused
    one has created False. `error` None means done as asked. With a key and an error, the ticket exists but
    something was left out: the owner Jira does not know (created unassigned), a due date that is no YYYY-MM-DD
    (written into the description), the link to `link_to`. Without a key, no ticket exists for the item: the
    project is unknown (every item says so and nothing is created), Jira refused the fields, or Jira could not be
    reached (before the label search succeeds nothing is created at all). One item's failure never stops the others.

    Exactly once: before creating, one JQL search (`labels in (…)`) finds the tickets an earlier call made for the
    same marker and item ids, and those are reused (and linked if they are not yet). Within a process a lock per
    marker makes concurrent calls (a double click) wait for each other, and the keys this process created are
    remembered and read back by key, because Jira Cloud's search may not show a new issue for a few seconds. Across
    processes the label search is the only guard, so callers serialise calls per marker (the bot does, per run id):
    two processes racing inside that indexing delay could each create a ticket. A create whose answer is lost
    (dropped connection, 5xx) is looked for by its label before it is tried again.
    """
    if not items:
        return []
    with _lock(marker):
        budget = Budget(cfg.source_budget_s)
        try:
            client = JiraSource(cfg, budget=budget).client  # serverInfo once: Cloud or Data Center
            run = _Run(cfg.jira_url.rstrip("/"), client, budget, marker, project.strip().upper(),
                       (link_to or "").strip().upper() or None)
            run.search([marker_label(marker, str(i.get("id"))) for i in items])
        except SourceError as exc:
            return [_failed(i, str(exc)) for i in items]
        except (JIRAError, requests.RequestException) as exc:
            return [_failed(i, f"{why(exc)}; nothing was created") for i in items]
        return [run.item(i) for i in items]


def _failed(item: dict, error: str) -> dict:
    return {"id": item.get("id"), "key": None, "url": None, "created": False, "error": error}
