"""The local Notion store: entries per integration, one version per page, and never a failed run because of it."""

from __future__ import annotations

from graph.sources import notion_store
from graph.sources.notion_store import NotionStore


def test_entries_belong_to_one_integration_and_a_page_keeps_its_latest_read(tmp_path):
    path = tmp_path / "notion-cache.sqlite"
    ours, theirs = NotionStore(path, "https://api.notion.com", "ntn_a"), NotionStore(path, "https://api.notion.com", "b")
    ours.put_bodies([("p1", "2025-08-04T10:00:00.000Z", "first"), ("p2", "2025-08-04T11:00:00.000Z", "other")])
    ours.put_bodies([("p1", "2025-08-04T12:00:00.000Z", "edited")])
    assert ours.bodies(["p1", "p3"]) == {"p1": ("2025-08-04T12:00:00.000Z", "edited")}
    assert theirs.bodies(["p1", "p2"]) == {}
    ours.put_report("summer25", "aaaa-bbbb", "parent-1")
    assert ours.report_for("summer25") == ("aaaa-bbbb", "parent-1") and ours.reports() == {"aaaabbbb": "summer25"}
    ours.forget_report("summer25")
    assert ours.report_for("summer25") is None and theirs.reports() == {}


def test_people_are_listed_again_after_a_week(tmp_path, monkeypatch):
    store = NotionStore(tmp_path / "s.sqlite", "u", "t")
    store.put_people([{"id": "u1", "name": "Ann", "type": "person"}, {"id": "b1", "name": "Bot", "type": "bot"}])
    assert {k: (v.name, v.bot) for k, v in store.people().items()} == {"u1": ("Ann", False), "b1": ("Bot", True)}
    monkeypatch.setattr(notion_store.time, "time", lambda: 10**10)
    assert store.people() == {}


def test_a_store_that_cannot_be_opened_reads_as_empty_and_writes_nothing(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = NotionStore(blocker / "notion-cache.sqlite", "u", "t")  # its folder cannot be made
    store.put_bodies([("p1", "t", "x")])
    store.put_parent("", "p")
    assert store.bodies(["p1"]) == {} and store.parent("") is None and store.people() == {}
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    broken = NotionStore(corrupt, "u", "t")
    broken.put_report("k", "p", None)
    assert broken.report_for("k") is None and broken.parents() == set()
