"""Jira source: JQL text search in the window, with comments and status changes as separate timeline-ready items."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from jira import JIRA, JIRAError

from graph.configuration import Configuration
from graph.evidence import Evidence, iso, parse_iso
from graph.http_counts import RunHttp
from graph.sources.base import SourceError
from graph.sources.parallel import side_by_side
from graph.sources.retry import Budget, attempts_note, jira_failure, retrying
from graph.terms import is_match, match_count

FIELDS = ["summary", "description", "status", "assignee", "reporter", "labels", "created", "updated",
          "resolutiondate", "comment", "issuetype", "priority", "issuelinks"]
MAX_ISSUES = 200


def jira_time(text: str) -> str:
    """Jira's '2025-08-04T09:12:00.000+0000' -> '2025-08-04T09:12:00Z'."""
    return iso(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC))


def jql_time(text: str, zone: tzinfo = UTC) -> str:
    """JQL dates carry no zone: Jira reads them in the API user's own time zone, so they are written in it."""
    return parse_iso(text).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _link(link: dict) -> str:
    other = link.get("outwardIssue") or link.get("inwardIssue") or {}
    kind = link.get("type") or {}
    verb = kind.get("outward") if link.get("outwardIssue") else kind.get("inward")
    return f"{verb or kind.get('name') or 'relates to'} {other['key']}" if other.get("key") else ""


def _name(user: dict | None) -> str | None:
    return (user or {}).get("displayName") or (user or {}).get("name")


