"""Which Notion pages deserve a body read, decided from what is cheap: titles, last edit times and the local store."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from graph.configuration import parent_titles
from graph.evidence import parse_iso
from graph.sources.notion_pages import is_report, title_of
from graph.sources.notion_store import plain_id
from graph.terms import is_match

MAX_TITLE_READS = 10  # pages whose title matches: those edited in the window first, then the newest
# Other pages edited in the window, newest first, RECENT_READS at a time. Search only sees titles, so a page about the
# incident whose title does not say so (support's running notes, the campaign plan, a weekly review) is looked for
# here: such pages are written around the incident, so among the window's newest edits. Once a group holds a page
# that matches, the pages about the incident have been reached and no further group is read.
RECENT_READS = 3
RECENT_GROUPS = 3


def edited(page: dict) -> datetime:
    return parse_iso(page["last_edited_time"])


def title_hits(pages: list[dict], queries: list[str], terms: list[str]) -> set[str]:
    """The pages a title search for each query would return (titles holding it), or whose title matches the terms."""
    out = set()
    for page in pages:
        title = title_of(page).lower()
        if any(q.lower() in title for q in queries if q.strip()) or is_match(title, terms):
            out.add(page["id"])
    return out


def usable(page: dict, latest: datetime, ours: set[str], cached: dict[str, tuple[str, str]]) -> bool:
    """Live, written by the window's end, and neither one of our reports nor the page they are published under
    (`ours`, plain ids, from the store) nor a report recognised on an earlier read."""
    if page.get("in_trash") or page.get("archived") or parse_iso(page["created_time"]) > latest:
        return False
    return plain_id(page["id"]) not in ours and not is_report(cached.get(page["id"], ("", None))[1])


def choose(pages: list[dict], hits: set[str], cached: dict[str, tuple[str, str]], terms: list[str],
           oldest: datetime) -> tuple[list[dict], list[list[dict]]]:
    """(pages to read, groups of the window's newest other edits to read in turn until one matches), never every
    page edited in the window: title matches (at most MAX_TITLE_READS) and pages of the window whose stored text
    matched (read again only if edited since). Stored pages cost no request unless they changed."""
    newest = sorted(pages, key=edited, reverse=True)
    window = [p for p in newest if edited(p) >= oldest]
    titled = sorted((p for p in newest if p["id"] in hits), key=lambda p: edited(p) < oldest)[:MAX_TITLE_READS]
    known = [p for p in window if p["id"] in cached and is_match(title_of(p) + " " + cached[p["id"]][1], terms)]
    recent = [p for p in window if p["id"] not in hits][:RECENT_READS * RECENT_GROUPS]
    return list({p["id"]: p for p in titled + known}.values()), [recent[i:i + RECENT_READS]
                                                                 for i in range(0, len(recent), RECENT_READS)]


def title_key(title: str) -> str:
    """A title as collection titles are compared: 'Post-mortems', 'post mortems' and 'POSTMORTEMS' are one."""
    return re.sub(r"[\W_]+", "", title.casefold())


def is_row(page: dict) -> bool:
    """A database row: it holds one report, never the collection reports go under."""
    return (page.get("parent") or {}).get("type") in ("data_source_id", "database_id")


def parent_hint(listed: list[dict], complete: bool, titles: Iterable[str] | None = None) -> str | None:
    """The newest listed page titled like a collection of post-mortems (POSTMORTEM_PARENT_TITLES), as publishing's
    discovery (graph/publish/target.py) ranks pages; the gather remembers it so the page is not read as evidence.
    `complete` does not matter: the listing is newest first, so unlisted pages are older than the one found."""
    keys = {title_key(t) for t in (parent_titles() if titles is None else titles)} - {""}
    for page in sorted(listed, key=edited, reverse=True):
        if title_key(title_of(page)) in keys and not (page.get("in_trash") or page.get("archived") or is_row(page)):
            return page["id"]
    return None
