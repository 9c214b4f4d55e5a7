"""What was said in the incident's channels during its time range without repeating the words typed: the monitoring
bot's alert, the on-call's ack, the rollout note just before."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from graph.evidence import Evidence
from graph.signals import CHANGE, NOTICED, SYMPTOM
from graph.sources.parallel import side_by_side
from graph.sources.slack_rules import is_integration, is_own

if TYPE_CHECKING:  # the source calls this module; it is its friend, reading its plumbing
    from graph.sources.slack import SlackSource

MAX_CHANNELS = 12  # the home channels plus the likeliest alert, deploy and support channels: not a crawl
# Channels where alerts, pages, rollouts and customers' first reports land, by name, topic or purpose.
OPS_CHANNEL = re.compile(r"alert|incident|inc-|on-?call|pager|deploy|release|rollout|monitor|status|sre|ops|prod"
                         r"|ship|infra|platform|noc|war-?room|support|escalat|customer|care|help", re.I)
# How far before the incident's first matched words each kind of message is looked for.
SET_UP = timedelta(hours=36)  # a rollout or change that may have set it off (yesterday's release)
ALERTS = timedelta(hours=8)  # monitoring alerts and their acks, customers' first reports
HOME = timedelta(hours=2)  # everything said in the incident's own channels
AFTER = timedelta(hours=1)  # first reports elsewhere, up to this long after the first matched words
MAX_CHANGES = 5  # rollout notes from before the incident: the latest few, a deploy channel posts dozens a day
# A channel made for this incident ("#inc-231-customers-charged-twice"): all of it is the incident's, to the end.
OWN_CHANNEL = re.compile(r"^(?:inc|incident|sev|war-?room)[-_]", re.I)
ALERTING = re.compile(r"alert|incident|inc-|on-?call|pager|war-?room|noc", re.I)  # acks sit here, from anyone
def context_channels(listing: list[dict], home: set[str]) -> list[str]:
    """Home channels first, then channels that look like alert/deploy channels or share a name part with home."""
    parts = {p for ch in listing if ch["id"] in home for p in re.split(r"[-_]", ch["name"]) if len(p) > 2}

    def about(ch: dict) -> str:
        return " ".join([ch["name"], (ch.get("topic") or {}).get("value", ""), (ch.get("purpose") or {}).get("value", "")])

    # Any other channel may hold the rollout note or the first report; those named like it come first.
    others = [ch for ch in listing if ch["id"] not in home]
    others.sort(key=lambda ch: (not parts & set(re.split(r"[-_]", ch["name"])), not OPS_CHANNEL.search(about(ch)),
                                ch["name"]))
    return [*[ch["id"] for ch in listing if ch["id"] in home], *[ch["id"] for ch in others]][:MAX_CHANNELS]


def wanted(m: dict, home: bool, alerting: bool, author: str | None, people: set[str], start: datetime) -> str | None:
    """Before the incident: a change being made ("change": the rollout note). Around it ("keep"): everything in a
    home channel; an app's post, a participant's, anything in an alert channel, a first report of trouble."""
    text, at = m.get("text", ""), datetime.fromtimestamp(float(m["ts"]), UTC)
    change = bool(CHANGE.search(text)) and (home or is_integration(m) or author in people or len(text) > 40)
    trouble = bool(SYMPTOM.search(text) or NOTICED.search(text))
    if at < start - ALERTS:
        return "change" if change else None
    if at < start - HOME:
        return "keep" if is_integration(m) or alerting or trouble else "change" if change else None
    if home or is_integration(m) or author in people or alerting:
        return "keep"
    if change and at < start:
        return "change"
    return "keep" if at <= start + AFTER and trouble else None


def read_context(source: SlackSource, home: set[str], start: datetime, end: datetime, people: set[str],
                 known: set[str], latest: datetime | None = None) -> list[Evidence]:
    """What the incident's channels and the alert, deploy and support channels hold from the hours before its first
    matched words to its last (see `wanted`), with threads, marked as context. Threads of `known` refs (CHANNEL/TS)
    were read already and are not read again."""
    source._prepare()
    listing = source._readable_channels()
    names = {ch["id"]: ch["name"] for ch in listing}
    roots, out, changes = [], [], []
    for ch_id in context_channels(listing, home):
        own = ch_id in home and OWN_CHANNEL.search(names.get(ch_id, "")) and latest is not None
        until = latest if own else end
        for m in source._paged("conversations_history", "messages", channel=ch_id,
                               oldest=f"{(start - SET_UP).timestamp():.6f}", latest=f"{until.timestamp():.6f}",
                               inclusive=True, limit=200):
            if m.get("subtype") in ("channel_join", "channel_leave") or is_own(m, source._mine):
                continue
            author = source._users.get(m.get("user", ""), (m.get("bot_profile") or {}).get("name"))
            why = wanted(m, ch_id in home, bool(ALERTING.search(names.get(ch_id, ""))), author, people, start)
            if why == "change":
                changes.append((float(m["ts"]), ch_id, m))
                continue
            if why is None:
                continue
            if m.get("reply_count") and f"{ch_id}/{m['ts']}" not in known:
                roots.append((ch_id, m["ts"]))
            else:
                out.append(source._evidence(ch_id, m, None, []))
    for _, ch_id, m in sorted(changes, key=lambda c: c[0])[-MAX_CHANGES:]:
        out.append(source._evidence(ch_id, m, None, []))
    for thread in side_by_side(lambda t: source.thread(*t, []), roots):
        out += thread
    for ev in out:
        ev.context = True
    return out
