"""The shared-database row: unset, unreachable, reachable without its tables, and set up with a live process."""

from __future__ import annotations

from bot.postgres.schema import migrate
from doctor.database import check_database
from graph.configuration import Configuration


def test_unset_is_skipped_and_an_unreachable_database_fails_without_showing_its_password():
    (none,) = check_database(Configuration(database_url=""))
    assert none.status == "skip" and "SQLite" in none.detail
    (down,) = check_database(Configuration(database_url="postgresql://bot:s3cret@127.0.0.1:1/pm"))
    assert down.status == "fail" and "bot@127.0.0.1:1/pm" in down.detail and "s3cret" not in down.detail + down.fix
    assert "POSTMORTEM_DATABASE_URL" in down.fix


def test_an_empty_database_asks_for_a_migration_and_a_migrated_one_passes(pg_url):
    (empty,) = check_database(Configuration(database_url=pg_url))
    assert empty.status == "fail" and "procrastinate_jobs" in empty.detail and "postmortem db migrate" in empty.fix
    migrate(pg_url)
    (ready,) = check_database(Configuration(database_url=pg_url))
    assert ready.status == "ok" and "0 bot process(es) live, 0 job(s) waiting" in ready.detail
