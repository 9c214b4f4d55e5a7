"""The Notion sandbox's store: pages, blocks and ordered children, built once from the workspace file."""

from __future__ import annotations

import gc
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sandbox import ids
from sandbox.notion.markdown import markdown_to_blocks, text_item
from sandbox.notion.objects import block_payload, plain, rich_text


@dataclass(slots=True)
class PageRec:
    id: str
    title: list[dict]
    parent: str | None
    created: datetime
    edited: datetime
    created_by: str
    edited_by: str
    shared: bool = True
    in_trash: bool = False
    icon: dict | None = None
    cover: dict | None = None
    database: str | None = None  # set on a database row: its parent is then a data source of this database
    props: dict[str, dict] | None = None  # a row's property values by name; the title's text is `title`'s


@dataclass(slots=True)
class BlockRec:
    id: str
    type: str
    data: dict
    parent: str
    parent_is_page: bool
    page: str  # the page the block lives on, for visibility and last-edited times
    created: datetime
    edited: datetime
    created_by: str
    edited_by: str
    in_trash: bool = False


@dataclass
class NotionState:
    """Everything the integration can see and has written; tests read it through `sandbox.state("notion")`."""

    workspace_name: str
    bot_id: str
    bot_name: str = "Postmortem"
    pages: dict[str, PageRec] = field(default_factory=dict)
    blocks: dict[str, BlockRec] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)  # page/block id -> child block and page ids
    people: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # user id -> (name, email)
    pending: dict[str, str] = field(default_factory=dict)  # page id -> Markdown content not yet made blocks
    databases: dict = field(default_factory=dict)  # id -> DatabaseRec (sandbox/notion/dbstore.py)
    sources: dict = field(default_factory=dict)  # data source id -> SourceRec

    @classmethod
    def from_workspace(cls, ws) -> NotionState:
        team = ws.slack.team.name if ws.slack and ws.slack.team else ws.name
        st = cls(workspace_name=team, bot_id=ids.uuid_for("notion-bot", ws.name))
        # Notion shows a person's full name; the format keeps it on the Slack side of the same person
        full = {u.name: u.real_name for u in ws.slack.users if u.real_name}
        for u in ws.notion.users:
            st.people[u.id] = (full.get(u.name, u.name), u.email)
        owner = ws.notion.users[0].id if ws.notion.users else ids.uuid_for("notion-user", "owner")
        by_name = {u.name: u.id for u in ws.notion.users}
        for p in ws.notion.pages:
            author = by_name.get(p.author) or (ids.uuid_for("notion-user", p.author) if p.author else owner)
            if p.author and author not in st.people:
                st.people[author] = (full.get(p.author, p.author), None)  # a Slack user who also writes in Notion
            edited = p.edited or p.created
            st.pages[p.id] = PageRec(p.id, rich_text([text_item(p.title)]), p.parent, p.created, edited, author,
                                     author, p.shared)
            st.children[p.id] = []
            if p.content.strip():
                st.pending[p.id] = p.content
        for p in ws.notion.pages:  # child pages come after the parent's own content
            if p.parent:
                st.children[p.parent].append(p.id)
        if ws.notion.databases:
            from sandbox.notion.dbstore import load_databases  # it builds this module's records

            load_databases(st, ws)
        return st

    def ensure(self, pid: str) -> None:
        """Make a workspace page's content into blocks on first use: building 2,000 pages' blocks up front is slow."""
        content = self.pending.pop(pid, None)
        if content is None:
            return
        p, counter = self.pages[pid], iter(range(1_000_000))
        # Stable ids, so a block id seen in one run is valid in the next run on the same file.
        self.insert(pid, markdown_to_blocks(content), "", p.created_by, p.created,
                    lambda: ids.uuid_for("notion-block", f"{pid}/{next(counter)}"), touch=False)

    def ensure_all(self) -> None:
        gc.disable()  # tens of thousands of small dicts: the cyclic collector would add a third to the time
        try:
            for pid in list(self.pending):
                self.ensure(pid)
        finally:
            gc.enable()

    # --- visibility -------------------------------------------------------------------------------------------

    def page_visible(self, pid: str) -> bool:
        """Shared with the integration, and so is every ancestor (sharing is inherited in Notion)."""
        p = self.pages.get(pid)
        while p is not None:
            if not p.shared:
                return False
            p = self._above(p)
        return pid in self.pages

    def page_trashed(self, pid: str) -> bool:
        p = self.pages.get(pid)
        while p is not None:
            if p.in_trash:
                return True
            p = self._above(p)
        return False

    def _above(self, p):
        """What holds p: its parent page, or for a database row its database (which holds sharing and trash)."""
        if p.database:
            return self.databases.get(p.database)
        return self.pages.get(p.parent) if p.parent else None

    def find(self, rid: str) -> PageRec | BlockRec | None:
        """A page or block the integration can see, trashed or not."""
        if rid in self.pages:
            return self.pages[rid] if self.page_visible(rid) else None
        if rid not in self.blocks and self.pending:
            self.ensure_all()  # a block id remembered from an earlier run, on a page not yet read
        b = self.blocks.get(rid)
        return b if b is not None and self.page_visible(b.page) else None

    def live_children(self, rid: str) -> list[str]:
        self.ensure(rid)
        return [c for c in self.children.get(rid, ()) if not self._trashed(c)]

    def has_children(self, rid: str) -> bool:
        if rid in self.pending:
            return True
        return any(not self._trashed(c) for c in self.children.get(rid, ()))

    def _trashed(self, rid: str) -> bool:
        rec = self.pages.get(rid) or self.blocks.get(rid)
        return rec is None or rec.in_trash or (rid in self.pages and not self.page_visible(rid))

    # --- writes -----------------------------------------------------------------------------------------------

    def insert(self, parent: str, requests: list[dict], after: str | None, user: str, now: datetime,
               new_id=None, touch: bool = True) -> list[str]:
        """Create blocks (and their nested children) under a page or block, after a sibling ("" = first, None =
        last); returns the top-level ids."""
        new_id = new_id or (lambda: str(uuid.uuid4()))
        is_page = parent in self.pages
        self.ensure(parent)
        page = parent if is_page else self.blocks[parent].page
        made = []
        for req in requests:
            kind = req.get("type") or next(k for k in req if k not in ("object", "type"))
            payload = req[kind]
            rec = BlockRec(new_id(), kind, block_payload(kind, payload), parent, is_page, page, now, now, user, user)
            self.blocks[rec.id] = rec
            self.children[rec.id] = []
            if payload.get("children"):
                self.insert(rec.id, payload["children"], None, user, now, new_id, touch)
            made.append(rec.id)
        siblings = self.children.setdefault(parent, [])
        at = 0 if after == "" else siblings.index(after) + 1 if after in siblings else len(siblings)
        siblings[at:at] = made
        if touch:
            self.touch(page, user, now)
        return made

    def touch(self, pid: str, user: str, now: datetime) -> None:
        p = self.pages.get(pid)
        if p is not None and now > p.edited:
            p.edited, p.edited_by = now, user

    def create_page(self, parent: str, title: list[dict], user: str, now: datetime, icon=None, cover=None) -> PageRec:
        p = PageRec(str(uuid.uuid4()), rich_text(title), parent, now, now, user, user, icon=icon, cover=cover)
        self.pages[p.id] = p
        self.children[p.id] = []
        self.children.setdefault(parent, []).append(p.id)
        self.touch(parent, user, now)
        return p

    def title_of(self, pid: str) -> str:
        return plain(self.pages[pid].title)

    def search(self, query: str) -> list[PageRec]:
        """Live, shared pages whose title holds the whole query (case-insensitive), newest edit first."""
        q = query.strip().lower()
        hits = [p for p in self.pages.values()
                if (not q or q in plain(p.title).lower()) and self.page_visible(p.id) and not self.page_trashed(p.id)]
        hits.sort(key=lambda p: (p.edited, p.id), reverse=True)
        return hits
