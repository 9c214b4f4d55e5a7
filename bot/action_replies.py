"""The parts of replies that belong to the result's buttons: the buttons themselves, and what ticket creation says."""

from __future__ import annotations


def action_buttons(run_id: str, open_items: int) -> dict:
    """Refresh; and Create Jira tickets when `open_items` action items have none."""
    buttons = []
    if open_items:
        buttons.append({"type": "button", "action_id": "postmortem_tickets", "value": run_id, "style": "primary",
                        "text": {"type": "plain_text", "text": f"Create Jira tickets ({open_items})"}})
    buttons.append({"type": "button", "action_id": "postmortem_refresh", "value": run_id,
                    "text": {"type": "plain_text", "text": "Refresh"}})
    return {"type": "actions", "block_id": "postmortem_actions", "elements": buttons}


def tickets_reply(user: str, made: list[dict], link: str | None, note: str = "") -> str:
    """What the thread is told after the modal: the tickets made (or found), and what could not be made."""
    done = [m for m in made if m.get("key")]
    lines = [f"<{m['url']}|{m['key']}>" if m.get("url") else m["key"] for m in done]
    head = (f":ticket: <@{user}> created {len(done)} Jira ticket(s): {', '.join(lines)}"
            + (f", each related to {link}." if link and done else ".")) if done else f":ticket: <@{user}>: no ticket made."
    problems = [f"• {m.get('error')}" for m in made if m.get("error")]
    return "\n".join([head, *problems, *([note] if note else [])])
