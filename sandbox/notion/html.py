"""Notion pages as readable HTML at their page URL: how a person looks at a published post-mortem."""

from __future__ import annotations

import re
import uuid
from html import escape

from aiohttp import web

from sandbox.faults import STATE
from sandbox.notion.dbhtml import database_link, database_page, row_properties
from sandbox.notion.http import CTX
from sandbox.notion.objects import page_url, plain
from sandbox.notion.state import NotionState, PageRec

CSS = """body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#37352f}
h1.title{font-size:2.2rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}.nowrap{white-space:nowrap}
blockquote{border-left:3px solid #37352f;margin-left:0;padding-left:1rem}pre{background:#f7f6f3;padding:1rem;overflow:auto}
.callout{background:#f1f1ef;padding:.8rem;border-radius:4px;display:flex;gap:.6rem}.todo{list-style:none;padding-left:0}
.trash{background:#fdecea;padding:.5rem}code{background:#f2f1ee;padding:0 .2rem}a{color:#0b6e99}"""
_LISTS = {"bulleted_list_item": "ul", "numbered_list_item": "ol", "to_do": "ul class=todo"}
_SIMPLE = {"paragraph": "p", "heading_1": "h2", "heading_2": "h3", "heading_3": "h4", "quote": "blockquote"}


# A cell that is only a date or time ("2025-08-04 09:12 UTC") stays on one line, as Notion's timeline tables read.
_TIME_CELL = re.compile(r"\s*\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d)?)?( ?(UTC|Z|[+-]\d\d:?\d\d))?\s*|\s*\d\d:\d\d(:\d\d)?( UTC)?\s*")


def _nowrap(cell: list[dict]) -> str:
    return ' class="nowrap"' if _TIME_CELL.fullmatch(plain(cell)) else ""


def rich(items: list[dict]) -> str:
    out = []
    for item in items:
        s = escape(item.get("plain_text", ""))
        a = item.get("annotations") or {}
        for flag, tag in (("code", "code"), ("bold", "strong"), ("italic", "em"), ("strikethrough", "s"),
                          ("underline", "u")):
            if a.get(flag):
                s = f"<{tag}>{s}</{tag}>"
        if item.get("href"):
            s = f'<a href="{escape(item["href"])}">{s}</a>'
        out.append(s)
    return "".join(out)


class Renderer:
    def __init__(self, st: NotionState, base: str):
        self.st, self.base = st, base

    def children(self, rid: str) -> str:
        out, open_list = [], None
        for cid in self.st.live_children(rid):
            page = self.st.pages.get(cid)
            kind = "child_page" if page else self.st.blocks[cid].type
            tag = _LISTS.get(kind)
            if tag != open_list:
                if open_list:
                    out.append(f"</{open_list.split()[0]}>")
                if tag:
                    out.append(f"<{tag}>")
                open_list = tag
            out.append(self.page_link(page) if page else self.block(self.st.blocks[cid]))
        if open_list:
            out.append(f"</{open_list.split()[0]}>")
        return "\n".join(out)

    def page_link(self, p: PageRec) -> str:
        title = escape(plain(p.title) or "Untitled")
        return f'<p class=child-page>📄 <a href="{escape(page_url(self.base, p.id, plain(p.title)))}">{title}</a></p>'

    def block(self, b) -> str:
        d, kids = b.data, self.children(b.id)
        text = rich(d.get("rich_text", []))
        if b.type in _SIMPLE:
            tag = _SIMPLE[b.type]
            return f"<{tag}>{text}</{tag}>" + (f"<div class=indent>{kids}</div>" if kids else "")
        if b.type in ("bulleted_list_item", "numbered_list_item"):
            return f"<li>{text}{kids}</li>"
        if b.type == "to_do":
            checked = " checked" if d.get("checked") else ""
            return f"<li><input type=checkbox disabled{checked}> {text}{kids}</li>"
        if b.type == "toggle":
            return f"<details><summary>{text}</summary>{kids}</details>"
        if b.type == "callout":
            emoji = escape((d.get("icon") or {}).get("emoji", "💡"))
            return f"<div class=callout><span>{emoji}</span><div>{text}{kids}</div></div>"
        if b.type == "code":
            return f'<pre><code data-language="{escape(d.get("language", ""))}">{text}</code></pre>'
        if b.type == "divider":
            return "<hr>"
        if b.type == "table":
            return self.table(b)
        if b.type == "child_database":
            return database_link(self.st, b, self.base)
        if b.type in ("bookmark", "embed") and d.get("url"):
            return f'<p><a href="{escape(d["url"])}">{escape(d["url"])}</a></p>'
        return f"<div class={escape(b.type)}>{text}{kids}</div>"

    def table(self, b) -> str:
        rows = []
        for i, rid in enumerate(self.st.live_children(b.id)):
            row = self.st.blocks[rid]
            cell = "th" if (i == 0 and b.data.get("has_column_header")) else "td"
            rows.append("<tr>" + "".join(f"<{cell}{_nowrap(c)}>{rich(c)}</{cell}>" for c in row.data.get("cells", []))
                        + "</tr>")
        return "<table>" + "".join(rows) + "</table>"

    def page(self, p: PageRec) -> str:
        title = escape(plain(p.title) or "Untitled")
        trash = "<p class=trash>This page is in Trash.</p>" if p.in_trash else ""
        body = f"{trash}<h1 class=title>{title}</h1>\n{row_properties(p)}{self.children(p.id)}"
        return document(title, body)


def document(title: str, body: str) -> str:
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title><style>{CSS}</style></head>"
            f"<body>{body}</body></html>")


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html")


async def page_view(request: web.Request) -> web.Response:
    st: NotionState = request.app[STATE]
    pid = str(uuid.UUID(request.match_info["tail"][-32:]))
    if pid in st.databases:
        db = st.databases[pid]
        return _html(document(escape(plain(db.title)), database_page(st, db, request.app[CTX].urls["notion"])))
    if pid not in st.pages:
        return _html(document("Not found", "<h1>This page does not exist</h1>"), 404)
    return _html(Renderer(st, request.app[CTX].urls["notion"]).page(st.pages[pid]))


async def index(request: web.Request) -> web.Response:
    st: NotionState = request.app[STATE]
    r = Renderer(st, request.app[CTX].urls["notion"])
    tops = [p for p in st.pages.values() if p.parent is None and st.page_visible(p.id) and not p.in_trash]
    links = "\n".join(r.page_link(p) for p in tops)
    return _html(document(escape(st.workspace_name), f"<h1 class=title>{escape(st.workspace_name)}</h1>\n{links}"))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get(r"/{tail:[^/]*[0-9a-fA-F]{32}}", page_view)
