"""Published-page records in the shared database: a process finds the page another process published."""

from __future__ import annotations

from bot.postgres.schema import migrate
from graph.sources.notion_shared import SharedNotionStore, store_for
from graph.sources.notion_store import NotionStore


def test_two_processes_with_their_own_folders_see_each_others_pages(pg_url, tmp_path):
    migrate(pg_url)
    a = store_for(str(tmp_path / "a" / "runs.sqlite"), "http://notion", "tok", pg_url)
    b = store_for(str(tmp_path / "b" / "runs.sqlite"), "http://notion", "tok", pg_url)
    assert isinstance(a, SharedNotionStore) and a.path != b.path
    a.put_report("summer25", "1f2e-PAGE", "parent-1")
    a.put_parent("", "parent-1")
    assert b.report_for("summer25") == ("1f2e-PAGE", "parent-1")
    assert b.reports() == {"1f2epage": "summer25"} and b.parents() == {"parent1"}
    a.put_report("summer25", "NEW", "parent-1")  # a page re-made elsewhere: the latest wins
    assert b.report_for("summer25") == ("NEW", "parent-1")
    b.forget_report("summer25")
    assert a.report_for("summer25") is None
    other = store_for(str(tmp_path / "c" / "runs.sqlite"), "http://notion", "another-token", pg_url)
    assert other.reports() == {}, "another integration's pages are another scope"


def test_without_a_database_the_store_stays_local_and_an_unreachable_one_reads_as_empty(tmp_path):
    assert type(store_for(str(tmp_path / "runs.sqlite"), "http://notion", "tok")) is NotionStore
    down = store_for(str(tmp_path / "runs.sqlite"), "http://notion", "tok", "postgresql://nobody@127.0.0.1:1/x")
    down.put_report("k", "p", None)  # never raises: the page is then found among the parent's children
    assert down.report_for("k") is None and down.reports() == {}
