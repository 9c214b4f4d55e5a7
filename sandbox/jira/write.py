"""Writes to the Jira sandbox: create issue and add comment, with Jira's field validation errors."""

from __future__ import annotations

import json

from aiohttp import web

from sandbox.jira import shapes
from sandbox.jira.adf import from_adf
from sandbox.jira.http import api_version
from sandbox.jira.state import ISSUE_TYPES, PRIORITIES, IssueRec, JiraState

_SETTABLE = {"project", "issuetype", "summary", "description", "labels", "assignee", "reporter", "priority", "parent"}


def _bad(errors: dict, *messages: str) -> web.Response:
    return web.json_response({"errorMessages": list(messages), "errors": errors}, status=400)


async def _body(request: web.Request):
    try:
        return await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _text(value, v: str, field: str, errors: dict) -> str:
    """v3 takes Atlassian Document Format, v2 a plain string; the wrong one is refused like Jira does."""
    if value is None:
        return ""
    if v == "3" and not (isinstance(value, dict) and value.get("type") == "doc"):
        errors[field] = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
        return ""
    if v == "2" and not isinstance(value, str):
        errors[field] = "Operation value must be a string"
        return ""
    return from_adf(value)


def _ref(value, *names: str) -> str | None:
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, dict):
        return next((str(value[n]) for n in names if value.get(n) is not None), None)
    return None


def _user(st: JiraState, value, field: str, errors: dict) -> str | None:
    if value is None:
        return None
    ref = _ref(value, "accountId", "id", "name", "emailAddress")
    name = st.user(ref) if ref else None
    if name is None:
        errors[field] = f"Specified user does not exist or you do not have required permissions: {ref}"
    return name


async def create_issue(st: JiraState, request: web.Request) -> web.Response:
    v, body = api_version(request), await _body(request)
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
        return _bad({}, "Request body must be a JSON object with 'fields'.")
    f, errors = body["fields"], {}
    for name in f:
        if name not in _SETTABLE:
            errors[name] = f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
    pref = _ref(f.get("project"), "key", "id")
    project = st.project_key(pref) if pref else None
    if project is None:
        errors["project"] = "Specify a valid project ID or key"
    tref = _ref(f.get("issuetype"), "name", "id")
    itype = next((n for n, i in ISSUE_TYPES.items() if tref in (n, i)), None)
    if itype is None:
        errors["issuetype"] = "Specify an issue type" if tref is None else "Specify a valid issue type"
    summary = f.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        errors["summary"] = "You must specify a summary of the issue."
    description = _text(f.get("description"), v, "description", errors)
    labels = f.get("labels") or []
    if not isinstance(labels, list) or any(not isinstance(x, str) or " " in x for x in labels):
        errors["labels"] = "The label must not contain spaces."
    pr = _ref(f.get("priority"), "name", "id") or "Medium"
    priority = next((n for n, i in PRIORITIES.items() if pr in (n, i)), None)
    if priority is None:
        errors["priority"] = "Specify a valid 'id' or 'name' for Priority"
    parent = None
    if f.get("parent") is not None:
        rec = st.find(_ref(f["parent"], "key", "id") or "")
        parent = rec.key if rec else errors.setdefault("parent", "Could not find issue by id or key.")
    assignee = _user(st, f.get("assignee"), "assignee", errors)
    reporter = _user(st, f.get("reporter"), "reporter", errors) if f.get("reporter") else st.me
    if errors:
        return _bad(errors)
    now = st.now()
    key = st.next_key(project)
    rec = IssueRec(id=10000 + len(st.issues), key=key, project=project, num=int(key.rsplit("-", 1)[1]), type=itype,
                   summary=summary, description=description, status="To Do", priority=priority, reporter=reporter,
                   assignee=assignee, labels=list(labels), parent=parent, links=[], created=now, updated=now,
                   resolved=None, comments=[], transitions=[])
    st.add_issue(rec)
    return web.json_response({"id": str(rec.id), "key": rec.key, "self": f"{st.base_url}/rest/api/{v}/issue/{rec.id}"},
                             status=201)


async def create_comment(st: JiraState, rec: IssueRec, request: web.Request) -> web.Response:
    v, body = api_version(request), await _body(request)
    if not isinstance(body, dict) or body.get("body") in (None, ""):
        return _bad({"comment": "Comment body can not be empty!"})
    errors: dict = {}
    text = _text(body["body"], v, "comment", errors)
    if errors:
        return _bad(errors)
    c = st.new_comment(st.me, st.now(), text)
    rec.comments.append(c)
    rec.updated = c.at
    rec.reindex()
    st.version += 1
    return web.json_response(shapes.comment_json(st, rec, c, v), status=201)
