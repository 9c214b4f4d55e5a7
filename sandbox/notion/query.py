"""Filters and sorts of POST /v1/data_sources/{id}/query, checked against the data source's schema."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.notion import properties as props
from sandbox.notion.limits import Invalid, fail
from sandbox.notion.objects import iso, plain

TEXT = ("title", "rich_text", "url", "email", "phone_number")  # Notion's text conditions apply to all of these
TEXT_OPS = ("equals", "does_not_equal", "contains", "does_not_contain", "starts_with", "ends_with")
NUMBER_OPS = ("equals", "does_not_equal", "greater_than", "less_than", "greater_than_or_equal_to",
              "less_than_or_equal_to")
DATE_OPS = ("equals", "before", "after", "on_or_before", "on_or_after")
OPS = {"text": TEXT_OPS, "number": NUMBER_OPS, "date": DATE_OPS, "checkbox": ("equals", "does_not_equal"),
       "select": ("equals", "does_not_equal"), "status": ("equals", "does_not_equal"),
       "multi_select": ("contains", "does_not_contain"), "people": ("contains", "does_not_contain")}
TIMESTAMPS = ("created_time", "last_edited_time")
Row = Callable[[object], bool]


def compile_filter(flt, schema: dict[str, dict], path: str = "body.filter") -> Row:
    """A predicate on a row (PageRec); raises Invalid with Notion's messages for a filter it would reject."""
    if not isinstance(flt, dict):
        raise fail(path, "an object", flt)
    for joint, combine in (("and", all), ("or", any)):
        if joint in flt:
            parts = flt[joint]
            if not isinstance(parts, list):
                raise fail(f"{path}.{joint}", "an array", parts)
            preds = [compile_filter(p, schema, f"{path}.{joint}[{i}]") for i, p in enumerate(parts)]
            return lambda row, preds=preds, combine=combine: combine(p(row) for p in preds)
    if flt.get("timestamp") in TIMESTAMPS:
        stamp = flt["timestamp"]
        test = _condition("date", flt.get(stamp), f"{path}.{stamp}")
        return lambda row: test(iso(getattr(row, "created" if stamp == "created_time" else "edited")))
    key = flt.get("property")
    if not isinstance(key, str):
        raise fail(f"{path}.property", "a string", flt.get("property", "undefined"))
    prop = props.find(schema, key)
    if prop is None:
        raise Invalid(f"Could not find property with name or id: {key}")
    kind = next((k for k in flt if k != "property"), None)
    family = "text" if prop["type"] in TEXT else prop["type"]
    if kind is None or ("text" if kind in TEXT else kind) != family:
        raise Invalid(f"database property {prop['type']} does not match filter {kind}")
    test = _condition(family, flt[kind], f"{path}.{kind}")
    name = prop["name"]
    return lambda row: test(_raw(row, name, family))


def _raw(row, name: str, family: str):
    """The row's value of a property, as conditions compare it (the title's text lives on the row itself)."""
    val = row.props.get(name)
    if val and val["type"] == "title":
        return plain(row.title)
    data = val.get(val["type"]) if val else None
    if family == "text":
        return props.text_of(val)
    if family in ("select", "status"):
        return data["name"] if data else None
    if family == "multi_select":
        return [o["name"] for o in data or []]
    if family == "people":
        return [p["id"] for p in data or []]
    if family == "date":
        return data["start"] if data else None
    return data


def _condition(family: str, cond, path: str) -> Callable:
    if not isinstance(cond, dict) or len(cond) != 1:
        raise fail(path, "an object with one condition", cond)
    op, want = next(iter(cond.items()))
    if op in ("is_empty", "is_not_empty"):
        if want is not True:
            raise fail(f"{path}.{op}", "`true`", want)
        empty = op == "is_empty"
        return lambda v: (v in (None, "", [])) == empty
    if op not in OPS[family]:
        raise fail(f"{path}.{op}", f"not present (one of {', '.join(OPS[family] + ('is_empty', 'is_not_empty'))})",
                   want)
    if family == "text":
        if not isinstance(want, str):
            raise fail(f"{path}.{op}", "a string", want)
        return _text(op, want)
    if family == "date":
        return _date(op, want, f"{path}.{op}")
    if family in ("multi_select", "people"):
        return (lambda v: want in v) if op == "contains" else (lambda v: want not in v)
    if family == "number":
        ops = {"equals": "__eq__", "does_not_equal": "__ne__", "greater_than": "__gt__", "less_than": "__lt__",
               "greater_than_or_equal_to": "__ge__", "less_than_or_equal_to": "__le__"}
        return lambda v: v is not None and getattr(v, ops[op])(want) is True
    return (lambda v: v == want) if op == "equals" else (lambda v: v != want)


def _text(op: str, want: str) -> Callable:
    low = want.lower()  # contains and friends ignore case in Notion; equals compares the text as written
    return {"equals": lambda v: v == want, "does_not_equal": lambda v: v != want,
            "contains": lambda v: low in v.lower(), "does_not_contain": lambda v: low not in v.lower(),
            "starts_with": lambda v: v.lower().startswith(low), "ends_with": lambda v: v.lower().endswith(low)}[op]


def _date(op: str, want, path: str) -> Callable:
    if not isinstance(want, str) or len(want) < 10:
        raise fail(path, "a valid ISO 8601 date string", want)
    day = len(want) == 10  # a date alone compares calendar days

    def cmp(v: str | None) -> int | None:
        if not v:
            return None
        a, b = (v[:10], want) if day else (v, want)
        return (a > b) - (a < b)

    tests = {"equals": lambda c: c == 0, "before": lambda c: c < 0, "after": lambda c: c > 0,
             "on_or_before": lambda c: c <= 0, "on_or_after": lambda c: c >= 0}
    return lambda v: (c := cmp(v)) is not None and tests[op](c)


def sort_rows(rows: list, sorts, schema: dict[str, dict]) -> list:
    """Rows ordered by the sorts, the first one leading; empty values last, as Notion shows them."""
    if sorts is None:
        return sorted(rows, key=lambda r: r.created, reverse=True)  # newest first when no sort is given
    if not isinstance(sorts, list):
        raise fail("body.sorts", "an array", sorts)
    keys = []
    for i, s in enumerate(sorts):
        if not isinstance(s, dict) or s.get("direction") not in ("ascending", "descending"):
            raise fail(f"body.sorts[{i}].direction", '`"ascending"` or `"descending"`', (s or {}).get("direction"))
        if s.get("timestamp") in TIMESTAMPS:
            attr = "created" if s["timestamp"] == "created_time" else "edited"
            keys.append((lambda r, a=attr: getattr(r, a), s["direction"]))
            continue
        prop = props.find(schema, s.get("property") or "")
        if prop is None:
            raise Invalid(f"Could not find sort property with name or id: {s.get('property')}")
        family = "text" if prop["type"] in TEXT else prop["type"]
        keys.append((lambda r, n=prop["name"], f=family: _sortable(_raw(r, n, f)), s["direction"]))
    out = list(rows)
    for key, direction in reversed(keys):  # stable sorts, last key first, so the first sort leads
        filled = [r for r in out if key(r) is not None]
        filled.sort(key=key, reverse=direction == "descending")
        out = filled + [r for r in out if key(r) is None]
    return out


def _sortable(v):
    if v in (None, "", []):
        return None
    if isinstance(v, list):
        return ", ".join(map(str, v)).lower()
    return v.lower() if isinstance(v, str) else v
