"""Plain text / Markdown <-> Atlassian Document Format (v3 bodies are ADF, v2 bodies are plain text)."""

from __future__ import annotations

import re
from typing import Any

_INLINE = re.compile(r"\*\*(?P<b>[^*]+)\*\*|`(?P<c>[^`]+)`|\[(?P<l>[^\]]+)\]\((?P<u>[^)\s]+)\)|(?P<url>https?://[^\s)>]+)")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)")
_ORDERED = re.compile(r"^\s*\d+[.)]\s+(.*)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)")


def _inline(text: str) -> list[dict]:
    out: list[dict] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append({"type": "text", "text": text[pos:m.start()]})
        if m.group("b"):
            out.append({"type": "text", "text": m.group("b"), "marks": [{"type": "strong"}]})
        elif m.group("c"):
            out.append({"type": "text", "text": m.group("c"), "marks": [{"type": "code"}]})
        elif m.group("l"):
            out.append({"type": "text", "text": m.group("l"), "marks": [{"type": "link", "attrs": {"href": m.group("u")}}]})
        else:
            out.append({"type": "text", "text": m.group("url"), "marks": [{"type": "link", "attrs": {"href": m.group("url")}}]})
        pos = m.end()
    if pos < len(text):
        out.append({"type": "text", "text": text[pos:]})
    return out


def _para(lines: list[str]) -> dict:
    content: list[dict] = []
    for i, line in enumerate(lines):
        if i:
            content.append({"type": "hardBreak"})
        content.extend(_inline(line))
    return {"type": "paragraph", "content": content}


def to_adf(text: str | None) -> dict | None:
    """A Markdown-ish string as an ADF document (None stays None, as Jira returns null descriptions)."""
    if text is None:
        return None
    blocks: list[dict] = []
    para: list[str] = []
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0

    def flush():
        if para:
            blocks.append(_para(para))
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.strip().startswith("```"):
            flush()
            code = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                code.append(lines[i])
                i += 1
            blocks.append({"type": "codeBlock", "content": [{"type": "text", "text": "\n".join(code)}] if code else []})
        elif m := _HEADING.match(line):
            flush()
            blocks.append({"type": "heading", "attrs": {"level": len(m.group(1))}, "content": _inline(m.group(2))})
        elif _BULLET.match(line) or _ORDERED.match(line):
            flush()
            rx, kind = (_BULLET, "bulletList") if _BULLET.match(line) else (_ORDERED, "orderedList")
            items = []
            while i < len(lines) and (m := rx.match(lines[i])):
                items.append({"type": "listItem", "content": [_para([m.group(1)])]})
                i += 1
            blocks.append({"type": kind, "content": items})
            continue
        elif line.startswith(">"):
            flush()
            blocks.append({"type": "blockquote", "content": [_para([line.lstrip("> ")])]})
        elif not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return {"type": "doc", "version": 1, "content": blocks}


def _text(node: Any, out: list[str], prefix: str = "") -> None:
    kind = node.get("type")
    if kind == "text":
        out.append(node.get("text", ""))
    elif kind == "hardBreak":
        out.append("\n")
    elif kind in ("mention", "emoji"):
        out.append(node.get("attrs", {}).get("text", ""))
    elif kind in ("bulletList", "orderedList"):
        for n, item in enumerate(node.get("content", []), 1):
            out.append(f"{n}. " if kind == "orderedList" else "- ")
            _text(item, out)
    else:
        for child in node.get("content", []) or []:
            _text(child, out)
    if kind in ("paragraph", "heading", "codeBlock", "blockquote", "rule") and not (out and out[-1].endswith("\n")):
        out.append("\n")


def from_adf(doc: Any) -> str:
    """The text of an ADF document (or a plain string, as v2 clients send), for storing and searching."""
    if doc is None:
        return ""
    if isinstance(doc, str):
        return doc
    if not isinstance(doc, dict):
        raise ValueError("not an ADF document")
    out: list[str] = []
    _text(doc, out)
    return "".join(out).rstrip("\n")
