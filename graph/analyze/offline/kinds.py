"""What moment of an incident one evidence item records: alert, ack, severity, diagnosis, cause, fix, verification,
resolution, follow-up or the change that set it off, read from cue phrases (the offline analyzer's timeline)."""

from __future__ import annotations

import re

from graph.analyze.offline.cues import DONE, ROOT_STRONG, Item, change_status, clean_text, positive
from graph.signals import CHANGE, NOTICED, SYMPTOM


def _rx(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(phrases) + r")(?![\w-])", re.I)


ALERT = _rx(r"triggered", r"firing(?::\d+)?", r"alert(?:ing|ed)?", r"\[p[0-4]\]", r"critical", r"warn(?:ing)?",
            r"threshold", r"paged", r"failed", r"anomaly", r"\*?\[(?:high|medium|critical|sev\w*)\]", r"findings?",
            r"detected")
APP_RECOVERED = _rx(r"recovered", r"\[?resolved\]?", r"ok", r"back to normal")
ACK = re.compile(r"^\W*(?:ack(?:nowledged|ing)?|looking(?: into it| now)?|on it|investigating|i'?m on (?:it|call|this)"
                 r"|taking (?:a look|this)|checking(?: now)?)\b|\backnowledged by\b", re.I)
SEVERITY = _rx(r"sev ?[0-4]", r"p[0-2] incident", r"declar(?:e|ed|ing)", r"escalat\w*", r"major incident",
               r"incident commander", r"ic here", r"war ?room", r"treating this as", r"opening an incident")
DIAGNOSIS = _rx(r"looks like", r"seeing", r"narrow\w*", r"suspect\w*", r"investigat\w*", r"logs? show\w*", r"traced?",
                r"correlat\w*", r"only change", r"pg_stat\w*", r"query plan", r"reproduc\w*", r"spot-?checked",
                r"dashboard shows", r"access logs", r"run history", r"it'?s not", r"digging", r"logs?:", r"dashboard:",
                r"shows?", r"says", r"dry run", r"checked")
CAUSE = ROOT_STRONG  # "because" alone is everyday speech; a cause found is announced
FIX_STARTED = _rx(r"rolling back", r"roll(?:ing)? back (?:to|now)", r"reverting", r"starting (?:the )?\w+",
                  r"applying", r"restarting", r"re-?adding", r"turning (?:on|off)", r"switching", r"failing over",
                  r"pausing", r"paused", r"deploying (?:a |the )?(?:fix|hotfix)", r"kick(?:ed|ing) off",
                  r"working on (?:a |the )?fix", r"scaling", r"raising", r"flip(?:ping)?", r"revoking",
                  r"rotating", r"decision", r"on hold")
FIX_DEPLOYED = _rx(r"rolled back", r"reverted", r"rollback (?:is )?(?:done|complete\w*|finished)",
                   r"fix(?:ed)? (?:is )?(?:deployed|out|live|merged)", r"deployed", r"applied", r"re-?added",
                   r"restored", r"(?:is|are) back", r"synced", r"imported", r"revoked", r"rotated", r"terminated",
                   r"deactivated", r"(?:is|now) on", r"turned on", r"enabled", r"activated",
                   r"hotfix(?:ed)? (?:is )?(?:deployed|out|live|shipped)",
                   r"rule is back", r"submitted", r"backfill(?:ed)? (?:done|finished)", r"finished")
VERIFIED = _rx(r"recovered", r"back to normal", r"looks? good", r"(?:error|5xx|failure) (?:rate|ratio) (?:is )?"
               r"(?:down|back|dropping)", r"^confirm(?:ed|s)?", r"confirm(?:s|ed)? (?:that|from|it|fixed|working|resolved|"
               r"the fix|traffic|recovery|delivery|all|again)", r"working again", r"works (?:again|now)",
               r"all green", r"healthy", r"verified", r"verification", r"normal again", r"it held", r"clean run",
               r"(?:errors?|alerts?|reports?|tickets?|complaints?) (?:have |has )?stopped", r"(?:\w+ )?(?:is|are) dropping",
               r"getting their", r"match(?:es)? (?:again|now|\w+ within)", r"no (?:new|more|successful)")
