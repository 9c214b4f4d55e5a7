"""Notion's response objects: full rich text, stored block payloads, and page/block/user JSON."""

from __future__ import annotations

import re
from datetime import UTC, datetime

ANNOTATIONS = {"bold": False, "italic": False, "strikethrough": False, "underline": False, "code": False,
               "color": "default"}
TEXT_TYPES = {"paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item", "numbered_list_item",
              "to_do", "toggle", "quote", "callout", "code"}
OTHER_TYPES = {"divider", "table", "table_row", "bookmark", "embed", "image", "video", "file", "pdf", "audio",
               "equation", "breadcrumb", "table_of_contents", "column_list", "column", "link_to_page", "synced_block"}
CREATABLE = TEXT_TYPES | OTHER_TYPES
# child_page appears in responses, but a page is made with POST /v1/pages, never by appending a block.


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def user_ref(uid: str) -> dict:
    return {"object": "user", "id": uid}


def rich_text(items: list[dict] | None) -> list[dict]:
    """Request rich text (text items, optional annotations) as Notion returns it."""
    out = []
    for item in items or []:
        kind = item.get("type", "text")
        if kind == "text":
            text = item.get("text", {})
            link = text.get("link") or None
            url = link.get("url") if link else None
            out.append({"type": "text", "text": {"content": text.get("content", ""), "link": {"url": url} if url else None},
                        "annotations": {**ANNOTATIONS, **(item.get("annotations") or {})},
                        "plain_text": text.get("content", ""), "href": url})
        else:  # mentions and equations are kept as sent, with the fields every rich text item has
            plain = item.get("plain_text") or item.get(kind, {}).get("expression", "")
            out.append({**item, "type": kind, "annotations": {**ANNOTATIONS, **(item.get("annotations") or {})},
                        "plain_text": plain, "href": item.get("href")})
    return out


def icon(value) -> dict | None:
    """An icon as sent (emoji or file object), typed the way Notion returns it."""
    if not isinstance(value, dict):
        return None
    if "type" not in value:
        kind = "emoji" if "emoji" in value else "external"
        return {"type": kind, **value}
    return value


def plain(items: list[dict]) -> str:
    return "".join(i.get("plain_text", "") for i in items)


def block_payload(kind: str, payload: dict) -> dict:
    """The stored payload of a block type, with Notion's defaults filled in (children are stored apart)."""
    data = {k: v for k, v in payload.items() if k != "children"}
    if kind in TEXT_TYPES:
        data["rich_text"] = rich_text(data.get("rich_text"))
        if kind != "code":
            data.setdefault("color", "default")
    if kind.startswith("heading_"):
        data.setdefault("is_toggleable", False)
    elif kind == "to_do":
        data["checked"] = bool(data.get("checked", False))
    elif kind == "callout":
        data["icon"] = data.get("icon") or {"type": "emoji", "emoji": "💡"}
    elif kind == "code":
        data["caption"] = rich_text(data.get("caption"))
        data.setdefault("language", "plain text")
    elif kind == "table":
        data.setdefault("has_column_header", False)
        data.setdefault("has_row_header", False)
    elif kind == "table_row":
        data["cells"] = [rich_text(c) for c in data.get("cells", [])]
    elif kind == "synced_block":
        data["synced_from"] = data.get("synced_from")  # null: an original, whose children are its content
    elif kind in ("bookmark", "embed", "image", "video", "file", "pdf", "audio"):
        data["caption"] = rich_text(data.get("caption"))
    return data


def merge_payload(kind: str, old: dict, update: dict) -> dict:
    """A block update: given fields replace the old ones, the rest stay."""
    return block_payload(kind, {**old, **{k: v for k, v in update.items() if v is not None}})


def slug(title: str) -> str:
    return "-".join(re.findall(r"[^\W_]+", title))


def page_url(base: str, page_id: str, title: str) -> str:
    s = slug(title)
    return f"{base}/{s + '-' if s else ''}{page_id.replace('-', '')}"


def page_parent(parent: str | None) -> dict:
    return {"type": "page_id", "page_id": parent} if parent else {"type": "workspace", "workspace": True}


def parent_of(p) -> dict:
    """A page's parent; a database row's is its data source (2025-09-03 also names the database)."""
    if p.database:
        return {"type": "data_source_id", "data_source_id": p.parent, "database_id": p.database}
    return page_parent(p.parent)


def properties_of(p) -> dict:
    if p.props is None:
        return {"title": {"id": "title", "type": "title", "title": p.title}}
    return {k: {**v, "title": p.title} if v["type"] == "title" else v for k, v in p.props.items()}


def page_json(p, base: str) -> dict:
    return {
        "object": "page", "id": p.id, "created_time": iso(p.created), "last_edited_time": iso(p.edited),
        "created_by": user_ref(p.created_by), "last_edited_by": user_ref(p.edited_by),
        "cover": p.cover, "icon": p.icon, "parent": parent_of(p),
        "archived": p.in_trash, "in_trash": p.in_trash, "is_locked": False,
        "properties": properties_of(p),
        "url": page_url(base, p.id, plain(p.title)), "public_url": None,
    }


def _common(rid: str, parent: dict, created, edited, created_by, edited_by, has_children: bool, in_trash: bool) -> dict:
    return {"object": "block", "id": rid, "parent": parent, "created_time": iso(created),
            "last_edited_time": iso(edited), "created_by": user_ref(created_by),
            "last_edited_by": user_ref(edited_by), "has_children": has_children, "archived": in_trash,
            "in_trash": in_trash}


def block_json(b, has_children: bool) -> dict:
    parent = {"type": "page_id", "page_id": b.parent} if b.parent_is_page else {"type": "block_id",
                                                                             "block_id": b.parent}
    out = _common(b.id, parent, b.created, b.edited, b.created_by, b.edited_by, has_children, b.in_trash)
    out["type"] = b.type
    out[b.type] = b.data
    return out


def child_page_json(p, has_children: bool) -> dict:
    """A page seen as a block of its parent (what children lists and GET /v1/blocks/{page_id} show)."""
    out = _common(p.id, parent_of(p), p.created, p.edited, p.created_by, p.edited_by, has_children, p.in_trash)
    out["type"] = "child_page"
    out["child_page"] = {"title": plain(p.title)}
    return out


def person_json(uid: str, name: str, email: str | None) -> dict:
    return {"object": "user", "id": uid, "name": name, "avatar_url": None, "type": "person",
            "person": {"email": email} if email else {}}


def bot_json(uid: str, name: str, workspace_name: str) -> dict:
    return {"object": "user", "id": uid, "name": name, "avatar_url": None, "type": "bot",
            "bot": {"owner": {"type": "workspace", "workspace": True}, "workspace_name": workspace_name,
                    "workspace_limits": {"max_file_upload_size_in_bytes": 5_242_880}}}


def error(status: int, code: str, message: str) -> dict:
    return {"object": "error", "status": status, "code": code, "message": message}
