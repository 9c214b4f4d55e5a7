"""Notion's request limits and block shape checks, failing with Notion's own validation messages."""

from __future__ import annotations

import json

from sandbox.notion.objects import CREATABLE

MAX_PAYLOAD = 500_000  # bytes; Notion documents 500 KB per request
MAX_BLOCKS = 1000
MAX_ARRAY = 100
MAX_TEXT = 2000
MAX_URL = 2000  # any URL, e.g. a rich text link (documented size limit)
MAX_DEPTH = 3  # top-level blocks plus two levels of nested children in one request


class Invalid(Exception):
    """A request Notion would reject with 400 validation_error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def fail(path: str, should: str, was) -> Invalid:
    shown = was if isinstance(was, int | str) else json.dumps(was)[:200]
    return Invalid(f"body failed validation: {path} should be {should}, instead was `{shown}`.")


def check_size(raw: bytes) -> None:
    if len(raw) > MAX_PAYLOAD:
        raise Invalid(f"Request body too large: the maximum size is 500KB, instead was {len(raw)} bytes.")


def check_rich_text(items, path: str) -> None:
    if not isinstance(items, list):
        raise fail(path, "an array", items)
    if len(items) > MAX_ARRAY:
        raise fail(f"{path}.length", f"≤ `{MAX_ARRAY}`", len(items))
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise fail(f"{path}[{i}]", "an object", item)
        if item.get("type", "text") != "text" and item.get("type") not in ("mention", "equation"):
            raise fail(f"{path}[{i}].type", "`text`, `mention` or `equation`", item.get("type"))
        if item.get("type", "text") != "text":
            continue
        content = (item.get("text") or {}).get("content")
        if not isinstance(content, str):
            raise fail(f"{path}[{i}].text.content", "a string", "undefined" if content is None else content)
        if len(content) > MAX_TEXT:
            raise fail(f"{path}[{i}].text.content.length", f"≤ `{MAX_TEXT}`", len(content))
        url = ((item.get("text") or {}).get("link") or {}).get("url")
        if isinstance(url, str) and len(url) > MAX_URL:
            raise fail(f"{path}[{i}].text.link.url.length", f"≤ `{MAX_URL}`", len(url))


def block_kind(block, path: str) -> str:
    if not isinstance(block, dict):
        raise fail(path, "an object", block)
    kind = block.get("type")
    if kind is None:
        keys = [k for k in block if k not in ("object", "type")]
        kind = keys[0] if len(keys) == 1 else None
    if kind not in CREATABLE:
        raise fail(f"{path}.type", "a supported block type (paragraph, heading_1, to_do, table, ...)",
                   kind if isinstance(kind, str) else "undefined")
    if not isinstance(block.get(kind), dict):
        raise fail(f"{path}.{kind}", "an object", block.get(kind, "undefined"))
    return kind


def check_children(children, path: str = "body.children", depth: int = 1) -> int:
    """Validate a children array; returns how many blocks it holds, nested ones included."""
    if not isinstance(children, list):
        raise fail(path, "an array", children)
    if len(children) > MAX_ARRAY:
        raise fail(f"{path}.length", f"≤ `{MAX_ARRAY}`", len(children))
    total = 0
    for i, block in enumerate(children):
        where = f"{path}[{i}]"
        kind = block_kind(block, where)
        payload = block[kind]
        for key in ("rich_text", "caption"):
            if key in payload:
                check_rich_text(payload[key], f"{where}.{kind}.{key}")
        if kind == "table_row":
            cells = payload.get("cells")
            if not isinstance(cells, list):
                raise fail(f"{where}.table_row.cells", "an array", "undefined" if cells is None else cells)
            for j, cell in enumerate(cells):
                check_rich_text(cell, f"{where}.table_row.cells[{j}]")
        if kind == "table" and not isinstance(payload.get("table_width"), int):
            raise fail(f"{where}.table.table_width", "a number", payload.get("table_width", "undefined"))
        total += 1
        if "children" in payload:
            if depth >= MAX_DEPTH:
                raise fail(f"{where}.{kind}.children", "not present", payload["children"])
            total += check_children(payload["children"], f"{where}.{kind}.children", depth + 1)
    if depth == 1 and total > MAX_BLOCKS:
        raise Invalid(f"body failed validation: {path} should contain at most `{MAX_BLOCKS}` blocks in total "
                      f"(nested ones included), instead was `{total}`.")
    return total


def check_tables(children: list[dict], path: str = "body.children") -> None:
    """A table's children are table rows exactly as wide as the table (checked after check_children)."""
    for i, block in enumerate(children):
        kind = block_kind(block, f"{path}[{i}]")
        nested = block[kind].get("children") or []
        if kind == "table":
            if not nested:  # Notion: a new table must come with at least one table_row
                rows = block[kind].get("children")
                raise fail(f"{path}[{i}].table.children", "defined", "undefined") if rows is None else \
                    fail(f"{path}[{i}].table.children.length", "≥ `1`", 0)
            check_table_rows(block[kind]["table_width"], nested, f"{path}[{i}].table.children")
        else:
            check_tables(nested, f"{path}[{i}].{kind}.children")


def check_table_rows(table_width: int, rows: list[dict], path: str) -> None:
    for i, row in enumerate(rows):
        kind = block_kind(row, f"{path}[{i}]")
        if kind != "table_row":
            raise Invalid(f"body failed validation: {path}[{i}].type should be `table_row`, instead was `{kind}`.")
        if len(row["table_row"]["cells"]) != table_width:
            raise Invalid("Number of cells in table row must match the table width of the parent table.")


def page_size(value, where: str) -> int:
    if value is None:
        return MAX_ARRAY
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise Invalid(f"{where} failed validation: {where}.page_size should be a number, instead was `{value}`.") from None
    if n < 1 or n > MAX_ARRAY:
        raise Invalid(f"{where} failed validation: {where}.page_size should be ≤ `{MAX_ARRAY}` and ≥ `1`, "
                      f"instead was `{n}`.")
    return n
