"""Where reports are published: the configured page or database, else the team's collection found by its title."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from notion_client import Client
from notion_client.helpers import extract_notion_id

from graph.configuration import Configuration
from graph.publish.database import plain, resolve_source
from graph.publish.notion_io import HOW_TO_SHARE, PublishError, call
from graph.sources.notion_pages import title_of
from graph.sources.notion_select import is_row, title_key
from graph.sources.notion_store import NotionStore

PAGE_SIZE = 100  # Notion's most per search request
MAX_CANDIDATES = 5  # top-level pages the error names, so the person can pick one
MISSING = ("object_not_found", "validation_error", "restricted_resource")  # how Notion answers for an id it won't show
NOT_SHARED = ("The Notion page {page} was not found: it is not shared with the integration (or does not exist). "
              "To share it, " + HOW_TO_SHARE + ", or set NOTION_PARENT_PAGE_ID to a page that is shared.")
# bot/replies.py recognises this failure by its first words: keep "No Notion page to publish under".
NO_PARENT = ("No Notion page to publish under: no page or database shared with the integration is titled {titles} "
             "(case, spaces and punctuation aside). Set NOTION_PARENT_PAGE_ID to the id of the page reports go "
             "under{candidates}, or create a page with one of those titles and share it with the integration ("
             + HOW_TO_SHARE + ").")


@dataclass(frozen=True)
class Target:
    kind: str  # "page": reports are its child pages; "database": reports are its rows
    id: str  # the page's or the database's id
    title: str
    note: str = ""  # which one was chosen and why, when several matched: for the run's log and the report
    data_source_id: str | None = None  # a found database: the data source whose name matched


def find_target(client: Client, cfg_or_titles: Configuration | Sequence[str],
                kinds: Sequence[str] = ("page", "database"), hint: str | None = None) -> Target:
    """Where reports go, checked against Notion, for publishing and for `postmortem doctor`.

    Given a Configuration, NOTION_DATABASE_ID (else NOTION_PARENT_PAGE_ID) wins when set: it is retrieved, and a
    PublishError saying what to do is raised when the integration cannot see it (code: one of MISSING) or, for a
    database, cannot add rows to it (graph/publish/database.py resolve_source's codes). Otherwise
    (and always, given a list of titles) the shared pages and databases of `kinds` whose title is one of the
    titles (cfg.parent_titles: POSTMORTEM_PARENT_TITLES) with case, spaces and punctuation ignored are candidates;
    database rows never are. Several: the most recently edited, and `note` says which and why. None: PublishError
    with code "no_parent", whose message names up to MAX_CANDIDATES top-level shared pages with their ids.

    Requests: 1-2 for a configured target; 1 search in a workspace of up to 100 pages and databases; else 2 more
    with a `hint` (discover), or one more per distinct word the titles search by (PARENT_TITLES: 4).
    """
    if isinstance(cfg_or_titles, Configuration):
        cfg = cfg_or_titles
        if cfg.notion_database_id:
            source = resolve_source(client, cfg.notion_database_id, cfg.notion_data_source_id or None)
            return Target("database", source["parent"]["database_id"], plain(source.get("title") or []),
                          data_source_id=source["id"])
        if cfg.notion_parent_page_id:
            page = configured_page(client, cfg.notion_parent_page_id)
            return Target("page", page["id"], title_of(page))
        titles = cfg.parent_titles
    else:
        titles = list(cfg_or_titles)
    return discover(client, titles, kinds, hint)


def configured_page(client: Client, page_id: str) -> dict:
    """The page NOTION_PARENT_PAGE_ID names (an id or a link), or PublishError saying how to share it."""
    try:
        return call(client.pages.retrieve, page_id=extract_notion_id(page_id) or page_id)
    except PublishError as exc:
        if exc.code in MISSING:
            raise PublishError(NOT_SHARED.format(page=page_id), exc.code) from exc
        raise


def discover(client: Client, titles: Sequence[str], kinds: Sequence[str] = ("page", "database"),
             hint: str | None = None) -> Target:
    """The most recently edited shared page or database (of `kinds`) titled like one of `titles`: find_target
    without a configured target. `hint`: the page the gather found by these titles (graph/sources/notion_select.py
    parent_hint), the newest such page of its listing, which spares searching for pages in a large workspace."""
    keys = {title_key(t) for t in titles} - {""}
    listed, more = _search(client, "")
    hits = _hits(listed, keys, kinds)
    if not hits and more:  # every match is older than the newest 100 pages and databases
        page = _hinted(client, hint, keys) if hint and "page" in kinds else None
        rest = [k for k in kinds if not (page and k == "page")]
        hits = {page["id"]: page} if page else {}
        if page and rest:  # pages are settled; a workspace has few databases: list them
            sources, more = _search(client, "", "data_source")
            hits |= _hits(sources, keys, rest)
        for query in search_words(titles) if more and rest else []:  # each title's word, newest first too
            hits |= _hits(_search(client, query, "data_source" if page else None)[0], keys, rest)
    if not hits:
        raise PublishError(no_parent(titles, listed), "no_parent")
    ranked = sorted(hits.values(), key=lambda h: (h["last_edited_time"], h["id"]), reverse=True)
    best = _target(ranked[0])
    if len(ranked) == 1:
        return best
    note = (f"Published {'in the database' if best.kind == 'database' else 'under'} '{best.title}' (id {best.id}), "
            f"the most recently edited of {len(ranked)} {_kinds(ranked)} with a post-mortem title.")
    return Target(best.kind, best.id, best.title, note, best.data_source_id)


def search_words(titles: Sequence[str]) -> list[str]:
    """One word per title that a Notion title search finds all its spellings by: its longest ('mortems' finds
    'Post Mortems' and 'Post-mortems'), and none that holds another word already searched ('postmortems')."""
    words = []
    for title in titles:
        parts = "".join(c if c.isalnum() else " " for c in title.casefold()).split()
        if parts:
            words.append(max(parts, key=len))
    return [w for i, w in enumerate(words) if w not in words[:i] and not any(o != w and o in w for o in words)]


def no_parent(titles: Sequence[str], listed: list[dict]) -> str:
    top = [p for p in listed if p.get("object") == "page" and (p.get("parent") or {}).get("type") == "workspace"]
    named = "; ".join(f"'{title_of(p) or 'Untitled'}' (id {p['id']})" for p in top[:MAX_CANDIDATES])
    quoted = ", ".join(f"'{t}'" for t in titles[:-1]) + (" or " if len(titles) > 1 else "") + f"'{titles[-1]}'"
    return NO_PARENT.format(titles=quoted, candidates=f", for example one of these shared top-level pages: {named}"
                            if named else "")


def _search(client: Client, query: str, only: str | None = None) -> tuple[list[dict], bool]:
    """Shared pages and data sources (or `only` one of them) whose title holds `query` ('' = all), newest edit
    first; and whether more follow. Notion searches titles only; one request of 100 lists a small workspace."""
    flt = {"filter": {"property": "object", "value": only}} if only else {}
    res = call(client.search, query=query, page_size=PAGE_SIZE,
               sort={"timestamp": "last_edited_time", "direction": "descending"}, **flt)
    live = [r for r in res.get("results", []) if not (r.get("in_trash") or r.get("archived"))]
    return live, bool(res.get("has_more") and res.get("next_cursor"))


def _hinted(client: Client, page_id: str, keys: set[str]) -> dict | None:
    """The hinted page, when it is live and still titled as asked (the hint may be from other titles or stale)."""
    try:
        page = call(client.pages.retrieve, page_id=page_id)
    except PublishError:
        return None
    return page if _hits([page], keys, ("page",)) else None


def _hits(results: list[dict], keys: set[str], kinds: Sequence[str]) -> dict[str, dict]:
    out = {}
    for r in results:
        if r.get("object") == "page" and "page" in kinds and not is_row(r) and title_key(title_of(r)) in keys:
            out[r["id"]] = r
        elif r.get("object") == "data_source" and "database" in kinds and title_key(plain(r.get("title") or [])) \
                in keys:
            out[r["id"]] = r
    return out


def _target(hit: dict) -> Target:
    if hit["object"] == "data_source":
        return Target("database", hit["parent"]["database_id"], plain(hit.get("title") or []),
                      data_source_id=hit["id"])
    return Target("page", hit["id"], title_of(hit))


def _kinds(hits: list[dict]) -> str:
    found = {h["object"] for h in hits}
    return "pages and databases" if len(found) > 1 else ("databases" if "data_source" in found else "pages")


# --- remembered between runs: a re-run publishes where the first one did, without searching --------------------------

def _key(titles: Sequence[str]) -> str:
    # Per title list: another POSTMORTEM_PARENT_TITLES looks again
    return "titles:" + "|".join(sorted({title_key(t) for t in titles}))


def remembered(store: NotionStore | None, titles: Sequence[str]) -> Target | None:
    """The target an earlier run found for these titles (its note is not repeated: nothing was chosen now)."""
    value = store.parent(_key(titles)) if store else None
    if not value:
        return None
    kind, _, rest = value.partition(":")
    ident, _, source = rest.partition(":")
    return Target(kind, ident, "", data_source_id=source or None) if kind in ("page", "database") else None


def remember(store: NotionStore | None, titles: Sequence[str], target: Target | None) -> None:
    if not store:
        return
    value = None if target is None else f"{target.kind}:{target.id}:{target.data_source_id or ''}"
    store.put_parent(_key(titles), value)
    if target and target.kind == "page":  # the parent setting resolves to itself: publish_report needs no request
        store.put_parent(target.id, target.id)
