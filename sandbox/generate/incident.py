"""The known incident every generated workspace embeds, with distractors, and the evidence a run must (not) find."""

from __future__ import annotations

import random

from sandbox import ids

TYPED = "webhook backlog"  # what a person types: /postmortem webhook backlog
BOT = {"name": "alertmanager", "real_name": "Alertmanager", "is_bot": True}
FIND, AVOID = "find", "avoid"  # the `x-expect` mark (x- keys are the format's extension point; the loader drops them)
SOURCES = ("slack", "notion", "jira")
ALERT = ":rotating_light: *[{state}]* WebhookBacklogHigh: partner webhook backlog {what} on `webhook-dispatcher`"
# (offset in seconds from the alert, who: 0 alert bot / 1 on-call / 2 second engineer, text); {incident} etc. are keys.
THREAD = (
    (120, 1, "Ack, I'm on it :eyes:"),
    (420, 2, "Dispatcher pods are healthy but consumer lag keeps growing. Partners say order events arrive 20+ "
             "minutes late."),
    (780, 1, "It started right after the 13:40 deploy of webhook-dispatcher v2.14.0: the new config default dropped "
             "DISPATCH_WORKERS from 32 to 4."),
    (960, 2, "Opened {incident} to track it."),
    (1440, 1, "Fix: rolled back to v2.13.2 and pinned DISPATCH_WORKERS=32. Draining at about 3k events a minute."),
    (2940, 0, ALERT.format(state="RESOLVED", what="back under 5,000 events")),
    (3180, 1, "Resolved: the backlog is empty and every delayed event was delivered. Follow-ups: {fix1} and {fix2}."),
)


def _at(day: str, clock: str, plus: int = 0) -> str:
    h, m, s = (int(x) for x in clock.split(":"))
    total = h * 3600 + m * 60 + s + plus
    return f"{day}T{total // 3600:02d}:{total // 60 % 60:02d}:{total % 60:02d}Z"


