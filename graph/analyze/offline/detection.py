"""How the incident was detected (its first signal, the alert and the acknowledgement after it, the time to detect,
an earlier start stated in the evidence: "failures since ~07:52") and how it was resolved (the fix, its
verification, the ticket closing), each cited, from the timeline's key moments."""

from __future__ import annotations

import re
from datetime import timedelta

from graph.analyze.offline.cues import Item, strip_interjection
from graph.analyze.offline.findings import symptom_sentences
from graph.analyze.offline.kinds import FIX_DEPLOYED, VERIFIED, kinds_of
from graph.analyze.offline.moments import Moments
from graph.analyze.offline.quote import attribute, when, who
from graph.analyze.report import Claim
from graph.publish.blocks import duration
from graph.signals import SYMPTOM

# "since ~07:52", "from ~12:40 UTC", "started around 06:30", "began at 16:58Z"
STATED = re.compile(r"\b(?:since|from|start(?:ed|ing)?(?: at)?|began(?: at)?|beginning)\s+(?:about |around |approx"
                    r"(?:imately|\.)? |~\s?)?(\d{1,2}:\d{2})(?::\d{2})?\s?(?:UTC|Z)?", re.I)


def _gist(it: Item) -> str:
    sents = [s for s in it.sents if SYMPTOM.search(s)] or symptom_sentences(it) or list(it.sents) or [it.e.text]
    return strip_interjection(sents[0]).rstrip(".")


def stated_start(moments: Moments, items: list[Item]) -> tuple[Item, str, str] | None:
    """The earliest clock time the evidence gives for the start, when it is before the first signal that day."""
    start = moments.start
    best = None
    for it in items:
        if it.dt is None or start is None or it.dt.date() != start.dt.date() or it.e.app:
            continue
        for s in it.sents:
            for m in STATED.finditer(s):
                hhmm = m.group(1).zfill(5)
                if hhmm < start.dt.strftime("%H:%M") and (best is None or hhmm < best[1]):
                    best = (it, hhmm, s)
    return best


def describe_start(moments: Moments, items: list[Item]) -> tuple[str, list[str], str | None]:
    """Detection text, its ids, and the stated earlier start (HH:MM) when there is one."""
    start = moments.start
    where = f" in #{start.e.channel}" if start.e.channel else (f" in {start.e.key}" if start.e.key else "")
    lead = "First alert from" if start.e.app else "First reported by"
    parts, ids = [f"{lead} {who(start)}{where} at {when(start)}: {_gist(start)}."], [start.e.id]
    alert, ack = moments.picked.get("alert"), moments.picked.get("ack")
    if alert is not None and alert is not start and alert.dt >= start.dt:
        parts.append(f"Alert: {who(alert)} at {when(alert)}.")
        ids.append(alert.e.id)
    if ack is not None and ack.dt >= start.dt:
        parts.append(f"Acknowledged by {ack.e.author if not ack.e.app else _acker(ack)} at {when(ack)}.")
        ids.append(ack.e.id)
    seen = [it for it in (alert, ack, moments.picked.get("severity")) if it is not None and it.dt >= start.dt]
    if seen and start.e.app:
        detected = min(seen, key=Item.sort_key)
        parts.append(f"Time to detect from the first signal: {duration(int((detected.dt - start.dt).total_seconds()))}.")
    earlier = stated_start(moments, items)
    if earlier is not None:
        it, hhmm, sentence = earlier
        h, m = map(int, hhmm.split(":"))
        lag = int((start.dt - start.dt.replace(hour=h, minute=m, second=0)).total_seconds())
        parts.append(f"The evidence puts the start earlier, at about {hhmm} UTC, {duration(lag)} before the first "
                     f"signal: {attribute(it, strip_interjection(sentence))}")
        ids.append(it.e.id)
    return " ".join(parts), list(dict.fromkeys(ids)), earlier[1] if earlier else None


def _acker(it: Item) -> str:
    m = re.search(r"acknowledged by ([^.\n]+)", it.e.text, re.I)
    return m.group(1).strip() if m else (it.e.author or "someone")


HOUR = timedelta(hours=1)


def _saying(it: Item, rx: re.Pattern[str]) -> str:
    sents = [s for s in it.sents if rx.search(s) and not s.endswith("?")] or list(it.sents[:1]) or [it.e.text]
    return " ".join(strip_interjection(s) for s in sents[:2])


def describe_resolution(moments: Moments, done: Item | None, items: list[Item]) -> tuple[Claim, Item] | None:
    """The fix that went out, what showed it worked, and the incident ticket closing; None without a fix row. A deploy
    tool's status line is cited, but a person saying the same within the hour is quoted."""
    fix = moments.picked.get("fix_deployed")
    if fix is None:
        return None
    said = fix if not fix.e.app else next(
        (it for it in items if not it.e.app and it.dt is not None and timedelta(0) <= it.dt - fix.dt <= HOUR
         and "fix_deployed" in kinds_of(it, None)), fix)
    parts, ids = [attribute(said, _saying(said, FIX_DEPLOYED))], list(dict.fromkeys([fix.e.id, said.e.id]))
    check = moments.picked.get("verified")
    if check is not None and check.dt >= fix.dt:
        shown = " ".join(strip_interjection(x) for x in check.sents[:2]) or _saying(check, VERIFIED)
        parts.append(f"Verified: {attribute(check, shown)}")
        ids.append(check.e.id)
    if done is not None:
        parts.append(f"{done.e.key} moved to Done at {when(done)}.")
        ids.append(done.e.id)
    return Claim(text=" ".join(parts), evidence=list(dict.fromkeys(ids)), verified=True), fix
