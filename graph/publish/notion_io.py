"""Notion requests for publishing: retries that honour Retry-After, and block writes within Notion's limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpx
from notion_client import Client
from notion_client.errors import HTTPResponseError, RequestTimeoutError

from graph.sources.notion_http import gated_client
from graph.sources.retry import Budget, Policy, notion_failure, retrying

MAX_BATCH = 100  # Notion: children per request (and per block in one request)
MAX_REQUEST_BLOCKS = 1000  # Notion: blocks in one request, all levels counted
MAX_RETRIES = 3  # for 5xx and dropped connections; 429s are bounded by the budget
MAX_SLEEP_S = 30.0  # the budget of one call made outside `publishing` (e.g. directly by a test)
BACKOFF_S = 0.5
HOW_TO_SHARE = "open the page in Notion, click ••• > Connections and add the integration"
_BUDGET: ContextVar[Budget | None] = ContextVar("publish_budget", default=None)


@contextmanager
def publishing(seconds: float):
    """Every Notion call made inside shares one time budget, so one publish waits at most `seconds` in all."""
    token = _BUDGET.set(Budget(seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


class PublishError(RuntimeError):
    """Publishing failed; the message says what to do, `code` is Notion's error code when it gave one."""

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.code = code


def make_client(token: str, base_url: str | None = None, timeout_s: float = 20.0, rate: float = 0.0) -> Client:
    """A client whose own retries are off, because publish_report retries with its own caps; its requests pass the
    integration's gate (graph/sources/notion_http.py), paced to `rate` a second when given."""
    return gated_client(token, base_url or "https://api.notion.com", timeout_s, rate)


def call(fn: Callable[..., dict], *, done: Callable[[], dict | None] | None = None, **kw) -> dict:
    """One Notion call, retried on rate limits (after Retry-After), 5xx and dropped connections within the publish
    budget (graph/sources/retry.py); other errors become PublishError.

    `done` is asked before retrying after a 5xx or a dropped connection, when the failed write may have happened.
    """
    budget = _BUDGET.get() or Budget(MAX_SLEEP_S)
    policy = Policy(backoff_s=BACKOFF_S, server_retries=MAX_RETRIES)  # read now: tests shorten the backoff
    try:
        return retrying(lambda: fn(**kw), notion_failure, budget, policy, recheck=done)
    except HTTPResponseError as exc:
        code = getattr(exc.code, "value", exc.code)
        raise PublishError(describe(exc, code, getattr(exc, "attempts", 1) - 1), code) from exc
    except RequestTimeoutError as exc:
        raise PublishError("Notion did not answer in time; try again later.", "timeout") from exc
    except httpx.TransportError as exc:
        raise PublishError(f"Could not reach Notion ({exc}); check NOTION_BASE_URL and the network.",
                           "unreachable") from exc


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
