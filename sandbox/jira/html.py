"""A small HTML page for /browse/KEY, so evidence links in post-mortems open in a browser."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from sandbox.jira.shapes import jtime, link_type
from sandbox.jira.state import IssueRec, JiraState

_STYLE = ("body{font-family:sans-serif;max-width:50em;margin:2em auto;color:#172b4d}"
          ".meta{color:#5e6c84}.status{background:#dfe1e6;border-radius:3px;padding:0 .4em}"
          "pre{white-space:pre-wrap;font-family:inherit}li{margin:.4em 0;padding:.2em .4em;border-radius:3px}"
          "li.focused{background:#fffae6;box-shadow:inset 3px 0 #ffab00}")
# Jira opens ?focusedCommentId=N scrolled to that comment and highlighted; evidence links rely on it.
_FOCUS = ("<script>const f=new URLSearchParams(location.search).get('focusedCommentId');"
          "const el=f&&document.getElementById('comment-'+f);"
          "if(el){el.classList.add('focused');el.scrollIntoView({block:'center'});}</script>")


def _when(at: datetime | None) -> str:
    """A time as a person reads it (Jira shows the viewer's zone; the sandbox's users have none, so UTC)."""
    if at is None:
        return ""
    at = at.astimezone(UTC)
    return f'<time datetime="{jtime(at)}">{at:%a} {at.day} {at:%b %Y, %H:%M} UTC</time>'


def _who(st: JiraState, name: str | None) -> str:
    if name is None:
        return "Unassigned"
    u = st.users.get(name)
    return escape(u.display_name if u else name)


def render(st: JiraState, rec: IssueRec) -> str:
    # Both ends of a link, as Jira shows them: this issue's own (outward verb) and others' pointing here (inward).
    pairs = [(link_type(lk.type)["outward"], lk.key) for lk in rec.links] + [
        (link_type(other.links[i].type)["inward"], other.key) for other, i in st.inbound.get(rec.key, ())]
    links = "".join(f'<li>{escape(verb)} <a href="/browse/{escape(key)}">{escape(key)}</a></li>' for verb, key in pairs)
    comments = "".join(f'<li id="comment-{c.id}"><b>{_who(st, c.author)}</b> <span class="meta">{_when(c.at)}</span>'
                       f"<pre>{escape(c.body)}</pre></li>" for c in rec.comments)
    history = "".join(f'<li><span class="meta">{_when(t.at)}</span> {_who(st, t.by)}: '
                      f"{escape(t.from_)} &rarr; {escape(t.to)}</li>" for t in rec.transitions)
    parent = f' &middot; parent <a href="/browse/{rec.parent}">{rec.parent}</a>' if rec.parent else ""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>[{rec.key}] {escape(rec.summary)}</title><style>{_STYLE}</style></head>
<body>
<p class="meta">{escape(st.projects[rec.project][1])} / {rec.key}{parent}</p>
<h1>{escape(rec.summary)}</h1>
<p><span class="status">{escape(rec.status)}</span> &middot; {escape(rec.type)} &middot; {escape(rec.priority)}
 &middot; Assignee: {_who(st, rec.assignee)} &middot; Reporter: {_who(st, rec.reporter)}</p>
<p class="meta">Created {_when(rec.created)} &middot; Updated {_when(rec.updated)}
{f" &middot; Resolved {_when(rec.resolved)}" if rec.resolved else ""}
{f" &middot; Due {rec.due:%d %b %Y}" if rec.due else ""}
{f" &middot; Labels: {escape(', '.join(rec.labels))}" if rec.labels else ""}</p>
<h2>Description</h2><pre>{escape(rec.description) or "<i>None</i>"}</pre>
{f"<h2>Links</h2><ul>{links}</ul>" if links else ""}
<h2>Comments</h2>{f"<ul>{comments}</ul>" if comments else "<p><i>No comments</i></p>"}
<h2>History</h2>{f"<ul>{history}</ul>" if history else "<p><i>No status changes</i></p>"}
{_FOCUS}
</body></html>
"""
