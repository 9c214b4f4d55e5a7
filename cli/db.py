"""`postmortem db migrate`: create or update the shared database's tables (a release step, or before the first start)."""

from __future__ import annotations

import sys

from graph.configuration import Configuration


def db(args) -> int:
    url = Configuration().database_url
    if not url:
        print("postmortem: POSTMORTEM_DATABASE_URL is not set: without it the bot keeps its state in SQLite "
              "(.postmortem/) and needs no migration", file=sys.stderr)
        return 2
    from bot.postgres.schema import TABLES, DatabaseError, migrate, safe

    try:
        made = migrate(url)
    except DatabaseError as exc:
        print(f"postmortem: {exc}", file=sys.stderr)
        return 1
    print(f"postmortem: {safe(url)}: " + (f"created {', '.join(made)}" if made else "already up to date"))
    for table, what in TABLES.items():
        print(f"  {table}: {what}")
    return 0
