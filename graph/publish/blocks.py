"""The report as native Notion block requests: callouts, headings, a timeline table, to-dos and cited bullets."""

from __future__ import annotations

import re

from graph.analyze.report import Claim, Report
from graph.evidence import Evidence
from graph.publish.marker import marker_line
from graph.redact import redaction_summary
from graph.scope import describe_scope

MAX_TEXT = 2000  # Notion's limit for one rich text item's content
MAX_ITEMS = 100  # Notion's limit for rich text items in one block
SNIPPET = 280
SOURCE_NAMES = {"slack": "Slack", "notion": "Notion", "jira": "Jira"}
_SLACK_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_SLACK_LINK = re.compile(r"<(?:#[A-Z0-9]+\||(?:https?|mailto):[^|>]*\|)([^>]*)>")
_SLACK_BARE = re.compile(r"<((?:https?|mailto):[^|>]*)>")
_BROWSE = re.compile(r"^(.*/browse/)[A-Z][A-Z0-9]*-\d+")


def clean_text(text: str) -> str:
    """Slack markup to readable text: mentions show names (never raw ids), links show their labels."""
    text = _SLACK_USER.sub(lambda m: "@" + (m[2] or "someone"), text)
    return _SLACK_BARE.sub(r"\1", _SLACK_LINK.sub(r"\1", text))


def fmt_time(at: str | None) -> str:
    """'2025-08-04T09:07:22Z' -> '2025-08-04 09:07:22' (always UTC)."""
    return (at or "").replace("T", " ").removesuffix("Z")


def where_label(ev: Evidence) -> str:
    """How a person recognises the item's place: '#marketing-ops', 'MKT-151' or the page title."""
    if ev.source == "slack":
        return f"#{ev.channel}" if ev.channel else "Slack message"
    if ev.source == "jira":
        return ev.key or ev.ref
    return ev.title or "Notion page"


def issue_url(key: str, evidence: list[Evidence]) -> str | None:
    """The browse URL of a Jira key, from its own evidence or built from another issue's URL on the same site."""
    for ev in evidence:
        if ev.source == "jira" and (ev.key or ev.ref) == key:
            return ev.url
    for ev in evidence:
        m = _BROWSE.match(ev.url) if ev.source == "jira" else None
        if m:
            return m[1] + key
    return None


def missing_sources(sources: dict[str, dict]) -> list[str]:
    """'Jira (failed: Jira answered 503 three times)' for every source whose status is not ok."""
    out = []
    for name, info in sources.items():
        status = (info or {}).get("status", "ok")
        if status != "ok":
            error = (info or {}).get("error")
            out.append(f"{SOURCE_NAMES.get(name, name)} ({status}{': ' + error if error else ''})")
    return out


def text(content: str, url: str | None = None, **annotations: bool | str) -> list[dict]:
    """Rich text items for one run of text, split so no item exceeds Notion's 2,000 characters."""
    content = clean_text(content)
    pieces = [content[i:i + MAX_TEXT] for i in range(0, len(content), MAX_TEXT)] or [""]
    out = []
    for piece in pieces:
        item: dict = {"type": "text", "text": {"content": piece, "link": {"url": url} if url else None}}
        if annotations:
            item["annotations"] = annotations
        out.append(item)
    return out


def citations(ids: list[str], by_id: dict[str, Evidence]) -> list[dict]:
    """' [E3] [E5]' with each id linking to the evidence a reader can open."""
    out: list[dict] = []
    for eid in ids:
        if eid in by_id:
            out += text(" ")
            out += text(f"[{eid}]", by_id[eid].url)
    return out


def claim_text(claim: Claim, by_id: dict[str, Evidence]) -> list[dict]:
    out = text(claim.text) + citations(claim.evidence, by_id)
    if not claim.verified or not any(e in by_id for e in claim.evidence):
        out += text(" (unverified)", italic=True, color="gray")
    return out


def block(kind: str, rich: list[dict], **extra) -> list[dict]:
    """One block, or several when the rich text exceeds Notion's 100 items per block."""
    chunks = [rich[i:i + MAX_ITEMS] for i in range(0, len(rich), MAX_ITEMS)] or [[]]
    return [{"object": "block", "type": kind, kind: {"rich_text": chunk, **extra}} for chunk in chunks]


def heading(title: str) -> list[dict]:
    return block("heading_2", text(title))


def callout(rich: list[dict], emoji: str, color: str) -> list[dict]:
    return block("callout", rich, icon={"type": "emoji", "emoji": emoji}, color=color)


def bullets(items: list[list[dict]], empty: str) -> list[dict]:
    if not items:
        return block("paragraph", text(empty, italic=True))
    return [b for rich in items for b in block("bulleted_list_item", rich)]


def timeline_table(report: Report, by_id: dict[str, Evidence]) -> list[dict]:
    if not report.timeline:
        return block("paragraph", text("No timestamped events were found in the evidence.", italic=True))
    rows = [_row([text("Time (UTC)"), text("Source"), text("Event"), text("Link")])]
    for event in report.timeline:
        first = next((by_id[e] for e in event.evidence if e in by_id), None)
        source = SOURCE_NAMES.get(first.source, first.source) if first else ""
        link = text(where_label(first), first.url) if first else text("(unverified)", italic=True)
        rows.append(_row([text(fmt_time(event.at)), text(source),
                          text(event.event) + citations(event.evidence[1:], by_id), link]))
    table = {"table_width": 4, "has_column_header": True, "has_row_header": False, "children": rows}
    return [{"object": "block", "type": "table", "table": table}]


