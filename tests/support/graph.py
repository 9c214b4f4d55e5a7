"""Helpers for graph tests: run the graph against a sandbox through the real clients."""

from __future__ import annotations

from cli.commands import sandbox_overrides
from graph.result import build_result
from graph.runner import run_incident


def run_on(sb, tmp_path, incident: str = "summer25", events: list | None = None, **inputs) -> dict:
    """Run the graph once on the sandbox and return the run-result object (run_id added)."""
    overrides = sandbox_overrides(sb) | {"checkpoint_db": str(tmp_path / "runs.sqlite"), "openai_api_key": ""}
    overrides |= inputs.pop("overrides", {})
    on_progress = (lambda node, update: events.append((node, update))) if events is not None else None
    run_id, state = run_incident({"incident": incident, "offline": True, **inputs}, overrides=overrides,
                                 on_progress=on_progress)
    result = build_result(incident, state)
    result["run_id"] = run_id
    result["markdown"] = state.get("markdown")
    return result


def by_ref(result: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for ev in result["evidence"]:
        out.setdefault(ev["ref"], []).append(ev)
    return out


def page_blocks(sb, page_id: str) -> list:
    """The live top-level blocks of a page in the sandbox's Notion store, with the report's container (an original
    synced block, graph/publish/container.py) opened in place: the blocks a reader sees."""
    notion, out = sb.state("notion"), []
    for c in notion.live_children(page_id):
        block = notion.blocks.get(c)
        if block is not None and block.type == "synced_block" and not block.data.get("synced_from"):
            out += [notion.blocks[k] for k in notion.live_children(c) if k in notion.blocks]
        elif block is not None:
            out.append(block)
    return out


def page_texts(sb, page_id: str) -> list[str]:
    """Every rich-text string on a page, nested blocks and table cells included, in order."""
    notion, out = sb.state("notion"), []

    def walk(bid: str) -> None:
        for c in notion.live_children(bid):
            b = notion.blocks.get(c)
            if b is None:
                continue
            cells = b.data.get("cells") or [b.data.get("rich_text", [])]
            out.append(" ".join("".join(t.get("plain_text") or t.get("text", {}).get("content", "") for t in cell)
                                for cell in cells))
            walk(c)

    walk(page_id)
    return out


def report_pages(sb, key: str = "summer25") -> list:
    """Published post-mortem pages (not trashed) whose marker names this incident key."""
    notion = sb.state("notion")
    return [p for p in notion.pages.values() if not p.in_trash and notion.title_of(p.id).startswith("Post-mortem")
            and any(f"Incident key: {key}" in t for t in page_texts(sb, p.id)[:1])]