class Incident:
    """Builds the incident's messages, pages and tickets for one seed; `place` puts them into a workspace dict."""

    def __init__(self, seed: int, people: list[str]):
        self.seed, self.rng = seed, random.Random(f"incident:{seed}")  # its own stream: the rest of the workspace is unchanged
        self.oncall, self.second, self.writer = self.rng.sample(people, 3)
        self.issues = self._issues()
        self.pages = self._pages()

    # -- Jira: the incident, two follow-ups, an older incident with the same words, two tickets sharing a word ------
    def _issue(self, project: str, expect: str, kind: str, summary: str, created: str, status: str,
               description: str, comments: tuple = (), moves: tuple = ()) -> dict:
        issue = {"key": project, "type": kind, "summary": summary, "description": description, "status": status,
                 "priority": "Highest" if kind == "Incident" else "Medium", "reporter": self.oncall,
                 "assignee": self.rng.choice((self.oncall, self.second)), "created": created, "x-expect": expect}
        if kind == "Incident":
            issue["labels"] = ["incident"]
        if comments:
            issue["comments"] = [{"author": who, "at": at, "body": body} for who, at, body in comments]
        if moves:
            issue["transitions"] = [{"at": at, "by": self.oncall, "from": a, "to": b} for at, a, b in moves]
            if status in ("Done", "Closed"):
                issue["resolved"] = moves[-1][0]
        return issue

    def _issues(self) -> list[dict]:
        d, old = "2025-07-28", "2025-03-11"
        return [
            self._issue("OPS", FIND, "Incident", "Partner webhook backlog: order events delayed up to 50 minutes",
                        _at(d, "14:18:00"), "Done",
                        "The webhook-dispatcher queue grew to 48k events after the 13:40 deploy; partners received "
                        "order events up to 50 minutes late.",
                        ((self.oncall, _at(d, "14:30:00"), "Root cause: v2.14.0 changed the DISPATCH_WORKERS default "
                          "from 32 to 4. Rolled back to v2.13.2."),
                         (self.second, _at(d, "14:57:00"), "Backlog drained at 14:49. Follow-ups: {fix1}, {fix2}.")),
                        ((_at(d, "14:19:00"), "To Do", "In Progress"), (_at(d, "14:56:00"), "In Progress", "Done"))),
            self._issue("OPS", FIND, "Task", "Alert on webhook dispatcher worker count and queue age",
                        _at(d, "15:05:00"), "In Progress",
                        "Follow-up of {incident}: page when fewer than 16 workers run or the oldest queued event is "
                        "older than 5 minutes.",
                        ((self.second, _at("2025-07-29", "10:12:00"), "Draft alert rule is in review."),),
                        ((_at("2025-07-29", "09:00:00"), "To Do", "In Progress"),)),
            self._issue("ENG", FIND, "Task", "Pin DISPATCH_WORKERS in the dispatcher deploy config",
                        _at(d, "15:10:00"), "In Review",
                        "Follow-up of {incident}: set the worker count explicitly so a changed default can't shrink "
                        "the pool again.",
                        ((self.oncall, _at("2025-07-30", "11:00:00"), "PR is up, needs one more review."),),
                        ((_at("2025-07-29", "13:00:00"), "To Do", "In Progress"),
                         (_at("2025-07-30", "10:40:00"), "In Progress", "In Review"))),
            self._issue("OPS", AVOID, "Incident", "Partner webhook backlog after the queue failover",
                        _at(old, "03:20:00"), "Done",
                        "After the queue cluster failed over, the webhook backlog grew for 90 minutes.",
                        ((self.second, _at(old, "05:02:00"), "Consumers reconnected; backlog cleared."),),
                        ((_at(old, "03:25:00"), "To Do", "In Progress"), (_at(old, "05:05:00"), "In Progress", "Done"))),
            self._issue("WEB", AVOID, "Story", "Document webhook signing for partner integrations",
                        _at("2025-07-21", "10:00:00"), "To Do", "Partners ask how to verify our signatures."),
            self._issue("DATA", AVOID, "Task", "Groom the analytics backlog before Q3 planning",
                        _at("2025-07-30", "16:00:00"), "In Progress", "Close stale tickets and size the rest.",
                        moves=((_at("2025-07-31", "09:00:00"), "To Do", "In Progress"),)),
        ]

    # -- Notion: a review that names the incident only in its body; an old post-mortem; unrelated recent edits ------
    def _pages(self) -> list[dict]:
        def page(expect, title, parent, created, edited, content):
            return {"title": title, "id": ids.uuid_for("generated-incident", f"{self.seed}:{title}"),
                    "parent": parent, "created": created, "edited": edited, "author": self.writer, "shared": True,
                    "content": content, "x-expect": expect}

        review = ("Weekly review of operations.\n## Incidents\n- Jul 28: partner webhook backlog, order events up to "
                  "50 minutes late after the webhook-dispatcher v2.14.0 deploy ({incident}).\n## Follow-ups\n"
                  "- [ ] {fix1} alert on worker count\n- [ ] {fix2} pin DISPATCH_WORKERS\n")
        return [
            page(FIND, "Ops weekly review, week 31", "Meeting Notes", _at("2025-07-31", "10:00:00"),
                 _at("2025-08-01", "09:30:00"), review),
            page(AVOID, "Postmortem: partner webhook backlog (March)", "Post Mortems", _at("2025-03-12", "09:00:00"),
                 _at("2025-03-14", "16:00:00"), "The queue cluster failed over and consumers did not reconnect.\n"),
            page(AVOID, "Runbook: rotate the CDN certificates", "Runbooks", _at("2025-07-20", "08:00:00"),
                 _at("2025-08-03", "15:00:00"), "1. Renew\n2. Upload\n3. Purge the cache\n"),
            page(AVOID, "Spec: mobile app dark mode", "Product", _at("2025-07-15", "12:00:00"),
                 _at("2025-07-29", "17:20:00"), "Colours follow the system setting.\n"),
        ]

    # -- Slack: the alert thread in #incidents, the deploy that caused it, and the March thread with the same words ---
    def _threads(self) -> tuple[dict, dict, dict]:
        d, start = "2025-07-28", "14:02:10"
        who = (BOT["name"], self.oncall, self.second)
        alert = {"at": _at(d, start), "user": BOT["name"], "x-expect": FIND,
                 "text": ALERT.format(state="FIRING", what="at 48,210 events (threshold 5,000)"),
                 "replies": [{"at": _at(d, start, dt), "user": who[k], "text": text, "x-expect": FIND}
                             for dt, k, text in THREAD]}
        deploy = {"at": _at(d, "13:40:05"), "user": self.second, "x-expect": FIND,
                  "text": "Deploying webhook-dispatcher v2.14.0 to production (config cleanup, new defaults)."}
        march = {"at": _at("2025-03-11", "03:15:00"), "user": BOT["name"], "x-expect": AVOID,
                 "text": ALERT.format(state="FIRING", what="at 12,400 events (threshold 5,000)"),
                 "replies": [{"at": _at("2025-03-11", "03:19:00"), "user": self.second, "x-expect": AVOID,
                              "text": "Queue cluster failed over, consumers are reconnecting."},
                             {"at": _at("2025-03-11", "05:01:00"), "user": self.second, "x-expect": AVOID,
                              "text": "Backlog cleared."}]}
        return alert, deploy, march

    @property
    def message_count(self) -> int:
        return sum(1 + len(m.get("replies", [])) for m in self._threads())

    def place(self, data: dict, issue_keys: dict[str, str]) -> None:
        """Add the Slack messages and Notion pages to `data`, and write the tickets' keys into every text."""
        alert, deploy, march = self._threads()
        channels = {c["name"]: c for c in data["slack"]["channels"]}
        for name, msgs in (("incidents", (alert, march)), ("deploys", (deploy,))):
            channels[name]["messages"].extend(msgs)
            if channels[name]["members"] is not None:
                channels[name]["members"] += [p for p in (BOT["name"], self.oncall, self.second)
                                              if p not in channels[name]["members"]]
        roots = {p["title"] for p in data["notion"]["pages"] if p["parent"] is None}
        for p in self.pages:
            p["parent"] = p["parent"] if p["parent"] in roots else None  # small workspaces have fewer roots
        data["notion"]["pages"].extend(self.pages)
        texts = [alert, *alert["replies"], *self.pages, *self.issues]
        texts += [c for i in self.issues for c in i.get("comments", [])]
        for obj in texts:
            for field in ("text", "content", "description", "body"):
                if field in obj:
                    obj[field] = obj[field].format(**issue_keys)


def issue_roles(issues: list[dict]) -> dict[str, str]:
    """{incident, fix1, fix2} -> their keys, once the keys are assigned (the first three tickets, in order)."""
    return dict(zip(("incident", "fix1", "fix2"), (i["key"] for i in issues[:3]), strict=True))
