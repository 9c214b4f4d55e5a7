"""Editing one part of a published report in place: a section's blocks (an approved redraft), ticket keys on to-dos."""

from __future__ import annotations

from notion_client import Client

from graph.publish.blocks import text
from graph.publish.container import is_container
from graph.publish.notion_io import PublishError, call, delete_block, iter_children


def plain(block: dict) -> str:
    return "".join(t.get("plain_text") or (t.get("text") or {}).get("content", "")
                   for t in (block.get(block.get("type", ""), {}) or {}).get("rich_text", []))


def report_blocks_of(client: Client, page_id: str) -> tuple[str, list[dict]]:
    """The container holding the report on the page, and its top-level blocks."""
    holder = next((b for b in iter_children(client, page_id) if is_container(b)), None)
    if holder is None:
        raise PublishError("the page holds no report written by this bot (was it edited by hand?)", "no_report")
    return holder["id"], list(iter_children(client, holder["id"]))


def section(blocks: list[dict], title: str) -> tuple[dict, list[dict]]:
    """The heading titled `title` and the blocks under it, up to the next heading."""
    for i, b in enumerate(blocks):
        if b.get("type") == "heading_2" and plain(b).strip() == title:
            rest = blocks[i + 1:]
            end = next((j for j, x in enumerate(rest) if x.get("type") == "heading_2"), len(rest))
            return b, rest[:end]
    raise PublishError(f"the page has no '{title}' section", "no_section")


def replace_section(client: Client, page_id: str, title: str, new_blocks: list[dict]) -> int:
    """Replace what is under the section's heading with `new_blocks` (without their heading); the rest of the page
    is not touched. Returns the blocks deleted."""
    holder, blocks = report_blocks_of(client, page_id)
    head, old = section(blocks, title)
    for b in old:
        delete_block(client, b["id"])
    # `after` puts them right under the heading; write_blocks appends in batches, each after the previous one.
    after = head["id"]
    for i in range(0, len(new_blocks), 100):
        done = call(client.blocks.children.append, block_id=holder, children=new_blocks[i:i + 100], after=after)
        after = (done.get("results") or [{}])[-1].get("id", after)
    return len(old)


def mark_tickets(client: Client, page_id: str, keys: dict[str, tuple[str, str | None]]) -> int:
    """Add each new ticket key to the to-do of its action item (matched by the item's text at the start of the
    to-do); to-dos that already name their key are left alone. Returns the to-dos changed."""
    _, blocks = report_blocks_of(client, page_id)
    _, todos = section(blocks, "Action items")
    changed = 0
    for todo in (b for b in todos if b.get("type") == "to_do"):
        line = plain(todo)
        for item, (key, url) in keys.items():
            if line.startswith(item) and key not in line:
                rich = todo["to_do"].get("rich_text", [])
                cited = _citations_start(rich)
                new = [_request(t) for t in rich[:cited]] + text(" · ") + text(key, url, code=True) + \
                    [_request(t) for t in rich[cited:]]
                call(client.blocks.update, block_id=todo["id"],
                     to_do={"rich_text": new, "checked": todo["to_do"].get("checked", False)})
                changed += 1
                break
    return changed


def _citations_start(rich: list[dict]) -> int:
    """Where the trailing ' [E3] [E5]' citations begin (the key goes before them)."""
    texts = [t.get("plain_text") or (t.get("text") or {}).get("content", "") for t in rich]
    return next((i for i in range(len(texts) - 1) if texts[i] == " " and texts[i + 1].startswith("[E")), len(rich))


def _request(item: dict) -> dict:
    """A rich text item as read, in the shape a write takes."""
    body = item.get("text") or {"content": item.get("plain_text", ""), "link": None}
    return {"type": "text", "text": {"content": body.get("content", ""), "link": body.get("link")},
            "annotations": item.get("annotations") or {}}
