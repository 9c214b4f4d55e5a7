"""The report as Markdown for terminals and files: [E1](url) citations, a timeline table, - [ ] action items."""

from __future__ import annotations

from graph.analyze.report import Claim, Report
from graph.evidence import Evidence
from graph.publish.blocks import (
    SNIPPET,
    SOURCE_NAMES,
    clean_text,
    fmt_time,
    issue_url,
    metric_lines,
    missing_sources,
    restricted_notice,
    where_label,
)
from graph.redact import redaction_summary
from graph.scope import describe_scope
from graph.terms import MARKER, incident_key


def cite(ids: list[str], by_id: dict[str, Evidence]) -> str:
    return "".join(f" [{e}]({by_id[e].url})" for e in ids if e in by_id)


def claim_md(claim: Claim, by_id: dict[str, Evidence]) -> str:
    unverified = not claim.verified or not any(e in by_id for e in claim.evidence)
    return clean_text(claim.text) + cite(claim.evidence, by_id) + (" *(unverified)*" if unverified else "")


def cell(value: str) -> str:
    """Table cell text: one line, pipes escaped so the row keeps its four columns."""
    return " ".join(clean_text(value).split()).replace("|", "\\|")


def timeline_md(report: Report, by_id: dict[str, Evidence]) -> list[str]:
    if not report.timeline:
        return ["*No timestamped events were found in the evidence.*"]
    lines = ["| Time (UTC) | Source | Event | Link |", "|---|---|---|---|"]
    for event in report.timeline:
        first = next((by_id[e] for e in event.evidence if e in by_id), None)
        source = SOURCE_NAMES.get(first.source, first.source) if first else ""
        link = f"[{cell(where_label(first))}]({first.url})" if first else "*(unverified)*"
        lines.append(f"| {fmt_time(event.at)} | {source} | {cell(event.event)}{cite(event.evidence[1:], by_id)} "
                     f"| {link} |")
    return lines


def actions_md(report: Report, evidence: list[Evidence], by_id: dict[str, Evidence]) -> list[str]:
    if not report.action_items:
        return ["*No action items were found in the evidence.*"]
    lines = []
    for item in report.action_items:
        url = issue_url(item.jira, evidence) if item.jira else None
        owner = item.owner or "*no owner named*"
        if item.owner and url:
            owner = f"[{item.owner}]({url})"
        key = (f" · [{item.jira}]({url})" if url else f" · {item.jira}") if item.jira else ""
        box = "x" if item.done else " "
        lines.append(f"- [{box}] {clean_text(item.text)} — {owner}{key}{cite(item.evidence, by_id)}")
    return lines


def listing(items: list[str], empty: str) -> list[str]:
    return [f"- {clean_text(x)}" for x in items] or [f"*{empty}*"]


def evidence_md(ev: Evidence) -> str:
    snippet = clean_text(" ".join(ev.text.split()))
    snippet = snippet if len(snippet) <= SNIPPET else snippet[:SNIPPET - 1].rstrip() + "…"
    meta = " · ".join(x for x in (SOURCE_NAMES.get(ev.source, ev.source), fmt_time(ev.at), ev.author) if x)
    return f"- **{ev.id}** · {meta} · [{where_label(ev)}]({ev.url}) — {snippet}"


def report_markdown(report: Report, evidence: list[Evidence], *, incident: str, analyzer: str,
                    sources: dict[str, dict], page_url: str | None = None, restricted: str | None = None,
                    redactions: dict[str, int] | None = None, scope: dict | None = None) -> str:
    """The same report the Notion page shows, as Markdown."""
    by_id = {ev.id: ev for ev in evidence}
    out = [f"# {clean_text(report.title)}", "",
           f"*{MARKER} {incident_key(incident)} · drafted by postmortem ({analyzer})*"]
    if page_url:
        out.append(f"*Notion page: {page_url}*")
    if restricted:
        out += ["", f"> 🔒 {restricted_notice(restricted)}"]
    gaps = missing_sources(sources)
    if gaps:
        out += ["", "> ⚠️ Some sources could not be read, so this report may be incomplete: " + "; ".join(gaps)]
    sections = [
        ("Summary", [clean_text(report.summary) + cite(report.summary_evidence, by_id)]),
        ("Impact", [clean_text(report.impact) + cite(report.impact_evidence, by_id)]),
        ("Detection", [clean_text(report.detection) + cite(report.detection_evidence, by_id)]),
        ("Timeline", timeline_md(report, by_id)),
        ("Root cause", [claim_md(report.root_cause, by_id)]),
        ("Contributing factors", [f"- {claim_md(c, by_id)}" for c in report.contributing_factors]
         or ["*None identified.*"]),
        ("Resolution", [claim_md(report.resolution, by_id)]),
        ("Action items", actions_md(report, evidence, by_id)),
        ("Lessons", [f"- {clean_text(x.text)}{cite(x.evidence, by_id)}" for x in report.lessons]
         or ["*None recorded.*"]),
        ("Open questions", listing(report.open_questions, "None.")),
        ("Metrics", listing(metric_lines(report), "Not enough timestamps.")),
        ("Evidence", [evidence_md(ev) for ev in evidence] or ["*No evidence was gathered.*"]),
    ]
    for title, lines in sections:
        out += ["", f"## {title}", "", *lines]
    out += ["", "---", f"*Drafted by postmortem ({analyzer}) from {len(evidence)} evidence items.*"]
    if redaction_summary(redactions):
        out.append(f"*{redaction_summary(redactions)}.*")
    if describe_scope(scope):
        out.append(f"*{describe_scope(scope)}*")
    out += [f"*{clean_text(note)}*" for note in report.notes]
    return "\n".join(out) + "\n"
