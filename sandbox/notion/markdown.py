"""The workspace format's Markdown subset turned into Notion block requests, as the API accepts them on create."""

from __future__ import annotations

import re

MAX_TEXT = 2000  # Notion's limit for one rich text item's content
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"|(?<![\w*])\*(?P<italic>[^*\s][^*]*?)\*(?![\w*])"
    r"|(?<![\w_])_(?P<uitalic>[^_\s][^_]*?)_(?![\w_])"
    r"|(?P<bare>https?://[^\s<>()\]]+[^\s<>()\].,;:!?'\"])"
)
_LIST = re.compile(r"^(?P<indent>\s*)(?:(?P<bullet>[-*+])|(?P<num>\d+)[.)])\s+(?P<rest>.*)$")
_TODO = re.compile(r"^\[(?P<mark>[ xX])\]\s+(?P<text>.*)$")
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_TABLE_SEP = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_LANGUAGES = {
    "bash", "c", "c#", "c++", "css", "diff", "docker", "go", "graphql", "html", "java", "javascript", "json",
    "kotlin", "makefile", "markdown", "php", "plain text", "python", "ruby", "rust", "scala", "shell", "sql",
    "swift", "typescript", "xml", "yaml",
}
_ALIASES = {"py": "python", "js": "javascript", "ts": "typescript", "sh": "shell", "yml": "yaml", "text": "plain text",
            "txt": "plain text", "console": "shell", "dockerfile": "docker", "md": "markdown", "": "plain text"}


def text_item(content: str, link: str | None = None, **annotations: bool) -> dict:
    """One rich text request item; annotations only when set, as a client would send them."""
    item: dict = {"type": "text", "text": {"content": content, "link": {"url": link} if link else None}}
    if annotations:
        item["annotations"] = annotations
    return item


def inline(text: str, **annotations: bool) -> list[dict]:
    """Rich text for one line: **bold**, *italic*, `code`, [label](url) and bare URLs."""
    out: list[dict] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out += _plain(text[pos:m.start()], None, annotations)
        if m["code"] is not None:
            out += _plain(m["code"], None, {**annotations, "code": True})
        elif m["bold"] is not None:
            out += inline(m["bold"], **{**annotations, "bold": True})
        elif m["label"] is not None:
            out += [_with_link(i, m["url"]) for i in inline(m["label"], **annotations)]
        elif m["italic"] is not None or m["uitalic"] is not None:
            out += inline(m["italic"] or m["uitalic"], **{**annotations, "italic": True})
        else:
            out += _plain(m["bare"], m["bare"], annotations)
        pos = m.end()
    if pos < len(text):
        out += _plain(text[pos:], None, annotations)
    return out


def _plain(content: str, link: str | None, annotations: dict) -> list[dict]:
    # Long text is split, since one item may hold at most 2000 characters.
    return [text_item(content[i:i + MAX_TEXT], link, **annotations) for i in range(0, len(content), MAX_TEXT)]


def _with_link(item: dict, url: str) -> dict:
    item["text"]["link"] = {"url": url}
    return item


def block(kind: str, **payload) -> dict:
    return {"object": "block", "type": kind, kind: payload}


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def _table(lines: list[str]) -> dict:
    header = len(lines) > 1 and bool(_TABLE_SEP.match(lines[1].strip()))
    rows = [_cells(x) for i, x in enumerate(lines) if not (header and i == 1)]
    width = max(len(r) for r in rows)
    children = [block("table_row", cells=[inline(c) for c in r + [""] * (width - len(r))]) for r in rows]
    return block("table", table_width=width, has_column_header=header, has_row_header=False, children=children)


def _code(lang: str, body: list[str]) -> dict:
    lang = _ALIASES.get(lang.strip().lower(), lang.strip().lower())
    content = "\n".join(body)
    return block("code", rich_text=_plain(content, None, {}) if content else [], caption=[],
                 language=lang if lang in _LANGUAGES else "plain text")


def _list_item(m: re.Match) -> dict:
    rest = m["rest"]
    if m["bullet"] and (todo := _TODO.match(rest)):
        return block("to_do", rich_text=inline(todo["text"]), checked=todo["mark"] != " ")
    kind = "bulleted_list_item" if m["bullet"] else "numbered_list_item"
    return block(kind, rich_text=inline(rest))


def markdown_to_blocks(text: str) -> list[dict]:
    """Blocks for Markdown text; list items indented under another item become its children."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[dict] = []
    stack: list[tuple[int, dict]] = []  # (indent, list item) chain for nesting
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        i += 1
        if not stripped:
            continue
        if m := _LIST.match(line):
            item = _list_item(m)
            indent = len(m["indent"].expandtabs(4))
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if stack:
                parent = stack[-1][1]
                parent[parent["type"]].setdefault("children", []).append(item)
            else:
                out.append(item)
            stack.append((indent, item))
            continue
        stack.clear()
        if stripped.startswith("```"):
            body = []
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            i += 1  # the closing fence
            out.append(_code(stripped[3:], body))
        elif h := _HEADING.match(stripped):
            out.append(block(f"heading_{len(h[1])}", rich_text=inline(h[2].strip())))
        elif stripped.startswith(">"):
            out.append(block("quote", rich_text=inline(stripped[1:].strip())))
        elif stripped.startswith("|"):
            rows = [stripped]
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            out.append(_table(rows))
        elif re.fullmatch(r"(-{3,}|\*{3,}|_{3,})", stripped):
            out.append(block("divider"))
        else:
            out.append(block("paragraph", rich_text=inline(stripped)))
    return out
