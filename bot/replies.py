"""What the bot says in Slack: usage, the result reply (Block Kit plus plain-text fallback) and failure replies."""

from __future__ import annotations

import re

from bot.action_replies import action_buttons
from graph.incident_text import strip_invisible
from graph.progress import source_line
from graph.redact import env_redactor

USAGE = ("*How to use me*\n"
         "• `/postmortem summer25` writes the post-mortem for an incident and replies in a thread here.\n"
         "• `@postmortem summer25` in a channel does the same in the thread of your message.\n"
         "• `@postmortem` inside a thread writes it for the incident discussed in that thread.\n"
         "• `/postmortem doctor` checks the setup (tokens, scopes, channels, where reports go); only you see it.\n"
         "I read Slack, Notion and Jira, publish the report to Notion and post the link.")
HELP_WORDS = frozenset({"help", "?", "-h", "--help", "usage"})  # what asks for USAGE, in a command or a mention
SECTION_MAX = 2900  # Slack caps section text at 3000 characters
SNIPPET_MAX = 3500  # keep each Markdown message readable and well under Slack's 40k limit
ECHO_MAX = 100  # what the bot repeats of someone's text: enough to recognise it, never a wall of it


def _clip(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so report text cannot ping people or break formatting."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def echo(text: str, limit: int = ECHO_MAX) -> str:
    """A person's text as the bot repeats it: invisible and direction-changing characters gone (so it cannot
    reverse the rest of the line), credentials redacted (before clipping, which could cut one past recognition),
    clipped with an ellipsis, escaped so it cannot ping anyone or become a link."""
    return escape(_clip(env_redactor().text(strip_invisible(text)), limit))


def sources_line(sources: dict) -> str:
    parts = []
    for name in ("slack", "notion", "jira"):
        s = sources.get(name) or {}
        result = {"status": s.get("status"), "items": [None] * int(s.get("items") or 0)}
        parts.append(source_line(name, result))
    return " · ".join(parts)


def missing_sources(sources: dict) -> list[str]:
    out = []
    for name, label in (("slack", "Slack"), ("notion", "Notion"), ("jira", "Jira")):
        s = sources.get(name) or {}
        if s.get("status") in ("failed", "skipped"):
            out.append(f"{label} ({s.get('error') or s['status']})")
    return out


def _action(item: dict) -> str:
    owner = f" — *{escape(item['owner'])}*" if item.get("owner") else " — _no owner yet_"
    jira = f" ({escape(item['jira'])})" if item.get("jira") else ""
    return f"• {escape(_clip(item.get('text', ''), 200))}{owner}{jira}"


def result_reply(result: dict, run_id: str | None, *, tickets: bool = False) -> tuple[str, list[dict]]:
    """The final thread reply for a published (created or updated) post-mortem; with a run id, its buttons: Refresh,
    and "Create Jira tickets" while some action item has none (`tickets`: Jira is configured)."""
    page, report = result["page"], result.get("report") or {}
    verb = "updated" if page.get("action") == "updated" else "created"
    title = echo(page.get("title") or result["incident"], 2 * ECHO_MAX)
    text = f"Post-mortem {verb}: {page['url']}"
    head = f"*<{page['url']}|{title}>*\n" + (
        "I updated the existing post-mortem page with what I found." if verb == "updated"
        else "I created a new post-mortem page in Notion.")
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    if report.get("summary"):
        blocks.append(_section(f"*Summary*\n{escape(_clip(report['summary'], 600))}"))
    root = (report.get("root_cause") or {}).get("text")
    if root:
        blocks.append(_section(f"*Root cause:* {escape(_clip(root.splitlines()[0], 280))}"))
    items = report.get("action_items") or []
    if items:
        lines = [_action(i) for i in items[:8]]
        more = f"\n…and {len(items) - 8} more in the page" if len(items) > 8 else ""
        blocks.append(_section("*Action items*\n" + "\n".join(lines) + more))
    context = f"Sources: {sources_line(result.get('sources') or {})}"
    missing = missing_sources(result.get("sources") or {})
    if missing:
        context += f"\nMissing: {escape('; '.join(missing))} — the report says what it could not check."
    if run_id:
        context += f"\nRun `{run_id}`"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    if run_id:
        blocks.append(action_buttons(run_id, sum(not i.get("jira") for i in items) if tickets else 0))
    fallback = text + (f"\nRoot cause: {_clip(root, 280)}" if root else "")
    return fallback, blocks


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip_keep_lines(text, SECTION_MAX)}}