RESOLVED = _rx(r"resolved", r"resolving", r"all clear", r"clos(?:ing|ed) (?:the )?(?:incident|sev\d?)",
               r"mark(?:ing|ed) (?:\w+ )?resolved", r"incident (?:is )?over")
FOLLOW_UP = _rx(r"follow-?ups?", r"action items?", r"filed", r"post-?mortem", r"retro(?:spective)?")
TROUBLE = _rx(r"fail(?:s|ed|ing)", r"broken", r"down", r"outage", r"can'?t", r"cannot", r"unable", r"stuck",
              r"wrong", r"complain\w*", r"timing out", r"timed out")

HEALTHY = _rx(r"passed", r"green", r"healthy", r"flat", r"normal", r"fine", r"looks? good")

PROPOSAL = _rx(r"propos\w*", r"suggest\w*", r"should we", r"option [a-z1-9]", r"plan(?:ning)? to", r"shall we")

LABELS = {"trigger": "Trigger", "first_signal": "First signal", "alert": "Alert", "ack": "Acknowledged",
          "severity": "Severity", "diagnosis": "Diagnosis", "cause_found": "Cause found", "fix_started": "Fix started",
          "fix_deployed": "Fix deployed", "verified": "Verified", "resolved": "Resolved", "follow_up": "Follow-up"}


def kinds_of(it: Item, incident_key: str | None) -> list[str]:
    """The moments an item may record, most specific first ([] for none)."""
    e, text = it.e, clean_text(it.e.text)
    if e.kind == "page":
        return []
    if e.kind == "change":
        status = (change_status(e.text) or "").lower()
        if e.key == incident_key:
            return ["resolved"] if status in DONE else ["ack"] if "progress" in status else []
        return []
    if e.kind == "issue":
        return ["severity"] if e.key == incident_key else ["follow_up"]
    if e.app:
        if re.search(r"\backnowledged by\b", text, re.I):
            return ["ack"]
        if re.search(r"\bresolved by\b", text, re.I):
            return ["resolved"]
        if APP_RECOVERED.search(text[:60]):
            return ["verified"]
        if ALERT.search(text):
            return ["alert"]
        # A deploy tool or flag service announcing a change: the trigger before, the fix after the first signal.
        return ["fix_deployed", "trigger"] if CHANGE.search(text) or re.search(r"\bupdated\b", text, re.I) else []
    # A question reports nothing done ("who owned it? I thought that was done" is no fix), and "not imported" is no
    # fix either: negated cues don't count (causes are told in negations, so they keep theirs).
    said = " ".join(s for s in it.sents if not s.endswith("?"))
    out = [kind for kind, rx in (("resolved", RESOLVED), ("cause_found", CAUSE), ("fix_deployed", FIX_DEPLOYED),
                                 ("fix_started", FIX_STARTED), ("severity", SEVERITY), ("verified", VERIFIED),
                                 ("follow_up", FOLLOW_UP), ("diagnosis", DIAGNOSIS))
           if (rx.search(said) if kind == "cause_found" else positive(rx, said))]
    if "cause_found" in out:  # a statement of the cause explains; it is not the fix or its check
        out = [k for k in out if k not in ("fix_started", "fix_deployed", "verified")]
    if PROPOSAL.search(said):  # "proposing a rollback" decides a fix; it does not deploy one
        out = [k for k in out if k not in ("fix_deployed", "verified")]
    if ACK.search(text) and len(text.split()) <= 20:
        out.insert(0, "ack")
    # A rollout note naming what its canary watches ("error rate + latency") reports no trouble.
    healthy = HEALTHY.search(text) and not TROUBLE.search(text)
    if (SYMPTOM.search(text) or NOTICED.search(text)) and not healthy and (not CHANGE.search(text) or TROUBLE.search(text)):
        out.append("first_signal")
    if CHANGE.search(text):
        out.append("trigger")
    return out