class JiraSource:
    name = "jira"

    def __init__(self, cfg: Configuration, client: JIRA | None = None, budget: Budget | None = None,
                 http: RunHttp | None = None):
        if not cfg.jira_url:
            raise SourceError("JIRA_URL is not set")
        self.cfg, self._client, self.http = cfg, client, http
        self.budget = budget or Budget(cfg.source_budget_s)

    def _retrying(self, fn):
        """The library's own retries skip 503s without Retry-After and sleep outside the budget, so they are off."""
        try:
            return retrying(fn, jira_failure, self.budget)
        except JIRAError as exc:
            raise SourceError(f"Jira answered {exc.status_code}{attempts_note(exc)}: {exc.text or 'no details'}") \
                from None
        except requests.RequestException as exc:
            raise SourceError(f"Jira could not be reached ({type(exc).__name__}{attempts_note(exc)})") from None

    @property
    def client(self) -> JIRA:
        # One client per run: gathering and following references share it, so the server is asked what it is once.
        if self._client is None:
            self._client = self.http.shared("jira", self._connect) if self.http else self._connect()
        return self._client

    def _connect(self) -> JIRA:
        client = JIRA(server=self.cfg.jira_url, basic_auth=(self.cfg.jira_email, self.cfg.jira_api_token),
                      timeout=self.cfg.http_timeout_s, max_retries=0, get_server_info=False)  # no request yet
        if self.http:
            self.http.watch_requests(client._session, "jira")  # the library offers no other way to its session
        # What the constructor would have asked, but counted and retried in the budget like every other request:
        # Cloud and Data Center search through different APIs.
        info = self._retrying(client.server_info)
        client._version, client.deploymentType = tuple(info["versionNumbers"]), info.get("deploymentType")
        # The library fetches every field's clause names (GET /field) before its first search, to translate custom
        # field names; ours are all system field ids, which translate to themselves.
        client._fields_cache_value = {f: f for f in FIELDS}
        return client

    def zone(self) -> tzinfo:
        """The API user's time zone (GET /myself), in which Jira reads every unzoned date we send."""
        try:
            return ZoneInfo(self._retrying(self.client.myself).get("timeZone") or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return UTC

    def jql(self, plan: dict) -> str:
        terms = plan["terms"]
        text = " OR ".join(f'text ~ "{t}"' for t in terms)
        labels = [t for t in terms if t.isalnum()]
        if labels:
            text += " OR labels in (" + ", ".join(f'"{t}"' for t in labels) + ")"
        w = plan["window"]
        zone = self.zone()
        jql = f'({text}) AND updated >= "{jql_time(w["oldest"], zone)}" AND created <= "{jql_time(w["latest"], zone)}"'
        if self.cfg.jira_projects:
            jql = f"project in ({', '.join(self.cfg.jira_projects)}) AND " + jql
        return jql + " ORDER BY created ASC"

    def _search(self, jql: str) -> list[dict]:
        client = self.client
        issues = self._retrying(lambda: client.search_issues(jql, maxResults=MAX_ISSUES, fields=FIELDS,
                                                             expand="changelog"))
        return [i.raw for i in issues]

    def _items(self, raw: dict, terms: list[str]) -> list[Evidence]:
        f, key = raw["fields"], raw["key"]
        url = f"{self.cfg.jira_url.rstrip('/')}/browse/{key}"
        status = (f.get("status") or {}).get("name", "?")
        desc = f.get("description") or ""
        if isinstance(desc, dict):  # ADF from a v3 server
            desc = " ".join(n.get("text", "") for n in _walk(desc))
        parts = [f"{key} [{status}] {f.get('summary', '')}.", f"Type: {(f.get('issuetype') or {}).get('name', '?')}."]
        if _name(f.get("assignee")):
            parts.append(f"Assignee: {_name(f['assignee'])}.")
        if f.get("labels"):
            parts.append("Labels: " + ", ".join(f["labels"]) + ".")
        links = [_link(x) for x in f.get("issuelinks") or []]
        if any(links):  # 'relates to SRCH-241': the follow-ups and causes a reviewer opens next
            parts.append("Links: " + ", ".join(x for x in links if x) + ".")
        parts.append(desc)
        base = " ".join(p for p in parts if p)
        comments = [(c, c.get("body") if isinstance(c.get("body"), str) else " ".join(
            n.get("text", "") for n in _walk(c.get("body") or {}))) for c in (f.get("comment") or {}).get("comments", [])]
        # Jira's search reads the comments too: an issue whose discussion names the incident is the incident's.
        matched = is_match(" ".join([base, *(b for _, b in comments)]), terms) if terms else False
        common = {"source": "jira", "ref": key, "key": key, "title": f.get("summary"), "url": url}
        out = [Evidence(**common, at=jira_time(f["created"]), author=_name(f.get("reporter")), text=base[:3000],
                        kind="issue", matched=matched, score=float(match_count(base, terms)) + 1)]
        for c, body in comments:
            out.append(Evidence(**common | {"url": f"{url}?focusedCommentId={c.get('id', '')}"},
                                at=jira_time(c["created"]), author=_name(c.get("author")),
                                text=f"{key} comment: {body}"[:2000], kind="comment", matched=matched,
                                score=float(match_count(body, terms))))
        for h in (raw.get("changelog") or {}).get("histories", []):
            for item in h.get("items", []):
                if item.get("field") == "status":
                    out.append(Evidence(**common, at=jira_time(h["created"]), author=_name(h.get("author")),
                                        text=f"{key} status {item.get('fromString')} -> {item.get('toString')}",
                                        kind="change", matched=matched, score=0.5))
        return out

    def gather(self, plan: dict) -> list[Evidence]:
        if not plan["terms"]:
            return []  # a thread-only request: nothing to search for yet
        out: list[Evidence] = []
        for raw in self._search(self.jql(plan)):
            out.extend(self._items(raw, plan["terms"]))
        return sorted(out, key=lambda e: e.at)

    def fetch(self, refs: list[str]) -> list[Evidence]:
        client = self.client  # made once, before the workers share it

        def read(key: str) -> list[Evidence]:
            try:
                raw = retrying(lambda: client.issue(key, fields=",".join(FIELDS), expand="changelog").raw,
                               jira_failure, self.budget)
            except JIRAError:
                return []  # a key-like string that is no issue (e.g. 'UTF-8') is not worth failing for
            return self._items(raw, [])

        return [ev for items in side_by_side(read, sorted(set(refs))) for ev in items]


def _walk(node: dict):
    """Text nodes of an ADF document."""
    if node.get("type") == "text":
        yield node
    for child in node.get("content", []) or []:
        yield from _walk(child)
