"""Block Kit to safe HTML for the sandbox pages, close to how the Slack client lays out each block type."""

from __future__ import annotations

import html

from sandbox.slack import controls, mrkdwn
from sandbox.slack.emoji import EMOJI, emojify

_RICH_STYLES = (("code", "code"), ("bold", "strong"), ("italic", "em"), ("strike", "s"))


def text_obj(s, obj: dict | None) -> str:
    """A composition text object: mrkdwn is formatted, plain_text only escaped (emoji shortcodes shown)."""
    if not isinstance(obj, dict):
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn.render(s, str(obj.get("text") or ""))
    plain = html.escape(str(obj.get("text") or ""))
    return emojify(plain) if obj.get("emoji", True) else plain


def _image(el: dict, cls: str) -> str:
    url = str(el.get("image_url") or (el.get("slack_file") or {}).get("url") or "")
    alt = html.escape(str(el.get("alt_text") or ""), quote=True)
    if not url.lower().startswith(("http://", "https://")):
        return f'<span class="{cls} noimg" title="{alt}">🖼</span>'
    return f'<img class="{cls}" src="{html.escape(url, quote=True)}" alt="{alt}" title="{alt}" loading="lazy">'


def where(**attrs) -> str:
    """The data-* attributes naming an element's surface (channel and ts of a message, or a view's id)."""
    return "".join(f' data-{k.replace("_", "-")}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items() if v)


def _confirm(s, obj: dict | None) -> str:
    """A button's confirm dialog, kept beside it for the page to show before anything is sent."""
    if not isinstance(obj, dict):
        return ""
    style = obj.get("style") if obj.get("style") in ("primary", "danger") else ""
    return (f'<template class="bk-confirm" data-style="{style}"><h3>{text_obj(s, obj.get("title"))}</h3>'
            f'<div class="text">{text_obj(s, obj.get("text"))}</div>'
            f'<span class="yes">{text_obj(s, obj.get("confirm")) or "Yes"}</span>'
            f'<span class="no">{text_obj(s, obj.get("deny")) or "Cancel"}</span></template>')


def element(s, el: dict, block_id: str = "", at: str = "", state: dict | None = None) -> str:
    """An element of a section or actions block; buttons and menus send block_actions from the page.
    `at` is where() of its message or view, `state` the view's state.values (a modal keeps what was entered)."""
    kind = el.get("type")
    if kind == "image":
        return _image(el, "bk-accessory-img")
    if kind == "button":
        style = el.get("style") if el.get("style") in ("primary", "danger") else ""
        label = text_obj(s, el.get("text"))
        ids = where(block_id=block_id, action_id=el.get("action_id"), value=el.get("value")) + at
        if el.get("url"):  # Slack opens the link and still tells the app about the click
            return mrkdwn.link(str(el["url"]), f'<span class="bk-btn {style}" data-button="1"{ids}>{label}</span>')
        return f'<button class="bk-btn {style}" type="button" data-button="1"{ids}>{label}</button>' + \
            _confirm(s, el.get("confirm"))
    current = ((state or {}).get(block_id) or {}).get(str(el.get("action_id") or ""))
    return controls.control(s, el, block_id, current, dispatch=True, where=at)


def _rich_inline(s, el: dict) -> str:
    kind = el.get("type")
    if kind == "text":
        out = html.escape(str(el.get("text") or "")).replace("\n", "<br>")
    elif kind == "link":
        out = mrkdwn.link(str(el.get("url") or ""), html.escape(str(el.get("text") or el.get("url") or "")))
    elif kind == "user":
        out = f"<b>@{html.escape(mrkdwn.user_name(s, str(el.get('user_id'))))}</b>"
    elif kind == "channel":
        out = mrkdwn.channel_link(s, str(el.get("channel_id")))
    elif kind == "emoji":
        name = str(el.get("name") or "")
        uni = el.get("unicode")
        out = html.escape("".join(chr(int(p, 16)) for p in str(uni).split("-"))) if uni else \
            EMOJI.get(name, f":{html.escape(name)}:")
    elif kind == "broadcast":
        out = f"<b>@{html.escape(str(el.get('range') or 'here'))}</b>"
    elif kind == "usergroup":
        out = "<b>@group</b>"
    elif kind == "date":
        out = html.escape(str(el.get("fallback") or el.get("timestamp") or ""))
    else:
        out = html.escape(str(el.get("text") or ""))
    for flag, tag in _RICH_STYLES:
        if (el.get("style") or {}).get(flag):
            out = f"<{tag}>{out}</{tag}>"
    return out


def _rich_part(s, part: dict) -> str:
    kind, elements = part.get("type"), part.get("elements") or []
    if kind == "rich_text_section":
        return f'<div class="rt-section">{"".join(_rich_inline(s, e) for e in elements)}</div>'
    if kind == "rich_text_list":
        tag = "ol" if part.get("style") == "ordered" else "ul"
        indent = int(part.get("indent") or 0)
        items = "".join(f"<li>{''.join(_rich_inline(s, e) for e in sec.get('elements') or [])}</li>"
                        for sec in elements)
        return f'<{tag} class="rt-list" style="margin-left:{indent * 1.5}em">{items}</{tag}>'
    if kind == "rich_text_quote":
        return f"<blockquote>{''.join(_rich_inline(s, e) for e in elements)}</blockquote>"
    if kind == "rich_text_preformatted":
        return f"<pre>{''.join(_rich_inline(s, e) for e in elements)}</pre>"
    return ""


def block(s, b: dict, at: str = "", state: dict | None = None) -> str:
    kind, bid = b.get("type"), str(b.get("block_id") or "")
    if kind == "header":
        return f'<div class="bk-header">{text_obj(s, b.get("text"))}</div>'
    if kind == "divider":
        return '<hr class="bk-divider">'
    if kind == "section":
        body = f'<div class="bk-text">{text_obj(s, b.get("text"))}</div>' if b.get("text") else ""
        if b.get("fields"):
            body += '<div class="bk-fields">' + "".join(
                f'<div class="bk-field">{text_obj(s, f)}</div>' for f in b["fields"][:10]) + "</div>"
        acc = f'<div class="bk-accessory">{element(s, b["accessory"], bid, at, state)}</div>' \
            if b.get("accessory") else ""
        return f'<div class="bk-section"><div class="bk-main">{body}</div>{acc}</div>'
    if kind == "context":
        parts = [_image(e, "bk-context-img") if e.get("type") == "image" else f"<span>{text_obj(s, e)}</span>"
                 for e in b.get("elements") or []]
        return f'<div class="bk-context">{"".join(parts)}</div>'
    if kind == "actions":
        parts = "".join(element(s, e, bid, at, state) for e in b.get("elements") or [])
        return f'<div class="bk-actions">{parts}</div>'
    if kind == "image":
        title = f'<div class="bk-image-title">{text_obj(s, b["title"])}</div>' if b.get("title") else ""
        return f'<div class="bk-image">{title}{_image(b, "bk-img")}</div>'
    if kind == "rich_text":
        return f'<div class="bk-rich">{"".join(_rich_part(s, p) for p in b.get("elements") or [])}</div>'
    return f'<div class="bk-unknown">[{html.escape(str(kind))} block]</div>'


def render(s, blocks: list, at: str = "") -> str:
    """A message's blocks; Slack shows blocks instead of the text when a message has them."""
    out = []
    for b in blocks if isinstance(blocks, list) else []:
        try:
            out.append(block(s, b, at) if isinstance(b, dict) else "")
        except (TypeError, ValueError, AttributeError, KeyError):  # a malformed block must not break the page
            out.append('<div class="bk-unknown">[unreadable block]</div>')
    return "".join(out)
