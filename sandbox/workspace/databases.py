"""Rules for `notion.databases` in a workspace file: ids, parents, property schemas and row values."""

from __future__ import annotations

import re
from datetime import date, datetime

from sandbox import ids
from sandbox.workspace.models import Database, DataSource, Row

PLAIN_TYPES = ("title", "rich_text", "date", "people", "url", "email", "phone_number", "number", "checkbox")
OPTION_TYPES = ("select", "status", "multi_select")
TEXT_TYPES = ("title", "rich_text", "url", "email", "phone_number")
_UUID = re.compile(r"[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}")


def check_databases(ck, known: set[str], by_title: dict[str, str], page_ids: set[str]) -> None:
    """Validate and complete every database: stable ids, resolved parents, normalised schemas and values.

    `ck` is the loader's checker (fail, not_after_now); `known` the user names Notion may name.
    """
    taken = set(page_ids)
    for i, db in enumerate(ck.ws.notion.databases):
        base = f"notion.databases[{i}]"
        db.id = _id(ck, db.id, f"{base}.id", taken, "notion-database", f"{db.title}|{i}")
        db.created = db.created or ck.ws.now
        ck.not_after_now(db.created, f"{base}.created")
        if db.parent is not None:
            ref = ids.dashed(db.parent) if _UUID.fullmatch(db.parent) else db.parent
            target = ref if ref in page_ids else by_title.get(db.parent)
            if target is None:
                ck.fail(f"{base}.parent", f"no page with title or id {db.parent!r}")
            db.parent = target
        if db.data_sources is not None and (db.properties is not None or db.rows):
            ck.fail(f"{base}.data_sources", "give either properties and rows or data_sources, not both")
        single = db.data_sources is None
        if single:
            if db.properties is None:
                ck.fail(f"{base}.properties", "required (or data_sources)")
            db.data_sources = [DataSource(name=db.title, properties=db.properties, rows=db.rows)]
            db.properties, db.rows = None, []
        for j, src in enumerate(db.data_sources):
            path = base if single else f"{base}.data_sources[{j}]"  # errors name what the file says
            src.id = _id(ck, src.id, f"{path}.id", taken, "notion-data-source", f"{db.id}/{j}")
            _check_source(ck, db, src, path, known, taken)


def _id(ck, given: str | None, path: str, taken: set[str], kind: str, key: str) -> str:
    if given is not None and not _UUID.fullmatch(given):
        ck.fail(path, f"{given!r} is not a UUID")
    out = ids.dashed(given) if given else ids.uuid_for(kind, key)
    if out in taken:
        ck.fail(path, f"id {out} is used twice")
    taken.add(out)
    return out


def _check_source(ck, db: Database, src: DataSource, base: str, known: set[str], taken: set[str]) -> None:
    schema: dict[str, dict] = {}
    for name, spec in src.properties.items():
        schema[name] = _spec(ck, spec, f"{base}.properties.{name}")
    titles = [n for n, s in schema.items() if s["type"] == "title"]
    if len(titles) != 1:
        ck.fail(f"{base}.properties", f"needs exactly one title property, has {len(titles)}")
    src.properties = schema
    for k, row in enumerate(src.rows):
        path = f"{base}.rows[{k}]"
        row.id = _id(ck, row.id, f"{path}.id", taken, "notion-row", f"{src.id}/{k}")
        row.created = row.created or db.created
        ck.not_after_now(row.created, f"{path}.created")
        if row.author is not None and row.author not in known:
            ck.fail(f"{path}.author", f"unknown user {row.author!r} (not in notion.users or slack.users)")
        _check_row(ck, row, schema, path, known)


def _spec(ck, spec, path: str) -> dict:
    if isinstance(spec, str):
        if spec in OPTION_TYPES:
            return {"type": spec, "options": []}
        if spec not in PLAIN_TYPES:
            ck.fail(path, f"unknown property type {spec!r} (one of {', '.join(PLAIN_TYPES + OPTION_TYPES)})")
        return {"type": spec}
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in OPTION_TYPES:
        ck.fail(path, "should be a type name or a mapping {select|status|multi_select: [options]}")
    kind, options = next(iter(spec.items()))
    if not isinstance(options, list) or not all(isinstance(o, str) and o for o in options):
        ck.fail(f"{path}.{kind}", "should be a list of option names")
    if len(set(options)) != len(options):
        ck.fail(f"{path}.{kind}", "option names repeat")
    if kind != "status" and any("," in o for o in options):
        ck.fail(f"{path}.{kind}", "an option name holds a comma (Notion does not allow it)")
    return {"type": kind, "options": list(options)}


def _check_row(ck, row: Row, schema: dict[str, dict], base: str, known: set[str]) -> None:
    values = {}
    for name, value in row.properties.items():
        path = f"{base}.properties.{name}"
        if name not in schema:
            ck.fail(path, f"unknown property {name!r} (not in the database's properties)")
        values[name] = _value(ck, value, schema[name], name, path, known)
    row.properties = values


def _value(ck, value, spec: dict, name: str, path: str, known: set[str]):
    kind = spec["type"]
    if value is None:
        return None
    if kind in TEXT_TYPES:
        if not isinstance(value, str):
            ck.fail(path, f"a {kind} value should be text")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            ck.fail(path, "a number value should be a number")
        return value
    if kind == "checkbox":
        if not isinstance(value, bool):
            ck.fail(path, "a checkbox value should be true or false")
        return value
    if kind == "date":
        return _date(ck, value, path)
    many = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in many):
        ck.fail(path, f"a {kind} value should be a name or a list of names")
    if kind == "people":
        for v in many:
            if v not in known:
                ck.fail(path, f"unknown user {v!r} (not in notion.users or slack.users)")
        return many
    for v in many:
        if v not in spec["options"]:
            ck.fail(path, f"{v!r} is not an option of {name} ({', '.join(spec['options']) or 'none'})")
    if kind != "multi_select" and len(many) != 1:
        ck.fail(path, f"a {kind} value is one option")
    return many if kind == "multi_select" else many[0]


def _date(ck, value, path: str) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            ck.fail(path, "time without a zone (add Z or +HH:MM)")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            ck.fail(path, f"{value!r} is not an ISO-8601 date")
        if len(value) > 10 and parsed.tzinfo is None:
            ck.fail(path, "time without a zone (add Z or +HH:MM)")
        return value if len(value) <= 10 else parsed.isoformat()
    ck.fail(path, "a date value should be an ISO-8601 date or time")
