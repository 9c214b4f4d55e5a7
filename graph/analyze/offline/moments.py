"""The timeline of key events: one row per distinct moment a reviewer lists (first signal, alert, ack, severity,
diagnosis, cause found, fix started and deployed, verified, resolved, follow-ups), items from several sources that
record the same moment merged into it, at most MAX_ROWS, inside the incident's range; the change before it that set
it off is included and marked as the trigger."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from graph.analyze.offline.cues import DONE, Item, change_status, is_chitchat
from graph.analyze.offline.items import event_text
from graph.analyze.offline.kinds import LABELS, kinds_of
from graph.analyze.report import TimelineEvent
from graph.signals import SYMPTOM
from graph.terms import STOPWORDS, stem

MAX_ROWS = 20
EXTRA_PER_KIND = 3  # rows beyond the first of each kind: a fourth "verified" adds less than a first "diagnosis"
MERGE = timedelta(minutes=3)  # items of the same kind this close describe one moment (a message and its ticket note)
FOLLOW_UPS = timedelta(hours=1)  # follow-up tickets filed together make one row
GAP = timedelta(hours=12)  # as graph/scope.py: further apart is another episode
BEFORE = timedelta(hours=3)  # the first signal may come this long before the incident's busiest stretch
TRIGGER_BEFORE = timedelta(days=21)  # how far back the change that set it off may lie
ORDER = ("first_signal", "alert", "ack", "severity", "diagnosis", "cause_found", "fix_started", "fix_deployed",
         "verified", "resolved", "follow_up")
# Names worth sharing with the cause: versions, PR and ticket numbers, identifiers, longer words.
WORD = re.compile(r"#\d+|\b[A-Z][A-Z0-9]+-\d+\b|\b\d+\.\d+(?:\.\d+)?\b|\b\w*[_./]\w[\w./-]*|\b[a-zA-Z]{6,}\b")
EXTRA_ORDER = ("alert", "fix_deployed", "verified", "cause_found", "diagnosis", "fix_started", "severity", "resolved",
               "follow_up")


@dataclass
class Moments:
    rows: list[TimelineEvent] = field(default_factory=list)
    picked: dict[str, Item] = field(default_factory=dict)  # kind -> the item that gives its time
    start: Item | None = None  # the first signal, whatever its row says

    def at(self, kind: str) -> datetime | None:
        it = self.picked.get(kind)
        return it.dt if it else None


def busiest(items: list[Item]) -> tuple[datetime, datetime] | None:
    """The incident's busiest stretch: the largest run of timed items no more than GAP apart."""
    times = sorted(it.dt for it in items if it.dt is not None and it.e.kind != "page")
    if not times:
        return None
    runs, run = [], [times[0]]
    for t in times[1:]:
        if t - run[-1] > GAP:
            runs.append(run)
            run = []
        run.append(t)
    runs.append(run)
    best = max(runs, key=len)
    return best[0], best[-1]


def _specifics(it: Item) -> int:
    return min(len(WORD.findall(it.e.text)), 8)


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def find_trigger(items: list[Item], kinds: dict[str, list[str]], start: Item, causes: list[Item]) -> Item | None:
    """The change before the first signal that the cause statement points at (shares its names: a release, a PR, a
    ticket), else the latest change just before it; a linked ticket closing counts as its change."""
    told = _words(" ".join(s for cause in causes for s in cause.sents))
    found = []
    for it in items:
        if it.dt is None or not (start.dt - TRIGGER_BEFORE <= it.dt < start.dt) or it in causes:
            continue
        closed = it.e.kind == "change" and (change_status(it.e.text) or "").lower() in DONE
        if "trigger" not in kinds.get(it.e.id, []) and not closed:
            continue
        common = _words(" ".join([*it.sents, it.e.title or "", it.e.key or ""])) & told
        shared = sum(1 if w.isalpha() else 2 for w in common)  # a version, PR or ticket shared counts double
        near = start.dt - it.dt <= timedelta(hours=2)
        if shared >= 2 or (near and not closed):
            found.append((shared, it.sort_key(), it))  # most named by the cause, then the latest before the signal
    return max(found, key=lambda f: f[:2])[2] if found else None


TOPIC = re.compile(r"[a-z][a-z0-9]{3,}")
COMMON = {"that", "this", "with", "from", "have", "what", "when", "just", "will", "there", "they", "them", "then",
          "than", "about", "been", "were", "into", "some", "also", "only", "still", "here", "your", "their", "anyone",
          "everyone", "today", "now", "know", "think", "looks", "like", "does", "didn't", "don't", "it's", "we're"}


def _topic_words(text: str) -> set[str]:
    return {stem(w) for w in TOPIC.findall(text.lower()) if w not in COMMON and w not in STOPWORDS}


def on_topic(items: list[Item]) -> set[str]:
    """Ids of items about this incident: found by its words, threads or links, or (read only for the time range)
    naming what its own evidence names: an app's alert one of those words (the service), a person two."""
    topic: set[str] = set()
    for it in items:
        if not it.e.context:
            topic |= _topic_words(it.e.text)
    return {it.e.id for it in items
            if not it.e.context or len(_topic_words(it.e.text) & topic) >= (1 if it.e.app else 2)}


