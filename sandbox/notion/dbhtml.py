"""Databases as readable HTML: a table of rows at the database's URL, and a row page's properties above its content."""

from __future__ import annotations

from html import escape

from sandbox.notion.dbstore import rows
from sandbox.notion.objects import page_url, plain
from sandbox.notion.properties import text_of


def database_page(st, db, base: str) -> str:
    """Every data source of the database as a table: the title links to the row's page, other cells as text."""
    title = escape(plain(db.title) or "Untitled")
    trash = "<p class=trash>This database is in Trash.</p>" if db.in_trash else ""
    parts = [f"{trash}<h1 class=title>🗃️ {title}</h1>"]
    for sid in db.sources:
        src = st.sources[sid]
        if len(db.sources) > 1:
            parts.append(f"<h2>{escape(src.name)}</h2>")
        names = sorted(src.properties, key=lambda n: src.properties[n]["type"] != "title")  # the title first
        head = "".join(f"<th>{escape(n)}</th>" for n in names)
        body = []
        for row in rows(st, sid):
            cells = []
            for n in names:
                if src.properties[n]["type"] == "title":
                    link = escape(page_url(base, row.id, plain(row.title)))
                    cells.append(f'<td><a href="{link}">{escape(plain(row.title) or "Untitled")}</a></td>')
                else:
                    cells.append(f"<td>{escape(text_of(row.props.get(n)))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        empty = f'<tr><td colspan="{len(names)}">No rows</td></tr>' if not body else ""
        parts.append(f"<table class=database><tr>{head}</tr>{''.join(body)}{empty}</table>")
    return "\n".join(parts)


def database_link(st, block, base: str) -> str:
    """A child_database block on its page: a link to the database's table."""
    db = st.databases.get(block.id)
    title = escape(block.data.get("title") or "Untitled")
    if db is None:
        return f"<p class=child-database>🗃️ {title}</p>"
    return f'<p class=child-database>🗃️ <a href="{escape(page_url(base, db.id, plain(db.title)))}">{title}</a></p>'


def row_properties(p) -> str:
    """A row's properties, as Notion lists them under the title (the title itself is the heading)."""
    if p.props is None:
        return ""
    items = [f"<tr><th>{escape(n)}</th><td>{escape(text_of(v))}</td></tr>"
             for n, v in p.props.items() if v["type"] != "title"]
    return f"<table class=properties>{''.join(items)}</table>" if items else ""
