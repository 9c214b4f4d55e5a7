"""The Jira sandbox's live store: issues, users and projects, indexed once for search."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from sandbox import ids
from sandbox.jira.jql_eval import Query
from sandbox.jira.textsearch import Indexed

ISSUE_TYPES = {"Epic": "10000", "Task": "10001", "Bug": "10002", "Story": "10003", "Incident": "10004",
               "Sub-task": "10005"}
STATUSES = {"To Do": "10000", "In Progress": "3", "In Review": "10001", "Done": "10002", "Closed": "6"}
PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}
# Jira's default link types: name -> (id, inward verb, outward verb). Workspace links name the outward verb.
LINK_TYPES = {"Blocks": ("10000", "is blocked by", "blocks"), "Cloners": ("10001", "is cloned by", "clones"),
              "Duplicate": ("10002", "is duplicated by", "duplicates"),
              "Relates": ("10003", "relates to", "relates to")}


@dataclass
class JUser:
    name: str
    display_name: str
    email: str | None
    account_id: str
    tz: str = "Etc/UTC"  # IANA name; Jira reads this user's unzoned JQL dates in it


@dataclass
class CommentRec:
    id: int
    author: str
    at: datetime
    body: str
    updated: datetime | None = None


@dataclass
class IssueRec:
    id: int
    key: str
    project: str
    num: int
    type: str
    summary: str
    description: str
    status: str
    priority: str
    reporter: str
    assignee: str | None
    labels: list[str]
    parent: str | None
    links: list  # workspace Link objects: .type, .key
    created: datetime
    updated: datetime
    resolved: datetime | None
    comments: list[CommentRec]
    transitions: list  # workspace Transition objects: .at, .by, .from_, .to
    t_summary: Indexed | None = None
    t_desc: Indexed | None = None
    t_comments: Indexed | None = None
    t_text: Indexed | None = None
    due: date | None = None

    def reindex(self) -> None:
        """Stemmed words of each text field, computed once so JQL `~` is a set lookup per issue."""
        comments = "\n".join(c.body for c in self.comments)
        self.t_summary, self.t_desc = Indexed(self.summary), Indexed(self.description)
        self.t_comments = Indexed(comments)
        self.t_text = Indexed("\n".join((self.summary, self.description, comments)))


@dataclass
class JiraState:
    """Everything the Jira service serves; tests read `issues` / `by_key` to see what clients created."""

    base_url: str
    site: str
    me: str  # the user name behind the API token
    now: object  # callable returning the workspace clock
    cloud: bool = True  # False: presents as Data Center (users by name, its own error texts)
    users: dict[str, JUser] = field(default_factory=dict)
    projects: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (id, name)
    issues: list[IssueRec] = field(default_factory=list)
    by_key: dict[str, IssueRec] = field(default_factory=dict)
    by_id: dict[str, IssueRec] = field(default_factory=dict)
    inbound: dict[str, list] = field(default_factory=dict)  # key -> [(linking issue, link index)]
    children: dict[str, list] = field(default_factory=dict)  # parent key -> child issues
    version: int = 0  # bumped on writes; search result caches key on it
    _user_lookup: dict[str, str] = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)
    _next_comment: int = 10000

    @classmethod
    def build(cls, ctx) -> JiraState:
        ws = ctx.workspace
        j, slack_users = ws.jira, {u.name: u for u in ws.slack.users}
        st = cls(base_url=ctx.urls["jira"], site=j.site, me="", now=ctx.now,
                 cloud=ctx.jira_deployment == "cloud")
        for u in j.users:
            su = slack_users.get(u.name)
            disp = u.display_name or (su and (su.real_name or su.display_name)) or u.name
            st.add_user(JUser(u.name, disp, u.email or (su and su.email), u.account_id,
                              u.tz or (su and su.tz) or "Etc/UTC"))
        for su in ws.slack.users:  # Jira names may come from Slack only
            if su.name not in st.users:
                st.add_user(JUser(su.name, su.real_name or su.display_name or su.name, su.email,
                                  ids.jira_account_id(su.name), su.tz or "Etc/UTC"))
        email = ctx.tokens.jira_email
        st.me = next((u.name for u in st.users.values() if u.email == email), "")
        if not st.me:
            st.me = "postmortem-jira-bot"
            st.add_user(JUser(st.me, "Postmortem", email, ids.jira_account_id(st.me)))
        for i, p in enumerate(j.projects):
            st.projects[p.key] = (str(10000 + i), p.name)
        for iss in j.issues:
            comments = [st.new_comment(c.author, c.at, c.body) for c in iss.comments]
            proj, num = iss.key.rsplit("-", 1)
            st.add_issue(IssueRec(
                id=10000 + len(st.issues), key=iss.key, project=proj, num=int(num), type=iss.type,
                summary=iss.summary, description=iss.description, status=iss.status, priority=iss.priority,
                reporter=iss.reporter, assignee=iss.assignee, labels=list(iss.labels), parent=iss.parent,
                links=list(iss.links), created=iss.created, updated=iss.updated, resolved=iss.resolved,
                comments=comments, transitions=sorted(iss.transitions, key=lambda t: t.at)))
        return st

    def add_user(self, u: JUser) -> None:
        self.users[u.name] = u
        for alias in (u.name, u.account_id, u.display_name, u.email):
            if alias:
                self._user_lookup.setdefault(alias.lower(), u.name)

    def new_comment(self, author: str, at: datetime, body: str) -> CommentRec:
        self._next_comment += 1
        return CommentRec(self._next_comment, author, at, body)

    def add_issue(self, rec: IssueRec) -> None:
        rec.reindex()
        self.issues.append(rec)
        self.by_key[rec.key] = rec
        self.by_id[str(rec.id)] = rec
        for i, link in enumerate(rec.links):
            self.inbound.setdefault(link.key, []).append((rec, i))
        if rec.parent:
            self.children.setdefault(rec.parent, []).append(rec)
        self.version += 1

    def find(self, id_or_key: str) -> IssueRec | None:
        return self.by_key.get(id_or_key.upper()) or self.by_id.get(id_or_key)

    def next_key(self, project: str) -> str:
        return f"{project}-{max((r.num for r in self.issues if r.project == project), default=0) + 1}"

    def project_key(self, value: str) -> str | None:
        v = value.lower()
        for key, (pid, name) in self.projects.items():
            if v in (key.lower(), pid, name.lower()):
                return key
        return None

    # -- the JQL environment (sandbox.jql_eval.Env) --
    def current_user(self) -> str:
        return self.me

    def zone(self) -> tzinfo:
        return ZoneInfo(self.users[self.me].tz)

    def user(self, value: str) -> str | None:
        return self._user_lookup.get(value.lower())

    def project(self, value: str) -> str | None:
        return self.project_key(value)

    def issue_key(self, value: str) -> str | None:
        rec = self.find(value)
        return rec.key if rec else None

    def search(self, jql: str) -> list[IssueRec]:
        """Matching issues in order; raises JQLError. Cached per query so paging does not re-run it."""
        hit = self._cache.get(jql)
        # Relative dates move with the clock, so a cached result lives only as long as a paging session.
        if hit and hit[0] == self.version and time.monotonic() - hit[1] < 30:
            return hit[2]
        q = Query(jql, self)
        result = q.sort([r for r in self.issues if q.match(r)])
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[jql] = (self.version, time.monotonic(), result)
        return result