def key_moments(items: list[Item], incident_key: str | None, causes: list[Item]) -> Moments:
    """The key moments; `causes` are the items stating the root cause (the first is the statement itself)."""
    cause = causes[0] if causes else None
    span = busiest(items)
    if span is None:
        return Moments()
    lo, hi = span[0] - BEFORE, span[1] + timedelta(days=2)
    kinds = {it.e.id: kinds_of(it, incident_key) for it in items if it.dt is not None}
    usable = [it for it in items if it.dt is not None and kinds.get(it.e.id) and (
        "ack" in kinds[it.e.id] or not (it.e.kind in ("message", "reply", "comment") and is_chitchat(it.e.text)))]
    topical = on_topic(items)
    # Off the incident's subject, only a plain symptom or an ack is a moment ("is it just me?" about an IDE is not).
    inside = [it for it in usable if lo <= it.dt <= hi and (it.e.id in topical or "ack" in kinds[it.e.id]
                                                            or SYMPTOM.search(it.e.text))]
    out = Moments()

    def first(kind: str, after: datetime | None, pool: list[Item] = inside) -> Item | None:
        return min((it for it in pool if kind in kinds[it.e.id] and (after is None or it.dt >= after)
                    and it not in out.picked.values()), key=Item.sort_key, default=None)

    def declared(after: datetime) -> Item | None:
        """The team declaring it resolved (naming the incident or its severity), or its ticket closing."""
        said = [it for it in inside if "resolved" in kinds[it.e.id] and it.dt >= after and not it.e.app and (
            it.e.kind == "change" or re.search(r"\b(?:sev ?\d|incident)\b", it.e.text, re.I)
            or (incident_key and incident_key in it.e.text))]
        return min(said, key=Item.sort_key, default=None)

    signs = [it for it in (first("first_signal", None), first("alert", None)) if it is not None]
    if not signs:
        return out
    start = min(signs, key=Item.sort_key)
    out.start = start
    # An alert that came first is the first signal: its row says alert.
    out.picked["alert" if "first_signal" not in kinds[start.e.id] else "first_signal"] = start
    floor = start.dt
    for kind in ORDER[1:]:
        if kind in out.picked:
            continue
        after = {"ack": out.at("alert") or floor, "fix_deployed": out.at("fix_started") or floor,
                 "verified": out.at("fix_deployed") or floor, "resolved": out.at("fix_deployed") or floor}.get(
            kind, floor)
        it = declared(after) if kind == "resolved" else None
        it = it or first(kind, after)
        if it is None and kind == "cause_found" and cause is not None and cause.dt and cause.dt >= floor:
            it = cause
        if it is not None:
            out.picked[kind] = it
    trigger = find_trigger(items, kinds, start, causes)
    if trigger is not None:
        out.picked["trigger"] = trigger
    used: set[str] = set()
    rows: list[tuple[Item, str, list[Item]]] = []

    def add(it: Item, kind: str) -> None:
        near = FOLLOW_UPS if kind == "follow_up" else MERGE
        same = [o for o in inside if o.e.id not in used and o is not it and kind in kinds[o.e.id]
                and timedelta(0) <= o.dt - it.dt <= near and (kind == "follow_up" or (o.e.app and it.e.app) or (
                    o.e.source, o.e.channel) != (it.e.source, it.e.channel))]
        group = sorted([it, *same[:6 if kind == "follow_up" else 2]], key=Item.sort_key)
        used.update(g.e.id for g in group)
        rows.append((group[0], kind, group))

    for kind in ("trigger", *ORDER):
        if kind in out.picked and out.picked[kind].e.id not in used:
            add(out.picked[kind], kind)
    rank = {k: i for i, k in enumerate(EXTRA_ORDER)}
    # A later report of the symptom is the diagnosis going on: "Stripe shows 9,609 charges, twice the usual".
    # Within a kind, the item naming most specifics (versions, numbers, identifiers) says most.
    extras = sorted(((rank[k], -_specifics(it), it.sort_key(), it, k) for it in inside
                     if it.e.id not in used and it.dt >= floor
                     for k in [("diagnosis" if kinds[it.e.id][0] == "first_signal" else kinds[it.e.id][0])]
                     if k in rank), key=lambda x: x[:3])
    done, per_kind = out.at("resolved"), {}
    for _, _, _, it, kind in extras:
        if len(rows) >= MAX_ROWS:
            break
        # After it was resolved only the follow-ups are still the incident's story; no kind crowds out the others.
        if it.e.id not in used and (done is None or it.dt <= done or kind == "follow_up") and \
                per_kind.get(kind, 0) < EXTRA_PER_KIND:
            per_kind[kind] = per_kind.get(kind, 0) + 1
            add(it, kind)
    rows.sort(key=lambda r: r[0].sort_key())
    out.rows = [TimelineEvent(at=head.e.at, event=f"{LABELS[kind]}: {event_text(head)}", kind=kind,
                              evidence=[g.e.id for g in group]) for head, kind, group in rows]
    return out
