"""Data source property schemas and page property values, checked with Notion's own validation messages."""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import quote

from sandbox import ids
from sandbox.notion.limits import Invalid, check_rich_text, fail
from sandbox.notion.markdown import text_item
from sandbox.notion.objects import person_json, plain, rich_text, user_ref

COLORS = ("default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red")
STATUS_DEFAULT = ("Not started", "In progress", "Done")
_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789:;<=>?@[]^_`{|}~"
_DONE = ("done", "complete", "closed", "resolved", "published", "shipped", "archived")
_DOING = ("progress", "review", "doing", "active", "started")


def prop_id(source_id: str, name: str) -> str:
    """Notion's short, URL-encoded property ids (the title's is always "title")."""
    digest = hashlib.sha256(f"{source_id}/{name}".encode()).digest()
    return quote("".join(_ID_CHARS[b % len(_ID_CHARS)] for b in digest[:4]), safe="")


def _option(source_id: str, name: str, n: int) -> dict:
    return {"id": ids.uuid_for("notion-option", f"{source_id}/{name}"), "name": name, "color": COLORS[n % len(COLORS)]}


def _group(name: str) -> str:
    low = name.lower()
    return "Complete" if any(w in low for w in _DONE) else "In progress" if any(w in low for w in _DOING) else "To-do"


def schema_json(source_id: str, specs: dict[str, dict]) -> dict[str, dict]:
    """The data source's `properties`, from the loader's normalised specs ({type, options?})."""
    out = {}
    for name, spec in specs.items():
        kind = spec["type"]
        pid = "title" if kind == "title" else prop_id(source_id, name)
        config: dict = {}
        if kind in ("select", "multi_select", "status"):
            names = spec["options"] or (list(STATUS_DEFAULT) if kind == "status" else [])
            config["options"] = [_option(source_id, o, n) for n, o in enumerate(names)]
        if kind == "status":
            config["groups"] = [{"id": ids.uuid_for("notion-group", f"{source_id}/{g}"), "name": g, "color": c,
                                 "option_ids": [o["id"] for o in config["options"] if _group(o["name"]) == g]}
                                for g, c in (("To-do", "gray"), ("In progress", "blue"), ("Complete", "green"))]
        if kind == "number":
            config["format"] = "number"
        out[name] = {"id": pid, "name": name, "type": kind, kind: config}
    return out


def value(prop: dict, data) -> dict:
    return {"id": prop["id"], "type": prop["type"], prop["type"]: data}


def default(prop: dict) -> dict:
    """What a new page holds in a property nobody set (a status starts at its first to-do option)."""
    kind = prop["type"]
    if kind == "status":
        todo = next((g["option_ids"] for g in prop["status"]["groups"] if g["name"] == "To-do"), [])
        first = next((o for o in prop["status"]["options"] if o["id"] in todo), None)
        return value(prop, dict(first) if first else None)
    empty = {"title": [], "rich_text": [], "people": [], "multi_select": [], "checkbox": False}
    return value(prop, empty.get(kind))


def _named(prop: dict, name: str) -> dict | None:
    return next((dict(o) for o in prop[prop["type"]]["options"] if o["name"] == name), None)


def from_workspace(prop: dict, data, people: dict[str, tuple[str, str | None]], user_of) -> dict:
    """A row's value as the loader normalised it (text, ISO date, option names, user names) -> the value object."""
    kind = prop["type"]
    if data is None:
        return default(prop)
    if kind in ("title", "rich_text"):
        return value(prop, rich_text([text_item(data)]))
    if kind == "date":
        return value(prop, {"start": data, "end": None, "time_zone": None})
    if kind in ("select", "status"):
        return value(prop, _named(prop, data))
    if kind == "multi_select":
        return value(prop, [_named(prop, n) for n in data])
    if kind == "people":
        return value(prop, [person_json(uid, *people[uid]) for uid in map(user_of, data)])
    return value(prop, data)


def find(schema: dict[str, dict], key: str) -> dict | None:
    """A property by name, else by id (Notion accepts either as the key)."""
    return schema.get(key) or next((p for p in schema.values() if p["id"] == key), None)


def from_request(key: str, prop: dict, sent, people: dict, path: str) -> dict:
    """A property value sent to POST/PATCH /v1/pages -> the stored value object; unknown select names are added to
    the schema, as Notion does when the integration may edit the database."""
    kind = prop["type"]
    if not isinstance(sent, dict):
        raise fail(path, "an object", sent)
    given = sent.get("type") or next((k for k in sent if k not in ("id", "type", "name")), None)
    if given != kind:
        raise Invalid(f"{key} is expected to be {kind}.")
    if kind not in sent:
        raise fail(f"{path}.{kind}", "defined", "undefined")
    data, where = sent[kind], f"{path}.{kind}"
    if kind in ("title", "rich_text"):
        check_rich_text(data, where)
        return value(prop, rich_text(data))
    if data is None and kind not in ("checkbox", "people", "multi_select"):
        return value(prop, None)
    if kind == "date":
        return value(prop, _date(data, where))
    if kind in ("select", "status"):
        return value(prop, _choice(key, prop, data, where))
    if kind == "multi_select":
        if not isinstance(data, list):
            raise fail(where, "an array", data)
        return value(prop, [_choice(key, prop, d, f"{where}[{i}]") for i, d in enumerate(data)])
    if kind == "people":
        return value(prop, _people(data, people, where))
    wanted = {"checkbox": bool, "number": int | float}.get(kind, str)
    if not isinstance(data, wanted) or (kind == "number" and isinstance(data, bool)):
        raise fail(where, {"checkbox": "a boolean", "number": "a number"}.get(kind, "a string"), data)
    return value(prop, data)


def _date(data, where: str) -> dict:
    if not isinstance(data, dict) or not isinstance(data.get("start"), str):
        raise fail(f"{where}.start", "a string", (data or {}).get("start", "undefined") if isinstance(data, dict)
                   else data)
    for part in ("start", "end"):
        if data.get(part) is not None:
            try:
                datetime.fromisoformat(str(data[part]).replace("Z", "+00:00"))
            except ValueError:
                raise fail(f"{where}.{part}", "a valid ISO 8601 date string", data[part]) from None
    return {"start": data["start"], "end": data.get("end"), "time_zone": data.get("time_zone")}


def _choice(key: str, prop: dict, data, where: str) -> dict:
    kind, options = prop["type"], prop[prop["type"]]["options"]
    if not isinstance(data, dict) or not isinstance(data.get("name") or data.get("id"), str):
        raise fail(f"{where}.name", "a string", data)
    if data.get("id"):
        found = next((dict(o) for o in options if o["id"] == data["id"]), None)
        if found is None:
            raise Invalid(f"Invalid {kind} option id for property {key}: {data['id']}")
        return found
    name = data["name"]
    if kind != "status" and "," in name:
        raise Invalid(f"Invalid {kind} option, commas not allowed: {name}")
    found = _named(prop, name)
    if found is None:
        if kind == "status":
            raise Invalid(f'Invalid status option. Status option "{name}" does not exist for property {key}.')
        found = {"id": str(ids.uuid_for("notion-option", f"{key}/{name}/{len(options)}")), "name": name,
                 "color": COLORS[len(options) % len(COLORS)]}
        options.append(dict(found))
    return found


def _people(data, people: dict, where: str) -> list[dict]:
    if not isinstance(data, list):
        raise fail(where, "an array", data)
    out = []
    for i, ref in enumerate(data):
        uid = ref.get("id") if isinstance(ref, dict) else None
        if not isinstance(uid, str):
            raise fail(f"{where}[{i}].id", "a string", ref)
        out.append(person_json(uid, *people[uid]) if uid in people else user_ref(uid))
    return out


def text_of(val: dict | None) -> str:
    """A value as one line of text: for tables and text filters."""
    if not val:
        return ""
    data = val.get(val["type"])
    if val["type"] in ("title", "rich_text"):
        return plain(data)
    if val["type"] in ("select", "status"):
        return data["name"] if data else ""
    if val["type"] == "multi_select":
        return ", ".join(o["name"] for o in data)
    if val["type"] == "people":
        return ", ".join(p.get("name") or p["id"] for p in data)
    if val["type"] == "date":
        return data["start"] + (f" → {data['end']}" if data.get("end") else "") if data else ""
    return "" if data is None else str(data).lower() if isinstance(data, bool) else str(data)
