"""Which Notion pages deserve a body read, decided from what is cheap: titles, last edit times and the local store."""

from __future__ import annotations

from datetime import datetime

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
PARENT_TITLES = ("post mortems", "post-mortems", "postmortems")  # in the order publishing searches for them


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


def parent_hint(listed: list[dict], complete: bool) -> str | None:
    """The page publishing would find as its parent ('Post Mortems'), when this listing settles it: it held every
    page (`complete`), or the newest page with the first spelling searched for, since unlisted pages are older."""
    by_title: dict[str, str] = {}
    for page in sorted(listed, key=edited, reverse=True):
        title = title_of(page).strip().lower()
        if title in PARENT_TITLES and not (page.get("in_trash") or page.get("archived")):
            by_title.setdefault(title, page["id"])
    for n, title in enumerate(PARENT_TITLES):
        if title in by_title and (complete or n == 0):
            return by_title[title]
        if not complete:
            return None
    return None
