"""JSON shapes of the Jira sandbox: issues, users, projects, comments and changelogs as Jira Cloud writes them."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from sandbox.jira.adf import to_adf
from sandbox.jira.jql_eval import CATEGORY
from sandbox.jira.state import ISSUE_TYPES, LINK_TYPES, PRIORITIES, STATUSES, CommentRec, IssueRec, JiraState

ALL_FIELDS = ("summary", "description", "status", "issuetype", "priority", "reporter", "assignee", "creator",
              "labels", "created", "updated", "resolutiondate", "resolution", "project", "parent", "issuelinks",
              "subtasks", "statuscategorychangedate", "duedate", "comment")
NAVIGABLE = tuple(f for f in ALL_FIELDS if f != "comment")
_CATEGORIES = {"new": (2, "To Do", "blue-gray"), "indeterminate": (4, "In Progress", "yellow"),
               "done": (3, "Done", "green")}
_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"


def jtime(at: datetime | None) -> str | None:
    """Jira's timestamp format: 2025-08-04T09:12:00.000+0000."""
    if at is None:
        return None
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"


def select_fields(raw: list[str], default: tuple[str, ...] | None) -> tuple[str, ...]:
    """Resolve a `fields` parameter (*all, *navigable, names, -exclusions, comma lists) to field ids."""
    names = [p.strip() for item in raw for p in str(item).split(",") if p.strip()]
    if not names:
        return default or ()
    chosen: list[str] = []
    for n in names:
        if n == "*all":
            chosen += ALL_FIELDS
        elif n == "*navigable":
            chosen += NAVIGABLE
        elif not n.startswith("-") and n in ALL_FIELDS:
            chosen.append(n)
    minus = {n[1:] for n in names if n.startswith("-")}
    if minus and not chosen:
        chosen = list(default or ALL_FIELDS)
    return tuple(dict.fromkeys(f for f in chosen if f not in minus))


def user_json(st: JiraState, name: str | None, v: str) -> dict | None:
    if name is None:
        return None
    u = st.users.get(name)
    if u is None:
        return None
    avatars = {s: f"{st.base_url}/avatar/{u.account_id}?s={s[:2]}" for s in ("48x48", "24x24", "16x16", "32x32")}
    if not st.cloud:  # Data Center names users by username (and key); account ids are Cloud's
        out = {"self": f"{st.base_url}/rest/api/{v}/user?username={u.name}", "key": u.name, "name": u.name,
               "avatarUrls": avatars, "displayName": u.display_name, "active": True, "deleted": False,
               "timeZone": u.tz, "locale": "en_US"}
    else:
        out = {"self": f"{st.base_url}/rest/api/{v}/user?accountId={u.account_id}", "accountId": u.account_id,
               "avatarUrls": avatars, "displayName": u.display_name, "active": True, "timeZone": u.tz,
               "accountType": "atlassian"}
    if u.email:
        out["emailAddress"] = u.email
    return out


def project_json(st: JiraState, key: str, v: str, issue_types: bool = False) -> dict:
    pid, name = st.projects[key]
    out = {"expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
           "self": f"{st.base_url}/rest/api/{v}/project/{pid}", "id": pid, "key": key, "name": name,
           "projectTypeKey": "software", "simplified": False, "style": "classic", "isPrivate": False,
           "properties": {}}
    if issue_types:
        out["issueTypes"] = [issuetype_json(st, t, v) for t in ISSUE_TYPES]
    return out


def issuetype_json(st: JiraState, name: str, v: str) -> dict:
    tid = ISSUE_TYPES[name]
    return {"self": f"{st.base_url}/rest/api/{v}/issuetype/{tid}", "id": tid, "description": "",
            "iconUrl": f"{st.base_url}/images/icons/issuetypes/{name.lower()}.svg", "name": name,
            "subtask": name == "Sub-task", "hierarchyLevel": -1 if name == "Sub-task" else int(name == "Epic")}


def status_json(st: JiraState, name: str, v: str) -> dict:
    cat = CATEGORY[name]
    cid, cname, color = _CATEGORIES[cat]
    return {"self": f"{st.base_url}/rest/api/{v}/status/{STATUSES[name]}", "description": "", "name": name,
            "id": STATUSES[name], "statusCategory": {"self": f"{st.base_url}/rest/api/{v}/statuscategory/{cid}",
                                                     "id": cid, "key": cat, "colorName": color, "name": cname}}


def _body(text: str, v: str):
    return to_adf(text) if v == "3" else text


def comment_json(st: JiraState, rec: IssueRec, c: CommentRec, v: str) -> dict:
    author = user_json(st, c.author, v)
    return {"self": f"{st.base_url}/rest/api/{v}/issue/{rec.id}/comment/{c.id}", "id": str(c.id),
            "author": author, "body": _body(c.body, v), "updateAuthor": author, "created": jtime(c.at),
            "updated": jtime(c.updated or c.at), "jsdPublic": True}


