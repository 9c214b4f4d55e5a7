"""Slack mrkdwn to safe HTML for the sandbox pages: formatting, quotes, lists, code, links, mentions and emoji."""

from __future__ import annotations

import html
import re

from sandbox.slack.emoji import emojify

_FENCE = re.compile(r"```(.*?)```", re.S)
_INLINE = re.compile(r"`([^`\n]+)`|<([@#!]?)([^<>|\n]+)(?:\|([^<>]*))?>")
_STYLES = [(re.compile(rf"(?<![\w{m}])\{m}(?=[^\s{m}])([^{m}\n]*?[^\s{m}])\{m}(?![\w{m}])"), tag)
           for m, tag in (("*", "strong"), ("_", "em"), ("~", "s"))]
_HOLE = re.compile(r"\x00(\d+)\x00")
_QUOTE = re.compile(r"^(?:>|&gt;) ?")
_BULLET = re.compile(r"^\s*[•◦▪\-*] +")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)] +")
SAFE_SCHEMES = ("http://", "https://", "mailto:", "ftp://")


def unescape(text: str) -> str:
    """Slack escapes only &, < and > in message text; undo exactly those before escaping for HTML."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def esc(text: str) -> str:
    return html.escape(unescape(text), quote=True)


def link(url: str, label_html: str) -> str:
    """A link only for schemes a browser cannot run script from; anything else is shown as text."""
    url = unescape(url).strip()
    if not url.lower().startswith(SAFE_SCHEMES):
        return label_html
    return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{label_html}</a>'


def user_name(s, uid: str, label: str | None = None) -> str:
    u = s.users.get(uid) or s.user_by_name(uid)  # hand-written workspaces may use names
    return (u.real_name or u.name) if u else (label or uid).lstrip("@")


def channel_link(s, cid: str, label: str | None = None) -> str:
    c = s.channels.get(cid) or s.channel_by_name(cid)
    name = html.escape(c.name if c else (label or cid))
    return f'<a class="chan" href="/archives/{html.escape(c.id)}">#{name}</a>' if c else f"<b>#{name}</b>"


def _special(target: str, label: str | None) -> str:
    """<!here>, <!channel>, <!subteam^ID|@team>, <!date^…|fallback>: Slack shows the label or the keyword."""
    if label:
        return label if target.startswith("date^") else "@" + label.lstrip("@")
    return "@" + target.split("^", 1)[0]


def _token(s, m: re.Match) -> str:
    code, kind, target, label = m.groups()
    if code is not None:
        return f"<code>{esc(code)}</code>"
    if kind == "@":
        return f"<b>@{html.escape(user_name(s, target, label))}</b>"
    if kind == "#":
        return channel_link(s, target, label)
    if kind == "!":
        text = _special(target, label and unescape(label))
        return html.escape(text) if target.startswith("date^") else f"<b>{html.escape(text)}</b>"
    shown = label if label else target.removeprefix("mailto:")
    return link(target, emojify(esc(shown)))


def inline(s, text: str) -> str:
    """One line or paragraph of mrkdwn: code spans and <tokens> first, so formatting never reaches inside them."""
    holes: list[str] = []
    out, pos = [], 0
    for m in _INLINE.finditer(text):
        out.append(esc(text[pos:m.start()]))
        holes.append(_token(s, m))
        out.append(f"\x00{len(holes) - 1}\x00")
        pos = m.end()
    out.append(esc(text[pos:]))
    joined = "".join(out)
    for pattern, tag in _STYLES:
        joined = pattern.sub(lambda m, tag=tag: f"<{tag}>{m.group(1)}</{tag}>", joined)
    return _HOLE.sub(lambda m: holes[int(m.group(1))], emojify(joined))


def _group(lines: list[str]) -> list[tuple[str, list[str]]]:
    groups: list[tuple[str, list[str]]] = []
    for line in lines:
        kind = "quote" if _QUOTE.match(line) else "ul" if _BULLET.match(line) else \
            "ol" if _NUMBER.match(line) else "p"
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(line)
        else:
            groups.append((kind, [line]))
    return groups


def _blocks(s, chunk: str) -> str:
    out = []
    for kind, lines in _group(chunk.split("\n")):
        if kind == "quote":
            out.append("<blockquote>" + "<br>".join(inline(s, _QUOTE.sub("", ln, 1)) for ln in lines) + "</blockquote>")
        elif kind in ("ul", "ol"):
            strip = _BULLET if kind == "ul" else _NUMBER
            out.append(f"<{kind}>" + "".join(f"<li>{inline(s, strip.sub('', ln, 1))}</li>" for ln in lines)
                       + f"</{kind}>")
        else:
            out.append("<br>".join(inline(s, ln) for ln in lines))
    return "".join(out)


def render(s, text: str) -> str:
    """A whole mrkdwn text (message text, section text) as HTML; everything from the text is escaped."""
    text = (text or "").replace("\x00", "")
    out, pos = [], 0
    for m in _FENCE.finditer(text):
        before = text[pos:m.start()].strip("\n")
        if before:
            out.append(_blocks(s, before))
        out.append(f"<pre>{esc(m.group(1).strip(chr(10)))}</pre>")
        pos = m.end()
    rest = text[pos:].strip("\n") if out else text[pos:]
    if rest:
        out.append(_blocks(s, rest))
    return "".join(out)
