"""The incident's own time range and scope: the cluster of matched evidence it lives in, its home channels, threads
and tickets. Older incidents with a similar name, pages merely edited in the window and tickets that only share a
word lie outside it and are left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from graph.evidence import Evidence, iso, parse_iso
from graph.signals import CHANGE_NAME
from graph.sources.base import find_references
from graph.terms import covers, match_count

GAP = timedelta(hours=12)  # matched evidence further apart than this belongs to different episodes
LEAD = timedelta(hours=2)  # the rollout or alert shortly before the first matched words is still the incident
LEAD_IN = timedelta(days=3)  # set-up talk naming the incident in the days before it (not another episode) counts
TAIL = timedelta(hours=6)  # wrap-up after the last matched words
MIN_SIGNALS = 3  # fewer matched items than this give no range to trust: nothing is left out


@dataclass
class Scope:
    start: datetime | None = None
    end: datetime | None = None
    channels: set[str] = field(default_factory=set)  # Slack channel ids of the incident's own talk
    threads: set[tuple[str, str]] = field(default_factory=set)  # (channel id, thread ts)
    keys: set[str] = field(default_factory=set)  # Jira keys active in the range or named by its talk
    elsewhere: set[str] = field(default_factory=set)  # dedupe keys of items in other episodes (an older incident)

    def summary(self, terms: list[str], window: dict | None) -> dict:
        """What the result and the page footer say about how the evidence was chosen."""
        core = {"start": iso(self.start), "end": iso(self.end)} if self.start and self.end else None
        return {"terms": terms, "window": window, "core_range": core, "tickets": sorted(self.keys)}


def channel_id(ev: Evidence) -> str:
    return ev.ref.split("/", 1)[0]


def thread_of(ev: Evidence) -> tuple[str, str]:
    return channel_id(ev), ev.thread_ts or ev.ref.split("/", 1)[-1]


def _moment(text: str | None) -> datetime | None:
    try:
        return parse_iso(text) if text else None
    except ValueError:
        return None


def _time(ev: Evidence) -> datetime | None:
    return _moment(ev.at)


def hot_threads(items: list[Evidence], terms: list[str]) -> set[tuple[str, str]]:
    """Slack threads about the incident: one message names it, or the thread together does ('rows missing from
    the events table' in one reply, 'data lost for good' in another)."""
    threads: dict[tuple[str, str], list[Evidence]] = {}
    for ev in items:
        if ev.source == "slack" and not ev.context:
            threads.setdefault(thread_of(ev), []).append(ev)
    return {t for t, evs in threads.items()
            if any(e.matched for e in evs) or (len(evs) > 1 and covers([e.text for e in evs], terms))}


def signals(items: list[Evidence], terms: list[str]) -> list[tuple[datetime, float, Evidence]]:
    """Matched messages and ticket activity, and the replies of matched threads (pages' creation times say little)."""
    hot = hot_threads(items, terms)
    out = []
    for ev in items:
        t = _time(ev)
        if t is None or ev.source == "notion" or ev.context:
            continue
        if ev.matched or (ev.source == "slack" and thread_of(ev) in hot):
            out.append((t, 0.5 if ev.kind == "change" else 1.0, ev))
    return sorted(out, key=lambda s: s[0])


def find_scope(items: list[Evidence], terms: list[str], dates: list[datetime], seed: dict | None) -> Scope:
    """The densest run of matched evidence, preferring the latest one, one around a date typed in the incident, and
    the one holding the thread the request came from."""
    pts = signals(items, terms)
    if len(pts) < MIN_SIGNALS:
        return Scope()
    clusters: list[list] = [[pts[0]]]
    for p in pts[1:]:
        (clusters[-1].append(p) if p[0] - clusters[-1][-1][0] <= GAP else clusters.append([p]))

    def weight(i: int, c: list) -> float:
        w = sum(p[1] for p in c) * (1.25 if i == len(clusters) - 1 else 1.0)
        if seed and any(e.source == "slack" and thread_of(e) == (seed["channel"], seed["ts"]) for _, _, e in c):
            w += 1000
        if any(c[0][0] - timedelta(days=1) <= d <= c[-1][0] + timedelta(days=1) for d in dates):
            w += 100
        return w

    best = max(enumerate(clusters), key=lambda ic: (weight(*ic), ic[0]))[1]
    scope = Scope(start=best[0][0], end=best[-1][0])
    for c in clusters:  # several matched items well before this one: an earlier episode (later ones follow it up)
        if c is not best and len(c) >= 2 and c[-1][0] < scope.start - LEAD_IN:
            scope.elsewhere |= {e.dedupe_key() for _, _, e in c}
    per_channel: dict[str, int] = {}
    for _, _, ev in best:
        if ev.source == "slack":
            scope.threads.add(thread_of(ev))
            per_channel[channel_id(ev)] = per_channel.get(channel_id(ev), 0) + 1
            scope.keys |= find_references(ev.text).get("jira", set())
        elif ev.key:
            scope.keys.add(ev.key)
    top = max(per_channel.values(), default=0)
    scope.channels = {ch for ch, n in per_channel.items() if n >= 2 or n == top}
    # Talk that names the incident's ticket is the incident's, whatever words it uses ("SEV2 … IDN-340").
    lo, hi = scope.start - LEAD, scope.end + TAIL
    for ev in items:
        t = _time(ev)
        if ev.source == "slack" and t and lo <= t <= hi and find_references(ev.text).get("jira", set()) & scope.keys:
            scope.threads.add(thread_of(ev))
            scope.channels.add(channel_id(ev))
    return scope


def _mentions(ev: Evidence, keys: set[str], refs: set[str]) -> bool:
    found = find_references(ev.text)
    return bool(found.get("jira", set()) & keys) or bool(
        {r.replace("-", "") for r in found.get("notion", set())} & refs)


def in_scope(items: list[Evidence], scope: Scope, terms: list[str]) -> tuple[list[Evidence], list[Evidence]]:
    """(kept, left out): the range with its threads and tickets; naming the incident fully just before it (set-up)
    or after it (follow-ups, write-ups); never another episode or a mere shared word outside the range."""
    if scope.start is None or scope.end is None:
        return items, []
    lo, hi = scope.start - LEAD, scope.end + TAIL
    keys = set(scope.keys)
    other = {e.key for e in items if e.dedupe_key() in scope.elsewhere and e.key}
    for ev in items:  # a ticket active in the range is the incident's, all of its history with it
        t = _time(ev)
        if ev.source == "jira" and ev.key and t and lo <= t <= hi and ev.matched:
            keys.add(ev.key)
    keep, out = [], []
    for ev in items:
        t = _time(ev)
        strong = ev.matched and match_count(ev.text, terms) >= len(terms)
        if ev.dedupe_key() in scope.elsewhere or (ev.key in other and ev.key not in keys):
            ok = False
        elif ev.context:  # read for the range on purpose (graph/sources/slack_context.py)
            ok = True
        elif (ev.source == "slack" and thread_of(ev) in scope.threads) or (ev.source == "jira" and ev.key in keys):
            ok = True
        elif t is not None and lo <= t <= hi:
            ok = ev.source != "slack" and ev.matched or ev.context or strong or channel_id(ev) in scope.channels
        elif t is not None and t > hi:
            ok = strong or (ev.matched and (ev.source == "notion" or ev.kind == "issue"
                                            or channel_id(ev) in scope.channels))
        else:  # before: set-up naming the incident, or an older page about it that was worked on around it
            ok = strong and t is not None and (t >= scope.start - LEAD_IN or _edited(ev) >= scope.start - LEAD_IN)
        (keep if ok else out).append(ev)
    return keep, out


def _edited(ev: Evidence) -> datetime:
    return _moment(ev.edited) or datetime.min.replace(tzinfo=UTC)


def change_names(items: list[Evidence], most: int = 3) -> list[str]:
    """Versions and pull requests the incident's own evidence keeps naming ("2.14.0", "#1187"): the change that set it
    off is announced under the same name, often days before."""
    counts: dict[str, int] = {}
    for ev in items:
        for name in set(CHANGE_NAME.findall(ev.text)):
            counts[name] = counts.get(name, 0) + 1
    named = sorted((n for n, c in counts.items() if c >= 2), key=lambda n: (-counts[n], n))
    return named[:most]


def linked_refs(items: list[Evidence]) -> set[str]:
    """Jira keys, Notion ids (no dashes) and Slack refs the given items link to."""
    out: set[str] = set()
    for ev in items:
        for kind, refs in find_references(ev.text).items():
            out |= {re.sub("-", "", r) if kind == "notion" else r.split("@")[0] for r in refs}
    return out


def describe_scope(summary: dict | None) -> str | None:
    """The page footer's line on how the evidence was chosen: terms, window and the incident's own range."""
    if not summary:
        return None

    def fmt(at: str) -> str:
        return parse_iso(at).strftime("%Y-%m-%d %H:%M")

    terms = ", ".join(summary.get("terms") or []) or "the request's thread"
    out = f"Evidence chosen by the terms {terms}"
    window = summary.get("window") or {}
    if window.get("oldest") and window.get("latest"):
        out += f" in the window {fmt(window['oldest'])} – {fmt(window['latest'])} UTC"
    core = summary.get("core_range")
    if core:
        out += (f"; the incident's own range {fmt(core['start'])} – {fmt(core['end'])} UTC (outside it, only what it "
                "links to, its follow-ups, and what names it fully)")
    return out + "."
