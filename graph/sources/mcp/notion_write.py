"""Request bodies the Notion MCP server would alter, made safe: text that reads as JSON is sent in two pieces."""

from __future__ import annotations

import json

# notion-mcp-server (src/openapi-mcp-server/mcp/proxy.ts, deserializeParams) decodes every string argument that
# JSON.parse reads as an object or an array (after up to 3 layers of string quoting) before sending the request, to
# undo clients that serialise nested arguments twice. A paragraph whose text is `{"code": "PROMO_EXPIRED"}` or
# `[1, 2]` would reach Notion as an object and be refused (validation_error: "should be a string"). Nothing else
# in a request is changed: the server validates no argument against its tool schemas (which list only paragraph and
# bulleted list blocks, and children of post-page as strings), so every block type passes as notion-client sends it.
MAX_PASSES = 3  # proxy.ts MAX_UNWRAP_DEPTH


def decodes(value: str) -> bool:
    """Whether the server would replace this string by the object or array it encodes (proxy.ts unwrapJsonString)."""
    current = value
    for _ in range(MAX_PASSES):
        trimmed = current.strip()
        if not trimmed or (trimmed[0], trimmed[-1]) not in (("{", "}"), ("[", "]"), ('"', '"')):
            return False
        try:
            parsed = json.loads(trimmed)
        except ValueError:
            return False
        if isinstance(parsed, dict | list):
            return True
        if not isinstance(parsed, str):
            return False
        current = parsed
    return False


def _split(item: dict) -> list[dict] | None:
    """A rich text item as two items of the same style and link whose texts the server leaves alone; the page
    shows (and plain_text reads) the same text."""
    content = item["text"]["content"]
    for k in range(1, len(content)):
        if not decodes(content[:k]) and not decodes(content[k:]):
            return [{**item, "text": {**item["text"], "content": part}} for part in (content[:k], content[k:])]
    return None


def _is_text_item(value) -> bool:
    return isinstance(value, dict) and isinstance(value.get("text"), dict) and \
        isinstance(value["text"].get("content"), str)


def guard(value, where: str):
    """`value` with every rich text item the server would decode split in two; any other string it would decode
    (a search query, a property value) raises ValueError naming the tool and the field, rather than be mangled."""
    if isinstance(value, dict):
        return {k: guard(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for i, v in enumerate(value):
            parts = _split(v) if _is_text_item(v) and decodes(v["text"]["content"]) else None
            out += [guard(p, f"{where}[{i}]") for p in parts] if parts else [guard(v, f"{where}[{i}]")]
        return out
    if isinstance(value, str) and decodes(value):
        raise ValueError(f"it would send {where} = {value[:80]!r} to Notion as JSON, not as text (notion-client "
                         "sends it unchanged)")
    return value
