"""`@postmortem redraft <section> <instructions>` in a result's thread: the section drafted again, shown as a diff
with Approve and Discard; Approve changes only that section of the page."""

from __future__ import annotations

import logging
import uuid

from bot.config import Settings
from bot.run_access import RunRefused, check_may_act, load_run, run_in_thread
from bot.slack_api import SlackAPI
from graph.analyze import redraft as sections
from graph.configuration import Configuration
from graph.runner import amend_state

log = logging.getLogger(__name__)
USAGE = ("Say which section and how, in the post-mortem's thread: `@postmortem redraft root cause make it name the "
         "deploy`. Sections: " + ", ".join(sections.SECTIONS) + ".")
MAX_DIFF = 2800  # a section block holds 3,000 characters


def propose(settings: Settings, api: SlackAPI, channel: str, thread_ts: str | None, user: str, words: str) -> None:
    """Draft the section again and post the diff with the buttons (the page is not touched yet)."""
    if not thread_ts:
        api.post_ephemeral(channel, user, "Ask for a redraft in the thread of the post-mortem's reply. " + USAGE)
        return
    asked = sections.parse(words)
    if asked is None:
        api.post_ephemeral(channel, user, USAGE, thread_ts=thread_ts)
        return
    section, instructions = asked
    run_id = run_in_thread(api.thread_messages(channel, thread_ts))
    if not run_id:
        api.post_ephemeral(channel, user, "This thread has no post-mortem of mine to redraft.", thread_ts=thread_ts)
        return
    state = load_run(settings, run_id)
    check_may_act(state, user, "redraft it")
    cfg = Configuration.from_runnable_config({"configurable": settings.graph_overrides})
    new, analyzer = sections.redraft(state["report"], state.get("evidence") or [], state.get("incident") or "",
                                     section, instructions, cfg, state.get("people"))
    draft_id = uuid.uuid4().hex[:8]
    drafts = dict(state.get("drafts") or {})
    drafts[draft_id] = {"section": section, "report": new, "by": user, "instructions": instructions}
    amend_state(run_id, {"drafts": drafts}, overrides=settings.graph_overrides)
    before, after = sections.section_text(state["report"], section), sections.section_text(new, section)
    changed = before != after
    diff = "\n".join(sections.diff_lines(before, after))[:MAX_DIFF]
    how = "the model" if analyzer.startswith("llm") else "the offline analyzer (it does not take instructions)"
    head = (f"Redraft of *{sections.SECTIONS[section][1]}* asked by <@{user}>, drafted by {how}."
            + ("" if changed else " It came out the same as the page's."))
    value = f"{run_id}:{draft_id}"
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": head}},
              {"type": "section", "text": {"type": "mrkdwn", "text": f"```\n{diff}\n```"}},
              {"type": "actions", "block_id": "postmortem_redraft", "elements": [
                  {"type": "button", "action_id": "postmortem_redraft_approve", "style": "primary", "value": value,
                   "text": {"type": "plain_text", "text": "Approve"}},
                  {"type": "button", "action_id": "postmortem_redraft_discard", "value": value,
                   "text": {"type": "plain_text", "text": "Discard"}}]}]
    api.post_message(channel, head, thread_ts=thread_ts, blocks=blocks)


def decide(settings: Settings, api: SlackAPI, body: dict, approve: bool, logger: logging.Logger) -> None:
    """Approve: that section of the page replaced, the run's report updated; Discard: the draft dropped. Either way
    the diff message says who decided and loses its buttons, so a second click does nothing."""
    user, (run_id, draft_id) = body["user"]["id"], body["actions"][0]["value"].split(":", 1)
    channel, msg = (body.get("channel") or {}).get("id", ""), body.get("message") or {}
    thread_ts = msg.get("thread_ts") or msg.get("ts")
    try:
        state = load_run(settings, run_id)
        check_may_act(state, user, "decide on this redraft")
        drafts = dict(state.get("drafts") or {})
        draft = drafts.pop(draft_id, None)
        if draft is None:
            api.post_ephemeral(channel, user, "This redraft was already approved or discarded.", thread_ts=thread_ts)
            return
        title = sections.SECTIONS[draft["section"]][1]
        update: dict = {"drafts": drafts}
        if approve:
            _replace_on_page(settings, state, draft, title)
            update["report"] = draft["report"]
        amend_state(run_id, update, overrides=settings.graph_overrides)
        verdict = (f":white_check_mark: <@{user}> approved: the page's *{title}* section now reads as redrafted."
                   if approve else f":wastebasket: <@{user}> discarded this redraft of *{title}*; the page is unchanged.")
        kept = [b for b in msg.get("blocks") or [] if b.get("type") != "actions"]
        api.update_message(channel, msg["ts"], verdict, blocks=[*kept, {"type": "context", "elements": [
            {"type": "mrkdwn", "text": verdict}]}])
    except (RunRefused, LookupError) as exc:
        api.post_ephemeral(channel, user, f":no_entry: {exc}", thread_ts=thread_ts)
    except Exception as exc:  # noqa: BLE001 - the thread hears about it; the draft stays for another try
        logger.exception("redraft decision on %s failed", run_id)
        api.post_message(channel, f":x: I couldn't update the page ({type(exc).__name__}: {exc}); the redraft is "
                         "kept, so Approve can be pressed again.", thread_ts=thread_ts)


def _replace_on_page(settings: Settings, state: dict, draft: dict, title: str) -> None:
    from graph.analyze.report import Report
    from graph.evidence import Evidence
    from graph.publish.blocks import report_blocks
    from graph.publish.notion_io import make_client
    from graph.publish.sections import replace_section
    from graph.publish.sections import section as find_section
    from graph.result import sources_summary

    cfg = Configuration.from_runnable_config({"configurable": settings.graph_overrides})
    page = state.get("page") or {}
    if not page.get("id"):
        raise LookupError("this run published no page, so there is no section to replace")
    evidence = [Evidence.model_validate(e) for e in state.get("evidence") or []]
    blocks = report_blocks(Report(**draft["report"]), evidence, incident=(state.get("plan") or {}).get("key", ""),
                           analyzer=state.get("analyzer", "offline"), sources=sources_summary(state),
                           scope=state.get("scope"))
    read = _as_read(blocks)
    head, under = find_section(read, title)
    start = read.index(head) + 1
    new = blocks[start:start + len(under)]  # the request blocks themselves, as a publish writes them
    replace_section(make_client(cfg.notion_token, cfg.notion_base_url, cfg.http_timeout_s), page["id"], title, new)


def _as_read(blocks: list[dict]) -> list[dict]:
    """Request blocks carry `text.content`; the section finder reads `plain_text` as Notion answers it."""
    out = []
    for b in blocks:
        body = b.get(b["type"], {})
        rich = [{**t, "plain_text": (t.get("text") or {}).get("content", "")} for t in body.get("rich_text", [])]
        out.append({**b, b["type"]: {**body, "rich_text": rich}} if "rich_text" in body else b)
    return out
