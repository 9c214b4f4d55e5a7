"""Human-readable progress lines from the graph's per-node updates (for the terminal and the Slack thread)."""

from __future__ import annotations

LABELS = {"slack": ("Slack", "message"), "notion": ("Notion", "page"), "jira": ("Jira", "ticket item")}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def source_line(name: str, result: dict | None) -> str:
    label, word = LABELS[name]
    if not result:
        return f"{label}: …"
    if result.get("status") == "failed":
        return f"{label}: unreachable"
    if result.get("status") == "skipped":
        return f"{label}: skipped"
    return f"{label}: {plural(len(result.get('items', [])), word)}"


def describe(node: str, update: dict) -> str:
    """One line for one finished node."""
    if node == "plan":
        p = update["plan"]
        return f"plan: terms {', '.join(p['terms']) or '(thread)'}; window {p['window']['oldest']} – {p['window']['latest']}"
    if node.startswith("gather_"):
        name = node.removeprefix("gather_")
        line = source_line(name, update.get(name))
        err = (update.get(name) or {}).get("error")
        return line + (f" ({err})" if err else "")
    if node == "follow_references":
        return f"references: {len(update.get('evidence', []))} evidence items kept, {update.get('dropped', 0)} over budget"
    if node == "analyze":
        return f"analyzed ({update.get('analyzer')})"
    if node == "publish":
        page = update.get("page")
        if update.get("outcome"):
            return f"not published: the page was kept as it was ({page['url']})"
        return f"published: {page['url']} ({page['action']})" if page else f"publish failed: {update.get('publish_error')}"
    return node
