"""Jira through mcp-atlassian: the part of jira.JIRA that JiraSource uses, rebuilt from the server's simplified JSON."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

from jira import JIRAError

from graph.sources.mcp.session import McpError, ServerTools

TOOLS = ["jira_search", "jira_get_issue"]
PAGE = 50  # jira_search's own cap on Server/Data Center (its limit is 1-50)
COMMENTS = 100  # jira_get_issue's comment_limit maximum: an issue with more loses its oldest ones
# mcp-atlassian's answer for a key that is no issue (Jira's 404), or one its key pattern refuses.
_NO_ISSUE = re.compile(r"not found|does not exist|should match pattern", re.IGNORECASE)


def jira_stamp(at: datetime) -> str:
    """The REST API's '2025-08-04T09:12:00.000+0000', which JiraSource reads."""
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}" + at.strftime("%z")


def issue_time(text: str | None) -> str | None:
    """An issue's created/updated: mcp-atlassian writes them '2025-08-04 09:12:00 UTC', in the server process's own
    zone and by abbreviation ('CEST' names no offset), so only UTC is readable: the server needs TZ=UTC."""
    if not text:
        return None
    try:
        return jira_stamp(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z"))  # unparsed by the server: kept as is
    except ValueError:
        pass
    stamp, _, zone = text.rpartition(" ")
    if zone in ("UTC", "GMT", "Z"):
        try:
            return jira_stamp(datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC))
        except ValueError:
            pass
    raise McpError(f"MCP server 'jira' wrote an issue time as {text!r}, which names no UTC offset: mcp-atlassian "
                   "writes times in its own process's zone, so start it with TZ=UTC in its env")


def _user(u: dict | None) -> dict | None:
    # An absent assignee comes back as {"display_name": "Unassigned"} with no "name": no one, as the API says.
    if not isinstance(u, dict) or "name" not in u:
        return None
    return {"displayName": u.get("display_name"), "name": u.get("name"), "accountId": u.get("account_id"),
            "emailAddress": u.get("email"), "key": u.get("key")}


def _named(value: dict | None) -> dict | None:
    return {"name": value["name"]} if isinstance(value, dict) and value.get("name") else None


def _link(link: dict) -> dict:
    out = {"id": link.get("id"), "type": link.get("type") or {}}
    for simple, raw in (("inward_issue", "inwardIssue"), ("outward_issue", "outwardIssue")):
        if link.get(simple):
            out[raw] = {"id": link[simple].get("id"), "key": link[simple].get("key")}
    return out


def _history(h: dict) -> dict:
    created = h.get("created")
    return {"created": jira_stamp(datetime.fromisoformat(created)) if created else None,
            "author": _user(h.get("author")),
            "items": [{"field": i.get("field"), "fieldtype": i.get("fieldtype"), "fromString": i.get("from_string"),
                       "toString": i.get("to_string"), "from": i.get("from_id"), "to": i.get("to_id")}
                      for i in h.get("items", [])]}


def raw_issue(s: dict) -> dict:
    """mcp-atlassian's JiraIssue.to_simplified_dict back in the REST shape (only what JiraSource reads)."""
    comments = [{"id": c.get("id"), "body": c.get("body", ""), "author": _user(c.get("author")),
                 "created": c.get("created"), "updated": c.get("updated")} for c in s.get("comments", [])]
    fields = {"summary": s.get("summary", ""), "description": s.get("description"),
              "status": _named(s.get("status")), "issuetype": _named(s.get("issue_type")),
              "priority": _named(s.get("priority")), "assignee": _user(s.get("assignee")),
              "reporter": _user(s.get("reporter")), "labels": s.get("labels", []),
              "created": issue_time(s.get("created")), "updated": issue_time(s.get("updated")),
              "resolutiondate": s.get("resolutiondate"), "comment": {"comments": comments, "total": len(comments)},
              "issuelinks": [_link(x) for x in s.get("issuelinks", [])]}
    raw = {"id": s.get("id"), "key": s["key"], "fields": fields}
    if "changelogs" in s:  # only there when asked for (expand=changelog) and not empty
        raw["changelog"] = {"histories": [_history(h) for h in s["changelogs"]]}
    return raw


def _issue(raw: dict) -> SimpleNamespace:
    return SimpleNamespace(key=raw["key"], id=raw["id"], raw=raw)


def _csv(value) -> str | None:
    return ",".join(value) if isinstance(value, list | tuple) else value


class JiraMcpClient:
    """search_issues, issue and myself as jira.JIRA answers them, read through mcp-atlassian's tools."""

    def __init__(self, tools: ServerTools, time_zone: str = "UTC"):
        tools.require(TOOLS)
        self.tools, self.time_zone = tools, time_zone

    def myself(self) -> dict:
        """Jira reads unzoned JQL dates in the API user's zone, but no mcp-atlassian tool tells it (the user profile
        jira_get_user_profile answers drops timeZone): the zone this client was given (the account's), else UTC."""
        return {"timeZone": self.time_zone}

    # jira.JIRA's own parameter names (maxResults, id): JiraSource calls both clients alike.
    def search_issues(self, jql: str, maxResults: int = 50, fields=None, expand: str | None = None) -> list:
        out: list[SimpleNamespace] = []
        token = None  # Cloud pages by token; Server/Data Center by start_at, with a total
        while len(out) < maxResults:
            args = {"jql": jql, "limit": min(PAGE, maxResults - len(out)), "start_at": len(out)}
            args |= {k: v for k, v in (("fields", _csv(fields)), ("expand", expand), ("page_token", token)) if v}
            page = self.tools.json("jira_search", args)
            issues = page.get("issues") or []
            out.extend(_issue(raw_issue(i)) for i in issues)
            token, total = page.get("next_page_token"), page.get("total", -1)
            if not issues or (not token and len(out) >= total):  # Cloud: total -1, done without a token
                break
        return out

    def issue(self, id: str, fields=None, expand: str | None = None) -> SimpleNamespace:
        args = {"issue_key": id, "comment_limit": COMMENTS, "update_history": False}
        args |= {k: v for k, v in (("fields", _csv(fields)), ("expand", expand)) if v}
        try:
            return _issue(raw_issue(self.tools.json("jira_get_issue", args)))
        except McpError as exc:
            if _NO_ISSUE.search(str(exc)):  # JiraSource.fetch skips a key-like string that is no issue, as on a 404
                raise JIRAError(str(exc), status_code=404) from None
            raise
