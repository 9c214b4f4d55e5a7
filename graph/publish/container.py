"""The report on its page: the marker paragraph, then one container block holding the rest, written in few requests."""

from __future__ import annotations

from collections.abc import Callable

from notion_client import Client

from graph.publish.notion_io import (
    MAX_BATCH,
    MAX_REQUEST_BLOCKS,
    call,
    iter_children,
    kids,
    shape,
    write_blocks,
    write_later,
)

# An original synced block: Notion shows its children as ordinary page content (no toggle to open, no box around it),
# an integration may create one with its children, and deleting it removes the whole report in one request, which is
# what makes an update cost a handful of requests instead of one per block.
CONTAINER = "synced_block"


def container(children: list[dict]) -> dict:
    return {"object": "block", "type": CONTAINER, CONTAINER: {"synced_from": None, "children": children}}


def is_container(block: dict, author: str | None = None) -> bool:
    """An original synced block (written by `author`, when given: a synced block someone added is theirs)."""
    if block.get("type") != CONTAINER or (block.get(CONTAINER) or {}).get("synced_from"):
        return False
    return author is None or (block.get("created_by") or {}).get("id") == author


def first_request(blocks: list[dict]) -> tuple[dict, list[dict], list[tuple[dict, list]]]:
    """The container as one request can carry it (Notion: two levels of nesting, 100 children per array, 1,000
    blocks in all), the report blocks appended to it afterwards, and each carried block with what must follow it
    (as `shape` gives it: children past the first 100, grandchildren)."""
    shaped: list[tuple[dict, list]] = []
    size = 2  # the marker beside the container, and the container itself
    for n, block in enumerate(blocks):
        children = kids(block)
        whole = len(children) <= MAX_BATCH and not any(kids(c) for c in children)
        carried, later = (block, []) if whole else shape(block)
        weight = 1 + len(kids(carried))
        if len(shaped) == MAX_BATCH or size + weight > MAX_REQUEST_BLOCKS:
            return container([c for c, _ in shaped]), blocks[n:], shaped
        shaped.append((carried, later))
        size += weight
    return container([c for c, _ in shaped]), [], shaped


def write_report(client: Client, marker: dict, blocks: list[dict], *, create: Callable[[list[dict]], dict] | None = None,
                 page_id: str | None = None, after: str | None = None) -> dict | None:
    """Create the page holding [marker, container] (`create`), or append the container to `page_id` after the
    block `after`; returns the created page (None when appending)."""
    head, rest, shaped = first_request(blocks)
    if create:
        page = create([marker, head])
        container_id = None
    else:
        page = None
        kw = {"after": after} if after else {}
        container_id = call(client.blocks.children.append, block_id=page_id, children=[head], **kw)["results"][0]["id"]
    if not rest and not any(later for _, later in shaped):
        return page
    if container_id is None:  # a created page answers with itself, not its blocks: read them only when needed
        container_id = next(b["id"] for b in iter_children(client, page["id"]) if is_container(b))
    if any(later for _, later in shaped):
        write_later(client, container_id, shaped, None)
    if rest:
        write_blocks(client, container_id, rest)
    return page
