"""JQL evaluation: turns a parsed query into a predicate and a sort over the Jira sandbox's issue records."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import Any, Protocol

from sandbox.jira.jql import Clause, JQLError, Value, parse
from sandbox.jira.textsearch import matcher as text_matcher

PRIORITY_RANK = {"Lowest": 1, "Low": 2, "Medium": 3, "High": 4, "Highest": 5}
_EQ = {"=", "!=", "in", "not in"}
_EMPTY = {"is", "is not"}
_CMP = {"=", "!=", ">", ">=", "<", "<="}
_TEXT = {"~", "!~"}
# JQL name -> (record attribute, kind, allowed operators)
FIELDS: dict[str, tuple[str, str, set[str]]] = {
    "project": ("project", "project", _EQ),
    "key": ("key", "key", _EQ), "issuekey": ("key", "key", _EQ), "id": ("key", "key", _EQ),
    "issue": ("key", "key", _EQ),
    "text": ("t_text", "text", _TEXT), "summary": ("t_summary", "text", _TEXT | _EMPTY),
    "description": ("t_desc", "text", _TEXT | _EMPTY), "comment": ("t_comments", "text", _TEXT),
    "labels": ("labels", "labels", _EQ | _EMPTY),
    "status": ("status", "status", _EQ), "statuscategory": ("status", "category", _EQ),
    "assignee": ("assignee", "user", _EQ | _EMPTY), "reporter": ("reporter", "user", _EQ | _EMPTY),
    "creator": ("reporter", "user", _EQ),
    "type": ("type", "type", _EQ), "issuetype": ("type", "type", _EQ),
    "priority": ("priority", "priority", _EQ | _CMP | _EMPTY),
    "created": ("created", "date", _CMP | _EMPTY), "createddate": ("created", "date", _CMP | _EMPTY),
    "updated": ("updated", "date", _CMP | _EMPTY), "updateddate": ("updated", "date", _CMP | _EMPTY),
    "resolved": ("resolved", "date", _CMP | _EMPTY), "resolutiondate": ("resolved", "date", _CMP | _EMPTY),
    "resolution": ("resolved", "resolution", _EQ | _EMPTY), "parent": ("parent", "key", _EQ | _EMPTY),
}
SORTS = {"created": "created", "createddate": "created", "updated": "updated", "updateddate": "updated",
         "key": "key", "issuekey": "key", "id": "key", "priority": "priority", "resolved": "resolved",
         "resolutiondate": "resolved", "summary": "summary", "status": "status", "assignee": "assignee",
         "type": "type", "issuetype": "type", "project": "project"}
CATEGORY = {"To Do": "new", "In Progress": "indeterminate", "In Review": "indeterminate", "Done": "done",
            "Closed": "done"}
_CATEGORY_NAMES = {"to do": "new", "new": "new", "in progress": "indeterminate", "indeterminate": "indeterminate",
                   "done": "done", "complete": "done"}
_REL = re.compile(r"([-+]?)\s*(\d+)\s*([wdhm])", re.I)


class Env(Protocol):
    """What evaluation needs from the store: the clock, the caller and the names that exist."""

    def now(self) -> datetime: ...
    def zone(self) -> tzinfo: ...  # the caller's time zone: unzoned dates and startOfDay() are read in it
    def current_user(self) -> str: ...
    def user(self, value: str) -> str | None: ...
    def project(self, value: str) -> str | None: ...
    def issue_key(self, value: str) -> str | None: ...


def _value_err(v: Value, field: str) -> JQLError:
    return JQLError(f"The value '{v.text}' does not exist for the field '{field}'.")


def parse_date(v: Value, env: Env, field: str) -> datetime:
    text = v.text.strip()
    if v.func:
        now = env.now()
        fn = text.lower()
        if fn == "now":
            return now
        if fn in ("startofday", "endofday"):
            start = now.astimezone(env.zone()).replace(hour=0, minute=0, second=0, microsecond=0)
            return start if fn == "startofday" else start + timedelta(days=1, microseconds=-1)
        raise JQLError(f"Unable to find JQL function '{text}()'.")
    for fmt in ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=env.zone())
        except ValueError:
            pass
    parts = _REL.findall(text)
    if parts and _REL.sub("", text).strip() == "":
        sign = -1 if parts[0][0] == "-" else 1
        unit = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
        delta = sum((timedelta(**{unit[u.lower()]: int(n)}) for _, n, u in parts), timedelta())
        return env.now() + sign * delta
    raise JQLError(f"Date value '{text}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
                   "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.")


def _resolve(kind: str, v: Value, env: Env, field: str) -> Any:
    if v.func:
        if v.text.lower() == "currentuser" and kind == "user":
            return env.current_user()
        raise JQLError(f"Unable to find JQL function '{v.text}()'.")
    t = v.text
    if kind == "project":
        found = env.project(t)
    elif kind == "key":
        found = env.issue_key(t)
        if found is None:
            raise JQLError(f"An issue with key '{t}' does not exist for field '{field}'.")
    elif kind == "user":
        found = env.user(t)
    elif kind == "status":
        found = next((s for s in CATEGORY if s.lower() == t.lower()), None)
    elif kind == "category":
        found = _CATEGORY_NAMES.get(t.lower())
    elif kind == "type":
        names = ("Task", "Bug", "Story", "Epic", "Incident", "Sub-task")
        found = next((s for s in names if s.lower() == t.lower().replace("subtask", "sub-task")), None)
    elif kind == "priority":
        found = next((s for s in PRIORITY_RANK if s.lower() == t.lower()), None)
    elif kind == "resolution":
        found = {"unresolved": "unresolved", "done": "done", "fixed": "done"}.get(t.lower())
    else:  # labels
        found = t.lower()
    if found is None:
        raise _value_err(v, field)
    return found


def _clause(c: Clause, env: Env):
    if c.field not in FIELDS:
        raise JQLError(f"Field '{c.field}' does not exist or you do not have permission to view it.")
    attr, kind, ops = FIELDS[c.field]
    if c.op not in ops:
        raise JQLError(f"The operator '{c.op.upper()}' is not supported by the '{c.field}' field.")
    get = (lambda r: CATEGORY[r.status]) if kind == "category" else (lambda r: getattr(r, attr))
    if c.op in _EMPTY:
        empty = (lambda r: not r.labels) if kind == "labels" else (lambda r: not get(r))
        return empty if c.op == "is" else (lambda r: not empty(r))
    if c.op in _TEXT:
        m = text_matcher(c.value.text)
        return (lambda r: m(get(r))) if c.op == "~" else (lambda r: not m(get(r)))
    if kind == "date":
        at = parse_date(c.value, env, c.field)
        cmp = {"=": at.__eq__, "!=": at.__ne__, ">": at.__lt__, ">=": at.__le__, "<": at.__gt__, "<=": at.__ge__}[c.op]
        return lambda r: get(r) is not None and cmp(get(r))
    vals = c.value if isinstance(c.value, tuple) else (c.value,)
    wanted = {_resolve(kind, v, env, c.field) for v in vals}
    if kind == "priority" and c.op in (">", ">=", "<", "<="):
        rank = PRIORITY_RANK[next(iter(wanted))]
        test = {">": rank.__lt__, ">=": rank.__le__, "<": rank.__gt__, "<=": rank.__ge__}[c.op]
        return lambda r: test(PRIORITY_RANK[r.priority])
    def hit(r) -> bool:
        if kind == "labels":
            return any(lb.lower() in wanted for lb in r.labels)
        if kind == "resolution":
            return ("done" if r.resolved else "unresolved") in wanted
        return get(r) in wanted

    if c.op in ("=", "in"):
        return hit
    # Jira's quirk: != and NOT IN never match issues whose field is empty.
    return lambda r: bool(r.labels if kind == "labels" else get(r)) and not hit(r)


def _build(node, env: Env):
    if node is None:
        return lambda r: True
    if isinstance(node, Clause):
        return _clause(node, env)
    if node[0] == "not":
        inner = _build(node[1], env)
        return lambda r: not inner(r)
    a, b = _build(node[1], env), _build(node[2], env)
    return (lambda r: a(r) and b(r)) if node[0] == "and" else (lambda r: a(r) or b(r))


def _sort_value(r, what: str):
    if what == "key":
        return (r.project, r.num)
    if what == "priority":
        return PRIORITY_RANK[r.priority]
    v = getattr(r, what)
    return v or ""


class Query:
    """A compiled JQL query: `match(record)` and `sort(records)`."""

    def __init__(self, text: str, env: Env):
        where, order = parse(text)
        self.match = _build(where, env)
        self.order: list[tuple[str, bool]] = []
        for field, desc in order:
            if field not in SORTS:
                raise JQLError(f"Field '{field}' does not exist or you do not have permission to view it.")
            self.order.append((SORTS[field], bool(desc) if desc is not None else field == "priority"))
        if not self.order:  # Jira's default when the query names no order
            self.order = [("key", True)]

    def sort(self, records: list) -> list:
        out = sorted(records, key=lambda r: r.id)
        for what, desc in reversed(self.order):
            if what in ("resolved", "assignee"):  # empty values sort last either way, as in Jira
                filled = [r for r in out if getattr(r, what)]
                empty = [r for r in out if not getattr(r, what)]
                out = sorted(filled, key=lambda r, w=what: _sort_value(r, w), reverse=desc) + empty
            else:
                out.sort(key=lambda r, w=what: _sort_value(r, w), reverse=desc)
        return out
