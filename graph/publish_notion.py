"""Publishes report blocks to Notion once per incident: finds the page by its marker and updates it, else creates it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import httpx
from notion_client import Client
from notion_client.errors import HTTPResponseError, RequestTimeoutError
from notion_client.helpers import extract_notion_id

from graph.render_blocks import text
from graph.report import Report

PARENT_TITLES = ("post mortems", "post-mortems", "postmortems")
MAX_BATCH = 100  # Notion: children per request (and per block in one request)
MAX_REQUEST_BLOCKS = 1000  # Notion: blocks in one request, all levels counted
MAX_RETRIES = 3
MAX_SLEEP_S = 30.0  # total time one call may spend waiting before giving up
BACKOFF_S = 0.5
RETRYABLE = {"rate_limited", "internal_server_error", "service_unavailable", "gateway_timeout"}
KEPT_TYPES = ("child_page", "child_database")  # what an update leaves on the page
_MARKER = re.compile(r"Incident key: (\S+)")
HOW_TO_SHARE = "open the page in Notion, click ••• > Connections and add the integration"
NOT_SHARED = ("The Notion page {page} was not found: it is not shared with the integration (or does not exist). "
              "To share it, " + HOW_TO_SHARE + ", or set NOTION_PARENT_PAGE_ID to a page that is shared.")
NO_PARENT = ("No Notion page to publish under: set NOTION_PARENT_PAGE_ID to the id of a Notion page, or create a page "
             "titled 'Post Mortems' and share it with the integration (" + HOW_TO_SHARE + ").")


class PublishError(RuntimeError):
    """Publishing failed; the message says what to do, `code` is Notion's error code when it gave one."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


def make_client(token: str, base_url: str | None = None, timeout_s: float = 20.0) -> Client:
    """A client whose own retries are off, because publish_report retries with its own caps."""
    return Client(auth=token, base_url=base_url or "https://api.notion.com", timeout_ms=int(timeout_s * 1000),
                  retry=False)


def page_title(report: Report, started_at: str | None) -> str:
    """'Post-mortem: Promo code SUMMER25 rejected at checkout (2025-08-04)'."""
    title = re.sub(r"^post[- ]?mortem:\s*", "", report.title.strip(), flags=re.I) or "Incident"
    return f"Post-mortem: {title}" + (f" ({started_at[:10]})" if started_at else "")


def call(fn: Callable[..., dict], *, done: Callable[[], dict | None] | None = None, **kw) -> dict:
    """One Notion call, retried on rate limits (honouring Retry-After) and 5xx; other errors become PublishError.

    `done` is asked before retrying after a 5xx, when the failed write may have happened anyway.
    """
    slept = 0.0
    for attempt in range(MAX_RETRIES + 1):
        try:
            return fn(**kw)
        except HTTPResponseError as exc:
            code = getattr(exc.code, "value", exc.code)
            delay = retry_delay(exc, code, attempt)
            if delay is None or attempt == MAX_RETRIES or slept + delay > MAX_SLEEP_S:
                raise PublishError(describe(exc, code, attempt), code) from exc
            time.sleep(delay)
            slept += delay
            written = done() if done and exc.status != 429 else None
            if written:
                return written
        except RequestTimeoutError as exc:
            raise PublishError("Notion did not answer in time; try again later.", "timeout") from exc
        except httpx.TransportError as exc:
            raise PublishError(f"Could not reach Notion ({exc}); check NOTION_BASE_URL and the network.",
                               "unreachable") from exc
    raise AssertionError("unreachable")


def retry_delay(exc: HTTPResponseError, code: str, attempt: int) -> float | None:
    if exc.status == 429 or code == "rate_limited":
        try:
            return max(0.0, float(exc.headers.get("retry-after", "1")))
        except ValueError:
            return 1.0
    if exc.status >= 500 or code in RETRYABLE:
        return BACKOFF_S * 2 ** attempt
    return None


def describe(exc: HTTPResponseError, code: str, attempt: int) -> str:
    tries = f" after {attempt + 1} attempts" if attempt else ""
    hint = {"unauthorized": " Check NOTION_TOKEN.",
            "restricted_resource": " The integration lacks access: " + HOW_TO_SHARE + "."}.get(code, "")
    return f"Notion refused the request{tries} ({code}, HTTP {exc.status}): {exc}.{hint}"


def iter_children(client: Client, block_id: str) -> Iterator[dict]:
    cursor = None
    while True:
        kw = {"start_cursor": cursor} if cursor else {}
        res = call(client.blocks.children.list, block_id=block_id, page_size=100, **kw)
        yield from res.get("results", [])
        cursor = res.get("next_cursor")
        if not res.get("has_more") or not cursor:
            return


def resolve_parent(client: Client, parent_page_id: str | None) -> str:
    """The configured parent page, else a shared page titled 'Post Mortems' (or a spelling of it)."""
    if parent_page_id:
        page = extract_notion_id(parent_page_id) or parent_page_id
        try:
            return call(client.pages.retrieve, page_id=page)["id"]
        except PublishError as exc:
            if exc.code in ("object_not_found", "validation_error", "restricted_resource"):
                raise PublishError(NOT_SHARED.format(page=parent_page_id), exc.code) from exc
            raise
    for query in ("Post Mortems", "Post-Mortems", "Postmortems"):
        res = call(client.search, query=query, filter={"property": "object", "value": "page"}, page_size=100)
        for page in res.get("results", []):
            if not page.get("in_trash") and title_of(page).strip().lower() in PARENT_TITLES:
                return page["id"]
    raise PublishError(NO_PARENT, "no_parent")


