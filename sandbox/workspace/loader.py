"""Strict loader for sandbox workspace files (docs/workspace-format.md, version 1)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sandbox import ids
from sandbox.workspace.databases import check_databases
from sandbox.workspace.models import Reply, SlackUser, Workspace

BUNDLED = Path(__file__).resolve().parent.parent / "data"


class WorkspaceError(ValueError):
    """A workspace file that breaks the format: names the file, the path inside it and the problem."""

    def __init__(self, file: str, path: str, problem: str):
        self.file, self.path, self.problem = file, path, problem
        super().__init__(f"{file}: {path or '(top level)'}: {problem}")


def _pointer(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":  # JSON is YAML too, but the JSON parser is ~50x faster on big generated files
        return json.loads(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def load_workspace(path: str | Path) -> Workspace:
    """Load, validate and complete (ids, ts) a workspace file; raise WorkspaceError naming what is wrong."""
    path = Path(path)
    if not path.exists() and (BUNDLED / f"{path}.yaml").exists():
        path = BUNDLED / f"{path}.yaml"  # `--workspace summer25` means the bundled one
    label = str(path)
    try:
        data = _read(path)
    except FileNotFoundError:
        raise WorkspaceError(label, "", "file not found") from None
    except IsADirectoryError:
        raise WorkspaceError(label, "", "is a folder; give a workspace file (.yaml or .json) inside it") from None
    except PermissionError:
        raise WorkspaceError(label, "", "cannot be read (permission denied)") from None
    except OSError as exc:  # a dangling link, a device, a path too long…
        raise WorkspaceError(label, "", f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WorkspaceError(label, "", f"not valid YAML/JSON: {exc}") from None
    return parse_workspace(data, label)


def parse_workspace(data: Any, label: str = "<workspace>") -> Workspace:
    if not isinstance(data, dict):
        raise WorkspaceError(label, "", "expected a mapping at the top level")
    try:
        ws = Workspace.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        problem = err["msg"]
        if err["type"] == "extra_forbidden":
            problem = "unknown key (use an x- prefix for extensions)"
        elif err["type"] == "timezone_aware":
            problem = "time without a zone (add Z or +HH:MM)"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise WorkspaceError(label, _pointer(err["loc"]), problem + more) from None
    ws.source = label
    _Checker(ws, label).run()
    return ws


class _Checker:
    """Cross-reference rules and stable id assignment; raises on the first broken rule."""

    def __init__(self, ws: Workspace, label: str):
        self.ws, self.label = ws, label

    def fail(self, path: str, problem: str):
        raise WorkspaceError(self.label, path, problem)

    def not_after_now(self, at: datetime, path: str):
        if at > self.ws.now:
            self.fail(path, f"{at.isoformat()} is after the workspace's now ({self.ws.now.isoformat()})")

    def run(self):
        self.slack()
        self.notion()
        self.jira()

    def slack(self):
        s = self.ws.slack
        s.team.id = s.team.id or ids.slack_id("T", s.team.name)
        if not any(u.name == "postmortem" for u in s.users):
            s.users.append(SlackUser(name="postmortem", real_name="Postmortem", is_bot=True))
        seen: dict[str, str] = {}
        for i, u in enumerate(s.users):
            if u.name in seen:
                self.fail(f"slack.users[{i}].name", f"duplicate user name {u.name!r}")
            u.id = u.id or ids.slack_id("U", u.name)
            seen[u.name] = u.id
        by_id = {v: k for k, v in seen.items()}

        def user(name: str, path: str) -> str:
            if name in seen:
                return name
            if name in by_id:
                return by_id[name]
            self.fail(path, f"unknown user {name!r} (not in slack.users)")

        names: set[str] = set()
        for ci, ch in enumerate(s.channels):
            base = f"slack.channels[{ci}]"
            if ch.name in names:
                self.fail(f"{base}.name", f"duplicate channel name {ch.name!r}")
            names.add(ch.name)
            ch.id = ch.id or ids.slack_id("G" if ch.private else "C", ch.name)
            if ch.members is not None:
                ch.members = [user(m, f"{base}.members[{k}]") for k, m in enumerate(ch.members)]
            used: set[str] = set()
            for mi, m in enumerate(ch.messages):
                mp = f"{base}.messages[{mi}]"
                self.message(m, mp, user, used)
                for ri, r in enumerate(m.replies):
                    rp = f"{mp}.replies[{ri}]"
                    if r.at < m.at:
                        self.fail(f"{rp}.at", "a reply is earlier than its parent message")
                    self.message(r, rp, user, used)

    def message(self, m: Reply, path: str, user, used: set[str]):
        m.user = user(m.user, f"{path}.user")
        self.not_after_now(m.at, f"{path}.at")
        for k, r in enumerate(m.reactions):
            r.users = [user(n, f"{path}.reactions[{k}].users[{j}]") for j, n in enumerate(r.users)]
        m.ts = ids.slack_ts(m.at, used)

    def notion(self):
        n, known = self.ws.notion, {u.name for u in self.ws.slack.users}
        for u in n.users:
            u.id = u.id or ids.uuid_for("notion-user", u.name)
        known |= {u.name for u in n.users}
        by_title: dict[str, str] = {}
        for i, p in enumerate(n.pages):
            if p.id:
                if not re.fullmatch(r"[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}", p.id):
                    self.fail(f"notion.pages[{i}].id", f"{p.id!r} is not a UUID")
                p.id = ids.dashed(p.id)
            else:
                p.id = ids.uuid_for("notion-page", f"{p.title}|{p.created.isoformat()}|{i}")
            by_title.setdefault(p.title, p.id)
            if p.author is not None and p.author not in known:
                self.fail(f"notion.pages[{i}].author", f"unknown user {p.author!r} (not in notion.users or slack.users)")
            self.not_after_now(p.created, f"notion.pages[{i}].created")
            if p.edited and p.edited < p.created:
                self.fail(f"notion.pages[{i}].edited", "edited before created")
        page_ids = {p.id for p in n.pages}
        parent_of: dict[str, str | None] = {}
        for i, p in enumerate(n.pages):
            if p.parent is not None:
                ref = ids.dashed(p.parent) if re.fullmatch(r"[0-9a-f-]{32,36}", p.parent) else p.parent
                target = ref if ref in page_ids else by_title.get(p.parent)
                if target is None:
                    self.fail(f"notion.pages[{i}].parent", f"no page with title or id {p.parent!r}")
                p.parent = target
            parent_of[p.id] = p.parent
        for i, p in enumerate(n.pages):
            seen, cur = {p.id}, p.parent
            while cur is not None:
                if cur in seen:
                    self.fail(f"notion.pages[{i}].parent", "page parents form a cycle")
                seen.add(cur)
                cur = parent_of.get(cur)
        check_databases(self, known, by_title, page_ids)

    def jira(self):
        j = self.ws.jira
        known = {u.name for u in self.ws.slack.users} | {u.name for u in j.users}
        for u in j.users:
            u.account_id = u.account_id or ids.jira_account_id(u.name)
        projects = {p.key for p in j.projects}

        def check(name: str | None, path: str):
            if name is not None and name not in known:
                self.fail(path, f"unknown user {name!r} (not in jira.users or slack.users)")

        keys: set[str] = set()
        for i, iss in enumerate(j.issues):
            p = f"jira.issues[{i}]"
            if iss.key in keys:
                self.fail(f"{p}.key", f"duplicate issue key {iss.key}")
            keys.add(iss.key)
            if iss.key.rsplit("-", 1)[0] not in projects:
                self.fail(f"{p}.key", f"project {iss.key.rsplit('-', 1)[0]!r} is not in jira.projects")
            check(iss.reporter, f"{p}.reporter")
            check(iss.assignee, f"{p}.assignee")
            self.not_after_now(iss.created, f"{p}.created")
            for k, c in enumerate(iss.comments):
                check(c.author, f"{p}.comments[{k}].author")
                self.not_after_now(c.at, f"{p}.comments[{k}].at")
            for k, t in enumerate(iss.transitions):
                check(t.by, f"{p}.transitions[{k}].by")
                self.not_after_now(t.at, f"{p}.transitions[{k}].at")
            if iss.updated is None:
                iss.updated = max([iss.created, *(c.at for c in iss.comments), *(t.at for t in iss.transitions)])
        for i, iss in enumerate(j.issues):
            for k, link in enumerate(iss.links):
                if link.key not in keys:
                    self.fail(f"jira.issues[{i}].links[{k}].key", f"no issue {link.key}")
            if iss.parent and iss.parent not in keys:
                self.fail(f"jira.issues[{i}].parent", f"no issue {iss.parent}")
