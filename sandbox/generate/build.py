"""Generates large, deterministic workspace dicts (format 1) for load tests and benchmarks of the sandbox."""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, datetime

from sandbox import ids
from sandbox.generate import incident
from sandbox.generate import text as tx

NOW = datetime(2025, 8, 5, 12, 0, tzinfo=UTC)
YEAR = 365 * 86400
PROJECTS = (("ENG", "Engineering"), ("OPS", "Operations"), ("WEB", "Web"), ("MKT", "Marketing"), ("DATA", "Data"))
FLOW = ("To Do", "In Progress", "In Review", "Done")


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _epoch(iso: str) -> int:
    return int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def generate_workspace(messages: int = 100_000, issues: int = 5_000, pages: int = 2_000, seed: int = 1) -> dict:
    """A valid workspace dict: the same arguments always give the same dict. It embeds the known incident of
    `incident.py` (marked `x-expect`, which the loader ignores; `expected.py` turns the marks into refs)."""
    rng = random.Random(seed)
    now = int(NOW.timestamp())
    users = _people(rng, 200)
    humans = [u["name"] for u in users]
    users += [{"name": "postmortem", "real_name": "Postmortem", "is_bot": True}, dict(incident.BOT)]
    inc = incident.Incident(seed, humans[:60])  # people every tool knows
    small = [f"--{k} {n} < {need}" for k, n, need in (("messages", messages, inc.message_count),
                                                    ("issues", issues, len(inc.issues)), ("pages", pages, len(inc.pages)))
             if n < need]
    if small:
        raise ValueError("too small to embed the known incident: " + ", ".join(small))
    data = {
        "format": 1,
        "name": f"generated-{seed}",
        "description": f"Generated: {messages} Slack messages, {issues} Jira issues, {pages} Notion pages (seed {seed}).",
        "now": _iso(now),
        "slack": {"team": {"id": "T0GENERATD", "name": "Acme Generated", "domain": "acme-gen"}, "users": users,
                  "channels": _channels(rng, humans, messages - inc.message_count, now)},
        "notion": {"users": [{"name": n, "email": f"{n}@acme.test"} for n in humans[:40]]
                   + [{"name": "former.employee", "email": "former@acme.test"}],
                   "pages": _pages(rng, humans[:40] + ["former.employee"], pages - len(inc.pages), now)},
        "jira": {"site": "acme-gen",
                 "users": [{"name": n, "display_name": n.replace(".", " ").title(), "email": f"{n}@acme.test"}
                           for n in humans[:60]] + [{"name": "jira.only", "display_name": "Jira Only"}],
                 "projects": [{"key": k, "name": v} for k, v in PROJECTS],
                 "issues": _issues(rng, humans[:60] + ["jira.only"], issues - len(inc.issues), now, inc.issues)},
    }
    inc.place(data, incident.issue_roles(inc.issues))
    return data


def _people(rng: random.Random, n: int) -> list[dict]:
    out, seen = [], set()
    while len(out) < n:
        first, last = rng.choice(tx.FIRST), rng.choice(tx.LAST)
        name = f"{first}.{last}"
        if name in seen:
            name = f"{name}{len(out)}"
        seen.add(name)
        out.append({"name": name, "real_name": f"{first.title()} {last.title()}", "title": rng.choice(tx.TITLES)})
    return out


def _channels(rng: random.Random, humans: list[str], total: int, now: int) -> list[dict]:
    names = ["incidents", "general", "eng-alerts", "deploys"]
    while len(names) < 50:
        name = f"{rng.choice(tx.TEAMS)}-{rng.choice(tx.TOPICS)}"
        names.append(name if name not in names else f"{name}-{len(names)}")
    channels, authors = [], []
    for i, name in enumerate(names):
        members = None if name == "general" else rng.sample(humans, rng.randint(10, 80))
        # A few channels the bot was never invited to, so "not_in_channel" paths get exercised.
        if members is not None and not (i % 11 == 10):
            members.append("postmortem")
        channels.append({"name": name, "private": i % 13 == 12, "topic": f"All things {name.replace('-', ' ')}",
                         "members": members, "messages": []})
        authors.append(members[:-1] if members and members[-1] == "postmortem" else members or humans)
    mention = {h: f"<@{ids.slack_id('U', h)}>" for h in humans}
    # Skewed traffic, as in real workspaces: a handful of channels carry most messages.
    cum, acc = [], 0.0
    for i in range(len(names)):
        acc += 1 / (i + 1) ** 0.9
        cum.append(acc)
    chosen = iter(rng.choices(range(len(names)), cum_weights=cum, k=total))
    start, count = now - YEAR, 0
    while count < total:
        c = next(chosen)
        who, at = authors[c], rng.randint(start, now - 3600)
        msg = _message(rng, who, at, mention, now)
        count += 1
        if rng.random() < 0.2 and count < total:
            k = min(rng.randint(1, 6), total - count)
            times = sorted(min(at + rng.randint(20, 6 * 3600), now) for _ in range(k))
            msg["replies"] = [{"at": _iso(t), "user": rng.choice(who), "text": tx.reply_line(rng, mention[rng.choice(who)])}
                              for t in times]
            count += k
        channels[c]["messages"].append(msg)
    return channels