def _row(cells: list[list[dict]]) -> dict:
    return {"object": "block", "type": "table_row", "table_row": {"cells": [c[:MAX_ITEMS] for c in cells]}}


def action_todos(report: Report, evidence: list[Evidence], by_id: dict[str, Evidence]) -> list[dict]:
    if not report.action_items:
        return block("paragraph", text("No action items were found in the evidence.", italic=True))
    out = []
    for item in report.action_items:
        url = issue_url(item.jira, evidence) if item.jira else None
        rich = text(item.text) + text(" — ")
        rich += text(item.owner, url, bold=True) if item.owner else text("no owner named", italic=True)
        if item.jira:
            rich += text(" · ") + text(item.jira, url, code=True)
        out += block("to_do", rich + citations(item.evidence, by_id), checked=item.done)
    return out


def metric_lines(report: Report) -> list[str]:
    m = report.metrics
    lines = [f"{label}: {fmt_time(at)} UTC" for label, at in
             (("Started", m.started), ("Detected", m.detected), ("Resolved", m.resolved)) if at]
    for label, secs in (("Time to detect", m.time_to_detect_s), ("Time to resolve", m.time_to_resolve_s)):
        if secs is not None:
            lines.append(f"{label}: {duration(secs)}")
    return lines


def duration(secs: int) -> str:
    hours, rest = divmod(int(secs), 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * bool(minutes) + [f"{seconds} s"] * bool(seconds)
    return " ".join(parts) or "0 s"


def evidence_line(ev: Evidence) -> list[dict]:
    snippet = clean_text(" ".join(ev.text.split()))
    snippet = snippet if len(snippet) <= SNIPPET else snippet[:SNIPPET - 1].rstrip() + "…"
    meta = " · ".join(x for x in (SOURCE_NAMES.get(ev.source, ev.source), fmt_time(ev.at), ev.author) if x)
    return (text(ev.id, bold=True) + text(f" · {meta} · ") + text(where_label(ev), ev.url)
            + text(f" — {snippet}", color="gray"))


def restricted_notice(channel_name: str) -> str:
    return (f"Restricted: this report uses messages from the private Slack conversation #{channel_name}. "
            "Share it only with that conversation's members.")


def report_blocks(report: Report, evidence: list[Evidence], *, incident: str, analyzer: str,
                  sources: dict[str, dict], restricted: str | None = None,
                  redactions: dict[str, int] | None = None, scope: dict | None = None) -> list[dict]:
    """Every section as native blocks; each claim carries links to the evidence behind it."""
    by_id = {ev.id: ev for ev in evidence}
    cite = {"summary": report.summary_evidence, "impact": report.impact_evidence,
            "detection": report.detection_evidence}
    out = block("paragraph", text(marker_line(incident, analyzer, sources), color="gray"))  # read back on re-runs
    if restricted:
        out += callout(text(restricted_notice(restricted)), "🔒", "red_background")
    out += heading("Summary") + callout(text(report.summary) + citations(cite["summary"], by_id), "📝",
                                        "blue_background")
    gaps = missing_sources(sources)
    if gaps:
        out += callout(text("Some sources could not be read, so this report may be incomplete: " + "; ".join(gaps)),
                       "⚠️", "yellow_background")
    for title, key in (("Impact", "impact"), ("Detection", "detection")):
        out += heading(title) + block("paragraph", text(getattr(report, key)) + citations(cite[key], by_id))
    out += heading("Timeline") + timeline_table(report, by_id)
    out += heading("Root cause") + block("paragraph", claim_text(report.root_cause, by_id))
    out += heading("Contributing factors") + bullets([claim_text(c, by_id) for c in report.contributing_factors],
                                                     "None identified.")
    out += heading("Resolution") + block("paragraph", claim_text(report.resolution, by_id))
    out += heading("Action items") + action_todos(report, evidence, by_id)
    out += heading("Lessons") + bullets([text(x.text) + citations(x.evidence, by_id) for x in report.lessons],
                                        "None recorded.")
    out += heading("Open questions") + bullets([text(x) for x in report.open_questions], "None.")
    out += heading("Metrics") + bullets([text(x) for x in metric_lines(report)], "Not enough timestamps.")
    out += heading("Evidence") + bullets([evidence_line(ev) for ev in evidence], "No evidence was gathered.")
    footer = f"Drafted by postmortem ({analyzer}) from {len(evidence)} evidence items. " \
             "Every [E…] link opens its source; running it again for this incident updates this page."
    if redaction_summary(redactions):
        footer += f" {redaction_summary(redactions)}."
    if describe_scope(scope):
        footer += f" {describe_scope(scope)}"
    out += [{"object": "block", "type": "divider", "divider": {}}]
    out += block("paragraph", text(footer, italic=True, color="gray"))
    return out + [b for note in report.notes for b in block("paragraph", text(note, italic=True, color="gray"))]
