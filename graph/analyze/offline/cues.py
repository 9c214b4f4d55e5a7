"""Cue-phrase tables and text helpers for the offline analyzer: clean Slack/Notion/Jira text, split it, read Jira fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from graph.evidence import Evidence, parse_iso


def _rx(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(phrases) + r")(?![\w-])", re.I)


SYMPTOM = _rx("invalid", "errors?", "fail(?:s|ed|ing|ure|ures)?", "rejected", "broken", "not working", "doesn'?t work",
              "does not work", "down", "outage", "can'?t", "cannot", "unable", "spike", "5\\d\\d", "timeouts?",
              "crash(?:es|ed|ing)?", "not loading")
ROOT_STRONG = _rx("root cause", "caused by", "the cause", "due to", "(?<!root )cause:", "cause as far as we can tell",
                  "found it", "culprit", "this change caused", "the reason", "(?:which|that|this) is why", "that'?s why", "broke")
ROOT = _rx("because", "never", "inactive", "not activated", "not active", "not enabled", "wasn'?t", "was not",
           "weren'?t", "missed", "misconfigured", "misconfiguration", "forgot", "forgotten", "expired", "disabled",
           "typo", "regression", "bug", "without", "instead of", "which meant", "led to", "resulted in", "ended up",
           "so (?:the|it|every|all|each|02:30|any)")
RESOLVED = _rx("fixed", "fix deployed", "deployed (?:a |the )?fix", "activated", "resolved", "rolled back", "reverted",
               "hotfix(?:ed)?", "working now", "works now", "works again", "working again", "works for", "mitigated",
               "restored", "back to normal", "go(?:es)? through")
IMPACT = _rx("customers?", "users?", "affected", "tickets?", "orders?", "revenue", "failed", "attempts", "lost",
             "abandoned", "checkouts", "sessions", "refunds?", "complaints?")
QUANTITY = re.compile(r"[€$£]\s?\d[\d,.]*k?|\b\d[\d,.]*\s?%|[~≈]\s?\d(?:[\d,.]*\d)?k?\b(?!:)|(?<![\w-])\d(?:[\d,.]*\d)?k?\s+(?:[a-z-]+\s+){0,2}(?:customers|users|orders|tickets"
                      r"|attempts|checkouts|requests|sessions|accounts|people|emails|uses|redemptions)\b", re.I)
# Contributing-factor themes, in the order they are reported; a sentence joins the theme it hits most.
THEMES: dict[str, re.Pattern[str]] = {
    "ownership": _rx("owner", "owned", "owns", "ownership", "unassigned", "no assignee", "(?:nobody|no one) (?:was assigned|claimed|owned|picked)",
                     "(?:not|wasn'?t) assigned", "nobody", "no one", "claimed", "responsible"),
    # 'checklist' alone is not here: every launch message names the checklist, few say what went wrong with it.
    "process": _rx("manual", "manually", "thought (?:it|that) was done", "assumed", "by hand", "runbook",
                   "smoke test"),
    "monitoring": _rx("no alert", "no alerting", "no monitoring", "not alerted", "nobody noticed", "didn'?t notice",
                      "unnoticed"),
    "cache": _rx("cache", "caching", "cached", "ttl", "stale"),
}
ACTION = _rx("we should", "we need to", "we must", "action items?", "todo", "to-do", "follow-ups?", "follow up",
             "let'?s make sure", "let us make sure", "next time")
ACTION_PREFIX = re.compile(r"^(?:we should|we need to|we must|let'?s make sure(?: that)?|let us make sure(?: that)?"
                           r"|action items?:?|todo:?|to-do:?|follow-?ups?:?)\s*", re.I)
META_ACTION = re.compile(r"\b(?:file|open|create|raise)\s+(?:a |an |the )?(?:follow-?ups?|tickets?|jira|issues?)\b", re.I)
FILED = re.compile(r"\b(?:filed|created|opened)\s+([A-Z][A-Z0-9]+-\d+)\s*,?\s*(?:so that|so|for|to)?\s*(.*)", re.I)
KEY_WITH_GIST = re.compile(r"\b([A-Z][A-Z0-9]+-\d+)\s*\(([^)]{3,80})\)")
NEGATED = re.compile(r"\b(?:not|never|isn'?t|wasn'?t|hasn'?t|haven'?t|didn'?t|no longer)\s+(?:\w+\s+){0,2}$", re.I)
OWNERSHIP_Q = re.compile(r"\bwho\b.*\b(?:own|owned|owns|owner|responsible|assigned)\b", re.I)
OWNERSHIP_A = _rx("nobody was assigned", "no one was assigned", "no owner", "no named owner", "unassigned",
                  "no assignee", "on me", "owned by", "owner was", "I own", "I owned", "nobody owned", "no one owned",
                  "no one claimed", "nobody claimed")
EARLIER = re.compile(r"\bsince (?:about |around |approx(?:imately|\.)? |~)?(\d{1,2}:\d{2})", re.I)
ACK = re.compile(r"^(?:thanks?|thank you|thx|ty|\+1|on it|ack|ok(?:ay)?|lgtm|nice|great|cool|awesome|will do|looking"
                 r"|same here|me too|yes|yep|nope|done|agreed|np)\b", re.I)
INTERJECTION = re.compile(r"^(?:(?:heads up|update|quick update|ok(?:ay)?|hey(?: all| team| everyone| folks)?"
                          r"|hi(?: all| team)?)\s*[:,!.\-–—]+|fyi\b[:,]?|psa\b[:,]?)\s*", re.I)
KEY = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b")
DONE = {"done", "resolved", "closed", "fixed", "complete", "completed"}
FOLLOW_UP_LABELS = {"followup", "actionitem", "postmortem", "postincident"}
SOURCE_RANK = {"slack": 0, "jira": 1, "notion": 2}
_FIELD = re.compile(r"\b(?:Assignee|Labels|Type|Issue type|Priority|Reporter|Status|Parent|Links?):\s*[^.\n]*\.?\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[~@#])")


@dataclass(frozen=True)
class Item:
    """One evidence item with what every section needs: its time, position and cleaned sentences."""

    e: Evidence
    dt: datetime | None
    order: int
    sents: tuple[str, ...]

    def sort_key(self) -> tuple:
        # Ties break on the evidence number, not input position, so reordered input gives the same report.
        number = int(self.e.id[1:]) if re.fullmatch(r"E\d+", self.e.id) else 1 << 30
        return (self.dt is None, self.dt or datetime.min.replace(tzinfo=UTC), self.e.at, number, self.order)


def clean_text(text: str) -> str:
    """Slack mrkdwn and Notion/Jira markdown -> plain text: links keep their label, ids and markup go."""
    t = re.sub(r"<(?:https?://|mailto:)[^|>]*\|([^>]*)>", r"\1", text)
    t = re.sub(r"<((?:https?://|mailto:)[^>|]*)>", r"\1", t)
    t = re.sub(r"<#[A-Z0-9]+\|([^>]*)>", r"#\1", t)
    t = re.sub(r"<@[A-Z0-9]+\|([^>]*)>", r"@\1", t)
    t = re.sub(r"<!(?:here|channel|everyone)[^>]*>", lambda m: "@" + m.group(0)[2:].split("|")[0].rstrip(">"), t)
    t = re.sub(r"<[@#!][^>]*>", "", t)
    t = re.sub(r"\[([^\]]+)\]\((?:https?://|mailto:)[^)]*\)", r"\1", t)
    t = re.sub(r"\s*\((?:https?://|mailto:)[^)\s]*\)", "", t)  # the Slack gatherer's 'label (url)'; the item links it
    t = re.sub(r"(?m)^[ \t]*\|?[ \t]*:?-{3,}.*$", "", t)  # table rulers
    t = re.sub(r"(?m)^[ \t]*\|(.*)\|[ \t]*$", lambda m: " ".join(c.strip() for c in m.group(1).split("|")), t)
    t = re.sub(r"(?m)^[ \t]*(?:#{1,6}\s+|[-*+]\s+\[[ xX]\]\s+|[-*+]\s+|>\s*|\d+\.\s+)", "", t)
    t = re.sub(r"(?<![\w*])\*\*?([^*\n]+?)\*\*?(?![\w*])", r"\1", t)
    t = re.sub(r"(?<![\w_])_([^_\n]+?)_(?![\w_])", r"\1", t)
    t = re.sub(r"`+([^`]*)`+", r"\1", t)
    t = re.sub(r":(?:\+1|-1|[a-z][a-z0-9_+\-]*):", "", t)
    t = re.sub(r"[ \t]+([.,;:!?])", r"\1", t)  # where a stripped id stood before punctuation
    t = t.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in t.splitlines()).strip()


def split_sentences(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in clean_text(text).splitlines():
        out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return tuple(out)


def make_item(e: Evidence, order: int) -> Item:
    try:
        dt = parse_iso(e.at)
    except ValueError:
        dt = None
    text = issue_body(e.text) if e.source == "jira" and e.kind == "issue" else e.text
    if e.source == "jira" and e.kind == "comment":
        text = re.sub(r"^\s*[A-Z][A-Z0-9]+-\d+ comment:\s*", "", text)
    return Item(e=e, dt=dt, order=order, sents=split_sentences(text))


def issue_body(text: str) -> str:
    """An issue's text without the 'KEY [Status]' head and 'Field: value.' parts, so only prose is scored."""
    body = re.sub(r"^\s*[A-Z][A-Z0-9]+-\d+\s*(?:\[[^\]]*\])?\s*", "", text)
    return _FIELD.sub("", body).strip()