def _message(rng: random.Random, who: list[str], at: int, mention: dict, now: int) -> dict:
    msg = {"at": _iso(at), "user": rng.choice(who), "text": tx.chat_line(rng, mention[rng.choice(who)], rng.random() < 0.08)}
    roll = rng.random()
    if roll < 0.03:
        msg["edited"] = _iso(min(at + rng.randint(60, 900), now))
    elif roll < 0.11:
        msg["reactions"] = [{"name": e, "users": rng.sample(who, min(len(who), rng.randint(1, 3)))}
                            for e in rng.sample(tx.EMOJI, rng.randint(1, 2))]
    elif roll < 0.12:
        msg["files"] = [{"name": f"screenshot-{at}.png", "title": "Screenshot"}]
    return msg


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _pages(rng: random.Random, people: list[str], n: int, now: int) -> list[dict]:
    created = sorted(rng.randint(now - YEAR, now - 86400) for _ in range(n))
    out: list[dict] = []
    for i, at in enumerate(created):
        root = i < len(tx.ROOTS)
        title = tx.ROOTS[i] if root else tx.page_title(rng, i)
        # Parents are older pages, mostly near the top, so the tree is a few levels deep and bushy.
        parent = None if root else out[rng.randrange(i) if rng.random() < 0.6 else rng.randrange(min(i, 40))]["id"]
        out.append({"title": title, "id": _uuid(rng), "parent": parent, "created": _iso(at),
                    "edited": _iso(min(at + rng.randint(0, 30 * 86400), now)), "author": rng.choice(people),
                    "shared": root or rng.random() > 0.02, "content": tx.page_content(rng, title, rng.sample(people, 3))})
    return out


def _issues(rng: random.Random, people: list[str], n: int, now: int, embedded: list[dict]) -> list[dict]:
    created = sorted(rng.randint(now - YEAR, now - 3600) for _ in range(n))
    counters = {k: 0 for k, _ in PROJECTS}
    parents: dict[str, list[str]] = {k: [] for k, _ in PROJECTS}
    out: list[dict] = []
    # The embedded tickets take their keys in creation order among the others, as Jira would number them.
    timeline = sorted([(at, None) for at in created] + [(_epoch(e["created"]), e) for e in embedded],
                      key=lambda t: t[0])
    for at, given in timeline:
        if given is not None:
            counters[given["key"]] += 1
            given["key"] = f"{given['key']}-{counters[given['key']]}"  # its project until now
            out.append(given)
            continue
        proj = rng.choices(list(counters), weights=(5, 3, 3, 1, 1))[0]
        counters[proj] += 1
        key = f"{proj}-{counters[proj]}"
        kind = rng.choices(("Task", "Bug", "Story", "Epic", "Incident", "Sub-task"), weights=(40, 25, 15, 3, 7, 10))[0]
        if kind == "Sub-task" and not parents[proj]:
            kind = "Task"
        status = rng.choices(FLOW + ("Closed",), weights=(25, 15, 8, 45, 7))[0]
        issue = {"key": key, "type": kind, "summary": tx.issue_summary(rng),
                 "description": tx.issue_description(rng, rng.sample(people, 1)), "status": status,
                 "priority": rng.choice(("Highest", "High", "Medium", "Medium", "Low", "Lowest")),
                 "reporter": rng.choice(people), "created": _iso(at)}
        if status != "To Do" or rng.random() < 0.5:
            issue["assignee"] = rng.choice(people)
        if rng.random() < 0.6:
            issue["labels"] = rng.sample(tx.LABELS, rng.randint(1, 2))
        if kind == "Sub-task":
            issue["parent"] = rng.choice(parents[proj][-50:])
        else:
            parents[proj].append(key)
        if out and rng.random() < 0.05:
            issue["links"] = [{"type": "relates to", "key": rng.choice(out)["key"]}]
        steps = list(FLOW[:FLOW.index(status) + 1]) if status in FLOW else ["To Do", "Closed"]
        t, moves = at, []
        for a, b in zip(steps, steps[1:], strict=False):
            t = min(t + rng.randint(600, 5 * 86400), now)
            moves.append({"at": _iso(t), "by": rng.choice(people), "from": a, "to": b})
        if moves:
            issue["transitions"] = moves
        if status in ("Done", "Closed"):
            issue["resolved"] = moves[-1]["at"]
        ctimes = sorted(min(at + rng.randint(300, 10 * 86400), now) for _ in range(rng.randint(0, 4)))
        if ctimes:
            issue["comments"] = [{"author": rng.choice(people), "at": _iso(c), "body": tx.comment_body(rng, "@oncall")}
                                 for c in ctimes]
        out.append(issue)
    return out
