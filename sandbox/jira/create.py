"""POST /rest/api/{2,3}/issue: Jira's create-issue validation, with Cloud's or Data Center's own error texts."""

from __future__ import annotations

import re
from datetime import date

from aiohttp import web

from sandbox.jira.http import api_version
from sandbox.jira.state import ISSUE_TYPES, PRIORITIES, IssueRec, JiraState
from sandbox.jira.write import bad, read_json, ref, text_field

_SETTABLE = {"project", "issuetype", "summary", "description", "labels", "assignee", "reporter", "priority", "parent",
             "duedate"}
# (Cloud, Data Center): each words the same problem its own way.
_TEXTS = {
    "project": ("Specify a valid project ID or key", "project is required"),
    "no_type": ("Specify an issue type", "issue type is required"),
    "bad_type": ("The issue type selected is invalid.", "valid issue type is required"),
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _says(st: JiraState, problem: str) -> str:
    return _TEXTS[problem][0 if st.cloud else 1]


def _project(st: JiraState, value) -> str | None:
    wanted = ref(value, "key", "id")
    if wanted is None:
        return None
    return next((k for k, (pid, _) in st.projects.items() if wanted.upper() == k or wanted == pid), None)


def _user(st: JiraState, value, field: str, errors: dict) -> str | None:
    """Cloud names people by accountId only (GDPR strict mode); Data Center by username. "-1" asks for the
    project's default assignee, and the sandbox's projects have none."""
    if value is None:
        return None
    if st.cloud:
        account = ref(value, "accountId", "id") or ""
        if account == "-1":
            return None
        name = next((u.name for u in st.users.values() if u.account_id == account), None)
        if name is None:
            errors[field] = f"Account ID {account} does not exist."
        return name
    if not isinstance(value, dict) or value.get("name") is None:
        errors[field] = "expected Object containing a 'name' property"
        return None
    wanted = str(value["name"])
    if wanted == "-1":
        return None
    name = next((u.name for u in st.users.values() if u.name.lower() == wanted.lower()), None)
    if name is None:
        errors[field] = f"User '{wanted}' does not exist."
    return name


def _due(value, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, str) and _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    errors["duedate"] = f"Error parsing date string: {value}"
    return None


def _summary(value, errors: dict) -> str:
    if not isinstance(value, str) or not value.strip():
        errors["summary"] = "You must specify a summary of the issue."
        return ""
    if len(value) > 255:
        errors["summary"] = "Summary must be less than 255 characters."
    return value


async def create_issue(st: JiraState, request: web.Request) -> web.Response:
    v, body = api_version(request), await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
        return bad({}, "Request body must be a JSON object with 'fields'.")
    f = body["fields"]
    project = _project(st, f.get("project"))
    if project is None:  # the create screen, and so every other field, depends on the project: Jira stops here
        return bad({"project": _says(st, "project")})
    errors = {name: f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
              for name in f if name not in _SETTABLE}
    tref = ref(f.get("issuetype"), "name", "id")
    itype = next((n for n, i in ISSUE_TYPES.items() if tref in (n, i)), None)
    if itype is None:
        errors["issuetype"] = _says(st, "no_type" if tref is None else "bad_type")
    summary = _summary(f.get("summary"), errors)
    description = text_field(f.get("description"), v, "description", errors)
    labels = f.get("labels") or []
    if not isinstance(labels, list) or any(not isinstance(x, str) or " " in x for x in labels):
        errors["labels"] = "The label must not contain spaces."
    pr = ref(f.get("priority"), "name", "id") or "Medium"
    priority = next((n for n, i in PRIORITIES.items() if pr in (n, i)), None)
    if priority is None:
        errors["priority"] = "Specify a valid 'id' or 'name' for Priority"
    parent = None
    if f.get("parent") is not None:
        rec = st.find(ref(f["parent"], "key", "id") or "")
        parent = rec.key if rec else errors.setdefault("parent", "Could not find issue by id or key.")
    due = _due(f.get("duedate"), errors)
    assignee = _user(st, f.get("assignee"), "assignee", errors)
    reporter = _user(st, f.get("reporter"), "reporter", errors) if f.get("reporter") else st.me
    if errors:
        return bad(errors)
    now = st.now()
    key = st.next_key(project)
    rec = IssueRec(id=10000 + len(st.issues), key=key, project=project, num=int(key.rsplit("-", 1)[1]), type=itype,
                   summary=summary, description=description, status="To Do", priority=priority, reporter=reporter,
                   assignee=assignee, labels=list(labels), parent=parent, links=[], created=now, updated=now,
                   resolved=None, comments=[], transitions=[], due=due)
    st.add_issue(rec)
    return web.json_response({"id": str(rec.id), "key": rec.key, "self": f"{st.base_url}/rest/api/{v}/issue/{rec.id}"},
                             status=201)
