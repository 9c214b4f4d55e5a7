"""Offline analyzer lists: Jira tickets of the incident, the timeline rows' wording, and action items (tickets
before chat)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from graph.analyze.offline.cues import (
    ACTION,
    ACTION_PREFIX,
    DONE,
    FILED,
    IMPACT,
    KEY,
    KEY_WITH_GIST,
    META_ACTION,
    RESOLVED,
    ROOT,
    SYMPTOM,
    THEMES,
    Item,
    change_status,
    clean_text,
    is_follow_up_label,
    issue_fields,
    shorten,
    strip_interjection,
)
from graph.analyze.report import ActionItem
from graph.terms import STOPWORDS, normalize

_INCIDENT_KEY = re.compile(r"\bincident (?:ticket|issue)\W+(?:is\s+)?([A-Z][A-Z0-9]+-\d+)|\b([A-Z][A-Z0-9]+-\d+) is the "
                           r"incident (?:ticket|issue)", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I'll|I will|I'm going to|on me)\b", re.I)
_CUES = (SYMPTOM, ROOT, RESOLVED, IMPACT, ACTION, *THEMES.values())


@dataclass
class Tickets:
    incident: Item | None = None
    done: Item | None = None
    follow_ups: list[Item] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # every issue key in the evidence


def _is_follow_up(it: Item) -> bool:
    return is_follow_up_label(issue_fields(it.e.text)["labels"]) or bool(
        re.search(r"\bfollow-?up (?:from|to|of|for)\b", it.e.text, re.I))


def read_tickets(items: list[Item], since: datetime | None) -> Tickets:
    """The incident ticket (typed, labelled or announced as such), its move to Done, and follow-up tickets."""
    issues = [it for it in items if it.e.source == "jira" and it.e.kind == "issue" and it.e.key]
    announced = {k for it in items if it.e.source != "jira" for s in it.sents for m in _INCIDENT_KEY.finditer(s)
                 for k in m.groups() if k}

    def incident_score(it: Item) -> int:
        f = issue_fields(it.e.text)
        return (2 * ("incident" in (f["type"] or "").lower()) + 2 * ("incident" in f["labels"])
                + bool(re.search(r"\bincident\b", it.e.title or "", re.I)) + 2 * (it.e.key in announced))

    found = sorted((it for it in issues if not _is_follow_up(it) and incident_score(it)),
                   key=lambda it: (-incident_score(it), it.sort_key()))
    t = Tickets(incident=found[0] if found else None, keys={it.e.key for it in issues})
    if t.incident:
        t.done = next((it for it in items if it.e.kind == "change" and it.e.key == t.incident.e.key
                       and (change_status(it.e.text) or "").lower() in DONE), None)
    t.follow_ups = [it for it in issues if it is not t.incident and (
        _is_follow_up(it) or (since is not None and it.dt is not None and it.dt >= since))]
    return t


def _gist(it: Item) -> str:
    sents = [strip_interjection(s) for s in it.sents] or [clean_text(it.e.text)]
    i = next((i for i, s in enumerate(sents) if any(rx.search(s) for rx in _CUES)), 0)
    gist = sents[i]
    if i + 1 < len(sents) and len(gist) + len(sents[i + 1]) < 150:
        gist = f"{gist} {sents[i + 1]}"
    return shorten(gist, 200)


def event_text(it: Item) -> str:
    e, author = it.e, it.e.author
    if e.kind == "issue":
        return f"{author + ' opened' if author else 'Opened'} {e.key}: {e.title or _gist(it)}"
    if e.kind == "change":
        status = change_status(e.text)
        return f"{e.key} moved to {status}" + (f" ({author})" if author else "") if status else _gist(it)
    if e.kind == "comment":
        return f"{author or 'Someone'} commented on {e.key}: {_gist(it)}"
    if e.kind == "page":
        return f"{author + ' created' if author else 'Created'} the Notion page \"{e.title or _gist(it)}\""
    return f"{author}: {_gist(it)}" if author else _gist(it)


def _thread(it: Item) -> tuple[str | None, str]:
    return it.e.channel, it.e.thread_ts or it.e.ref.split("/", 1)[-1]


def thread_ids(items: list[Item], anchor: Item | None) -> set[str]:
    if anchor is None or anchor.e.source != "slack":
        return set()
    return {it.e.id for it in items if it.e.source == "slack" and _thread(it) == _thread(anchor)}


def _words(text: str) -> set[str]:
    return {w for w in normalize(text).split() if len(w) > 2 and w not in STOPWORDS}


def _same(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    shared = len(wa & wb)
    return shared >= 2 and shared / max(1, min(len(wa), len(wb))) >= 0.6


def _from_ticket(it: Item) -> ActionItem:
    f = issue_fields(it.e.text)
    text = clean_text(it.e.title) if it.e.title else (it.sents[0] if it.sents else it.e.key or "")
    return ActionItem(text=text, owner=f["assignee"], jira=it.e.key, evidence=[it.e.id],
                      done=(f["status"] or "").lower() in DONE)


def build_action_items(items: list[Item], tickets: Tickets) -> list[ActionItem]:
    """Follow-up tickets, then what chat adds: announced keys merge into their ticket, 'we should…' lines dedupe."""
    out = [(it.sort_key(), _from_ticket(it)) for it in tickets.follow_ups]
    by_key = {ai.jira: ai for _, ai in out}
    for it in items:
        if it.e.kind not in ("message", "reply", "comment"):
            continue
        for s in it.sents:
            if s.endswith("?") or META_ACTION.search(s):
                continue
            named = [(m.group(1), m.group(2)) for m in KEY_WITH_GIST.finditer(s)]
            filed = FILED.search(s)
            named += [(filed.group(1).upper(), filed.group(2))] if filed else []
            if named and (ACTION.search(s) or filed):
                for key, gist in named:
                    if key in by_key:
                        by_key[key].evidence = list(dict.fromkeys([*by_key[key].evidence, it.e.id]))
                    elif key not in tickets.keys and gist.strip():
                        by_key[key] = ActionItem(text=shorten(gist.strip().rstrip("."), 160), jira=key,
                                                 evidence=[it.e.id])
                        out.append((it.sort_key(), by_key[key]))
                continue
            if not ACTION.search(s) or KEY.search(s):
                continue
            text = shorten(ACTION_PREFIX.sub("", strip_interjection(s)), 160)
            text = text[:1].upper() + text[1:]
            twin = next((ai for _, ai in out if _same(ai.text, text)), None)
            if twin:
                twin.evidence = list(dict.fromkeys([*twin.evidence, it.e.id]))
                continue
            owner = it.e.author if _FIRST_PERSON.search(s) else None
            out.append((it.sort_key(), ActionItem(text=text, owner=owner, evidence=[it.e.id])))
    return [ai for _, ai in sorted(out, key=lambda p: p[0])]