def _clip_keep_lines(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


NO_TARGET = "no notion page to publish under"  # how graph/publish words a workspace with nowhere to publish


def explain(error: str | None) -> str:
    """A failure reason in words a person understands (the raw reason stays in the logs)."""
    e = (error or "").lower()
    if NO_TARGET in e:
        return "there is no Notion page to publish under yet (I told you privately what to set)"
    if "private conversation" in e:
        return ("it uses this private conversation, and no Notion page that only its members can open is set up "
                "(NOTION_RESTRICTED_PARENT_PAGE_ID), so it stays here")
    if re.search(r"\b(503|502|504|500|unavailable|internal)", e):
        return "Notion is not answering right now (it returned a server error)"
    if re.search(r"\b(401|unauthorized|invalid_auth|token)", e):
        return "Notion refused the bot's token; NOTION_TOKEN needs checking"
    if re.search(r"\b(404|object_not_found|not shared|parent)", e):
        return "the Notion parent page isn't shared with the integration"
    if re.search(r"\b(429|rate)", e):
        return "Notion kept asking me to slow down (rate limited)"
    if "could not be reached" in e or "connection" in e or "timeout" in e or "timed out" in e:
        return "I could not reach Notion"
    return f"publishing failed ({_clip(env_redactor().text(error or 'unknown reason'), 200)})"


def publish_failed_reply(incident: str, error: str | None, run_id: str | None, has_markdown: bool) -> str:
    lines = [f":warning: I wrote the post-mortem for *{echo(incident)}* but couldn't publish it to Notion: "
             f"{explain(error)}."]
    if has_markdown:
        lines.append("The full report is below as Markdown, so nothing is lost.")
    if run_id:
        lines.append(f"To publish it once Notion is back, run `postmortem resume {run_id}` (run id `{run_id}`).")
    return "\n".join(lines)


def setup_hint(error: str | None) -> str | None:
    """What the requester alone is told when Notion has nowhere to publish: what to set, the candidate pages."""
    if NO_TARGET not in (error or "").lower():
        return None
    return (":wrench: Only you see this. To publish post-mortems I need a Notion page to put them under: set "
            "NOTION_PARENT_PAGE_ID to a page shared with the integration, or create one titled \"Post Mortems\" (or "
            "\"Incident reviews\", \"Retrospectives\"…) and share it with the integration. `postmortem doctor` "
            f"checks the whole setup.\n> {_clip(env_redactor().text(error or ''), 900)}")


def crashed_reply(incident: str, error: str, run_id: str | None) -> str:
    why = _clip(env_redactor().text(error), 300)  # an exception message may quote the request or a URL
    out = f":x: Something went wrong while writing the post-mortem for *{echo(incident)}*: {escape(why)}."
    if run_id:
        out += f"\nWhat was gathered is saved: `postmortem resume {run_id}` picks it up again (run id `{run_id}`)."
    else:
        out += "\nNothing was published. Try again in a minute; if it keeps failing, tell whoever runs the bot."
    return out


def markdown_snippets(markdown: str) -> list[str]:
    """The report as code-fenced messages, split on line boundaries so each stays readable."""
    pieces = []
    for line in markdown.replace("```", "'''").splitlines():
        pieces.extend(line[i:i + SNIPPET_MAX] for i in range(0, max(len(line), 1), SNIPPET_MAX))
    chunks: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        if chunks[-1] and size + len(piece) + 1 > SNIPPET_MAX:
            chunks.append([])
            size = 0
        chunks[-1].append(piece)
        size += len(piece) + 1
    texts = ["\n".join(c).strip("\n") for c in chunks]
    return [f"```\n{t}\n```" for t in texts if t.strip()]


def deferred_reply(run_id: str) -> str:
    return (f":hourglass_flowing_sand: I'm restarting before I could start this post-mortem. It is saved, and I'll "
            f"write it as soon as I'm back (run `{run_id}`).")


def paused_reply(run_id: str) -> str:
    return (f":double_vertical_bar: I'm restarting in the middle of this post-mortem. Everything gathered so far is "
            f"saved; I'll continue from there when I'm back (run `{run_id}`).")


def takeover_reply(run_id: str) -> str:
    return (f":arrows_counterclockwise: The instance writing this post-mortem stopped; another one picks it up where "
            f"it stopped (run `{run_id}`).")


def resumed_reply(run_id: str, status: str) -> str:
    where = "where it stopped" if status in ("running", "interrupted") else "now"
    return f":arrows_counterclockwise: I'm back after a restart and am picking this post-mortem up {where} (run `{run_id}`)."