def comments_page(st: JiraState, rec: IssueRec, v: str, start: int = 0, limit: int = 5000,
                  newest_first: bool = False) -> dict:
    items = list(reversed(rec.comments)) if newest_first else rec.comments
    page = items[start:start + limit]
    return {"comments": [comment_json(st, rec, c, v) for c in page], "self": f"{st.base_url}/rest/api/{v}/issue/"
            f"{rec.id}/comment", "maxResults": limit, "total": len(items), "startAt": start}


def _link_side(st: JiraState, key: str, v: str) -> dict:
    other = st.by_key[key]
    return {"id": str(other.id), "key": other.key, "self": f"{st.base_url}/rest/api/{v}/issue/{other.id}",
            "fields": {"summary": other.summary, "status": status_json(st, other.status, v),
                       "priority": {"name": other.priority, "id": PRIORITIES[other.priority]},
                       "issuetype": issuetype_json(st, other.type, v)}}


def link_type(verb: str) -> dict:
    """The link type whose outward verb a workspace link names ('relates to' is Relates); others as written."""
    name = next((n for n, (_, _, out) in LINK_TYPES.items() if out == verb.lower()), None)
    tid, inward, outward = LINK_TYPES[name] if name else ("10003", verb, verb)
    return {"id": tid, "name": name or verb.capitalize(), "inward": inward, "outward": outward}


def _links(st: JiraState, rec: IssueRec, v: str) -> list[dict]:
    out = []
    for i, link in enumerate(rec.links):
        out.append({"id": str(rec.id * 100 + i), "self": f"{st.base_url}/rest/api/{v}/issueLink/{rec.id * 100 + i}",
                    "type": link_type(link.type), "outwardIssue": _link_side(st, link.key, v)})
    for other, i in st.inbound.get(rec.key, ()):  # links point one way in the workspace; Jira shows both ends
        out.append({"id": str(other.id * 100 + i), "self": f"{st.base_url}/rest/api/{v}/issueLink/{other.id * 100 + i}",
                    "type": link_type(other.links[i].type), "inwardIssue": _link_side(st, other.key, v)})
    return out


def field_value(st: JiraState, rec: IssueRec, f: str, v: str):
    if f in ("reporter", "creator", "assignee"):
        return user_json(st, rec.assignee if f == "assignee" else rec.reporter, v)
    simple = {"summary": rec.summary, "labels": rec.labels, "created": jtime(rec.created),
              "updated": jtime(rec.updated), "resolutiondate": jtime(rec.resolved),
              "duedate": rec.due.isoformat() if rec.due else None}
    if f in simple:
        return simple[f]
    if f == "description":
        return _body(rec.description, v) if rec.description else None
    if f == "status":
        return status_json(st, rec.status, v)
    if f == "issuetype":
        return issuetype_json(st, rec.type, v)
    if f == "priority":
        pid = PRIORITIES[rec.priority]
        return {"self": f"{st.base_url}/rest/api/{v}/priority/{pid}", "name": rec.priority, "id": pid,
                "iconUrl": f"{st.base_url}/images/icons/priorities/{rec.priority.lower()}.svg"}
    if f == "resolution":
        return None if not rec.resolved else {"self": f"{st.base_url}/rest/api/{v}/resolution/10000", "id": "10000",
                                              "description": "Work has been completed on this issue.", "name": "Done"}
    if f == "project":
        return project_json(st, rec.project, v)
    if f == "parent":
        return _link_side(st, rec.parent, v) if rec.parent else None
    if f == "issuelinks":
        return _links(st, rec, v)
    if f == "subtasks":
        return [_link_side(st, r.key, v) for r in st.children.get(rec.key, ()) if r.type == "Sub-task"]
    if f == "statuscategorychangedate":
        return jtime(rec.transitions[-1].at if rec.transitions else rec.created)
    if f == "comment":
        return comments_page(st, rec, v)
    raise KeyError(f)


def changelog_json(st: JiraState, rec: IssueRec, v: str) -> dict:
    hist = []
    for i, t in enumerate(rec.transitions):
        hist.append({"id": str(rec.id * 100 + i), "author": user_json(st, t.by, v), "created": jtime(t.at),
                     "items": [{"field": "status", "fieldtype": "jira", "fieldId": "status",
                                "from": STATUSES.get(t.from_, ""), "fromString": t.from_,
                                "to": STATUSES.get(t.to, ""), "toString": t.to}]})
    hist.reverse()  # Jira lists the most recent change first
    return {"startAt": 0, "maxResults": len(hist), "total": len(hist), "histories": hist}


def issue_json(st: JiraState, rec: IssueRec, v: str, fields: tuple[str, ...], expand: set[str]) -> dict:
    out = {"expand": _EXPAND, "id": str(rec.id), "self": f"{st.base_url}/rest/api/{v}/issue/{rec.id}", "key": rec.key}
    if fields:
        out["fields"] = {f: field_value(st, rec, f, v) for f in fields if f != "parent" or rec.parent}
    if "renderedfields" in expand:
        desc = "".join(f"<p>{html.escape(p)}</p>" for p in rec.description.split("\n\n") if p.strip())
        out["renderedFields"] = {"description": desc or None, "created": jtime(rec.created),
                                 "updated": jtime(rec.updated)}
    if "changelog" in expand:
        out["changelog"] = changelog_json(st, rec, v)
    return out