def title_of(page: dict) -> str:
    for prop in page.get("properties", {}).values():
        if prop.get("type") == "title":
            return plain(prop.get("title", []))
    return ""


def plain(rich: list[dict]) -> str:
    return "".join(r.get("plain_text") or r.get("text", {}).get("content", "") for r in rich)


def find_page(client: Client, parent_id: str, key: str) -> str | None:
    """The child page whose first block is this incident's marker paragraph."""
    for child in iter_children(client, parent_id):
        if child.get("type") != "child_page" or child.get("in_trash") or child.get("archived"):
            continue
        if not child["child_page"].get("title", "").lower().startswith("post-mortem"):
            continue
        head = call(client.blocks.children.list, block_id=child["id"], page_size=10).get("results", [])
        # Sub-pages kept on update sit before the report, so the marker is the first block that is not one.
        first = next((b for b in head if b.get("type") not in KEPT_TYPES), {})
        m = _MARKER.search(plain(first.get(first.get("type", ""), {}).get("rich_text", [])))
        if m and m[1] == key:
            return child["id"]
    return None


def kids(block: dict) -> list[dict]:
    return block.get(block["type"], {}).get("children") or []


def with_kids(block: dict, children: list[dict]) -> dict:
    body = {k: v for k, v in block[block["type"]].items() if k != "children"}
    return {**block, block["type"]: {**body, "children": children} if children else body}


def shape(block: dict) -> tuple[dict, list[tuple[int | None, list[dict]]]]:
    """The block as one request may carry it (2 levels, ≤100 children), and what must be appended afterwards."""
    children = kids(block)
    later: list[tuple[int | None, list[dict]]] = [(None, children[MAX_BATCH:])] if len(children) > MAX_BATCH else []
    kept = []
    for j, child in enumerate(children[:MAX_BATCH]):
        if kids(child):
            later.append((j, kids(child)))
        kept.append(with_kids(child, []))
    return with_kids(block, kept), later


def batches(blocks: list[dict]) -> list[list[dict]]:
    out: list[list[dict]] = [[]]
    size = 0
    for block in blocks:
        n = 1 + min(len(kids(block)), MAX_BATCH)
        if out[-1] and (len(out[-1]) == MAX_BATCH or size + n > MAX_REQUEST_BLOCKS):
            out.append([])
            size = 0
        out[-1].append(block)
        size += n
    return out


def write_blocks(client: Client, parent_id: str, blocks: list[dict], create: Callable | None = None) -> dict | None:
    """Append blocks in request-sized batches (the first batch may create the page); deeper levels follow."""
    page = None
    for n, batch in enumerate(batches(blocks)):
        shaped = [shape(b) for b in batch]
        body = [s for s, _ in shaped]
        if n == 0 and create:
            page = create(body)
            parent_id, ids = page["id"], None
        elif body:
            ids = [r["id"] for r in call(client.blocks.children.append, block_id=parent_id, children=body)["results"]]
        if any(later for _, later in shaped):
            write_later(client, parent_id, shaped, ids)
    return page


def write_later(client: Client, parent_id: str, shaped: list, ids: list[str] | None) -> None:
    if ids is None or len(ids) != len(shaped):  # appended blocks are the parent's last ones
        ids = [c["id"] for c in iter_children(client, parent_id)][-len(shaped):]
    for (_, later), block_id in zip(shaped, ids, strict=True):
        child_ids = [c["id"] for c in iter_children(client, block_id)] if any(j is not None for j, _ in later) else []
        for j, blocks in later:
            write_blocks(client, block_id if j is None else child_ids[j], blocks)


def delete_block(client: Client, block_id: str) -> None:
    try:
        call(client.blocks.delete, block_id=block_id)
    except PublishError as exc:
        if exc.code != "object_not_found":  # someone deleted it first: the outcome wanted
            raise


def publish_report(client: Client, blocks: list[dict], title: str, incident_key: str, *,
                   parent_page_id: str | None, new_page: bool = False) -> dict:
    """Create or update the incident's page; returns {id, url, title, action: created|updated}."""
    parent = resolve_parent(client, parent_page_id)
    props = {"title": {"title": text(title)}}
    existing = None if new_page else find_page(client, parent, incident_key)
    if existing:
        # Sub-pages and databases someone added under the report are theirs: only the report's blocks are replaced.
        old = [b["id"] for b in iter_children(client, existing) if b["type"] not in KEPT_TYPES]
        page = call(client.pages.update, page_id=existing, properties=props)
        # New content first, then the old removed: a failure midway leaves a complete report on the page.
        write_blocks(client, existing, blocks)
        for block_id in old:
            delete_block(client, block_id)
        return {"id": page["id"], "url": page.get("url"), "title": title, "action": "updated"}

    def created() -> dict | None:  # a create that failed with 5xx may still have made the page
        found = None if new_page else find_page(client, parent, incident_key)
        return call(client.pages.retrieve, page_id=found) if found else None

    page = write_blocks(client, parent, blocks, create=lambda first: call(
        client.pages.create, done=created, parent={"page_id": parent}, properties=props, children=first))
    return {"id": page["id"], "url": page.get("url"), "title": title, "action": "created"}