def issue_fields(text: str) -> dict[str, str | list[str] | None]:
    status = re.match(r"^\s*[A-Z][A-Z0-9]+-\d+\s*\[([^\]]+)\]", text)
    assignee = re.search(r"\bAssignee:\s*([^.\n]+?)\s*(?:\.\s|\.$|\n|$)", text)
    labels = re.search(r"\bLabels:\s*([^.\n]*)", text)
    kind = re.search(r"\b(?:Issue type|Type):\s*([^.\n,]+)", text)
    who = clean_text(assignee.group(1)).lstrip("@").strip() if assignee else None
    if who and who.lower() in {"none", "unassigned", "nobody", "-", "n/a", "null"}:
        who = None
    return {
        "status": status.group(1).strip() if status else None,
        "assignee": who,
        "labels": [x.strip().lower() for x in labels.group(1).split(",") if x.strip()] if labels else [],
        "type": kind.group(1).strip() if kind else None,
        # The Jira gatherer writes 'Assignee: …' only when there is one, so no field means nobody was assigned.
        "unassigned": who is None,
    }


def change_status(text: str) -> str | None:
    """The status a Jira change moved to: 'MKT-151 status: In Progress → Done' -> 'Done'."""
    m = re.search(r"(?:→|->|=>)\s*\**\[?\"?([A-Za-z][\w ]*?)\"?\]?\**\s*(?:[.(,;]|$)", text)
    m = m or re.search(r"\bto\s+\[?\"?([A-Z][\w ]*?)\"?\]?\s*(?:[.(,;]|$)", text)
    return m.group(1).strip() if m else None


def is_follow_up_label(labels: list[str]) -> bool:
    return any(re.sub(r"[^a-z]", "", label) in FOLLOW_UP_LABELS for label in labels)


def is_chitchat(text: str) -> bool:
    """Acks, thanks, +1 and emoji-only messages carry no event of their own."""
    plain = re.sub(r"@[\w.\-]+(?: [A-Z][\w\-]+)?", "", clean_text(text))
    words = re.sub(r"[^\w+'\-]+", " ", plain).split()
    if len(words) <= 3:
        return True
    has_cue = any(rx.search(plain) for rx in (SYMPTOM, ROOT, RESOLVED, IMPACT, ACTION))
    return bool(ACK.match(plain.strip())) and len(words) <= 6 and not has_cue


def strip_interjection(sentence: str) -> str:
    return INTERJECTION.sub("", sentence).strip() or sentence


def shorten(text: str, limit: int = 200) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def cue_count(rx: re.Pattern[str], sentence: str) -> int:
    return len(rx.findall(sentence))


def positive(rx: re.Pattern[str], sentence: str) -> bool:
    """The cue occurs at least once without a negation just before it ('not fixed' is no fix)."""
    return any(not NEGATED.search(sentence[: m.start()]) for m in rx.finditer(sentence))
