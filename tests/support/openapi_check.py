"""Validate sandbox JSON responses against the vendors' OpenAPI/Swagger descriptions."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator
from jsonschema.exceptions import relevance
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from tests.support import ROOT

VENDORED = ROOT / "vendor" / "openapi"  # the trimmed descriptions the repository ships (vendor/openapi/README.md)
SPEC_FILES = {
    "slack": "slack-web-api.trimmed.json",
    "notion": "notion-api-2025-09-03.trimmed.json",
    "jira": "jira-cloud-platform-v3.trimmed.json",
}
# The full files under their upstream names: POSTMORTEM_SPECS_DIR may name a folder of those instead, to check
# the sandbox against everything the vendors publish.
UPSTREAM_FILES = {
    "slack": "slack-web-api.openapi-v2.json",
    "notion": "notion-api-2025-09-03.openapi.json",
    "jira": "jira-cloud-platform-v3.openapi.json",
}
_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def specs_dir() -> Path:
    env = os.environ.get("POSTMORTEM_SPECS_DIR")
    return Path(env) if env else VENDORED


def spec_path(api: str) -> Path:
    """The trimmed file if the folder has it, else the full upstream one if that is there."""
    if api not in SPEC_FILES:
        raise LookupError(f"unknown api {api!r}; expected one of {sorted(SPEC_FILES)}")
    folder = specs_dir()
    trimmed, full = folder / SPEC_FILES[api], folder / UPSTREAM_FILES[api]
    return full if not trimmed.is_file() and full.is_file() else trimmed


@cache  # parse each description once per process (the full Jira one is 2.4 MB)
def raw_spec(api: str) -> dict:
    """The spec as vendored (the published text, trimmed to the operations used; use it to read examples)."""
    with open(spec_path(api), encoding="utf-8") as fh:
        return json.load(fh)


def _is_31(doc: dict) -> bool:
    return str(doc.get("openapi", "")).startswith("3.1")


def _convert(node: Any, *, nullable: bool, open_objects: bool) -> Any:
    """Rewrite OpenAPI-flavoured schemas into plain JSON Schema the validators understand."""
    if isinstance(node, list):
        return [_convert(n, nullable=nullable, open_objects=open_objects) for n in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _convert(v, nullable=nullable, open_objects=open_objects)
        for k, v in node.items()
        # x- extensions are vendor noise; example values are data, not schemas.
        if not k.startswith("x-") and k not in ("example", "examples")
    }
    if nullable and isinstance(out.get("items"), list) and "type" not in out:
        # Slack's generator writes unions as untyped tuple `items` (objs_user, channel_actions_ts), which
        # JSON Schema would only apply to arrays; read them as the anyOf they were meant to be.
        out["anyOf"] = out.pop("items")
    if open_objects and out.get("additionalProperties") is False:
        del out["additionalProperties"]
    if nullable and out.get("nullable") is True:
        del out["nullable"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        elif "type" not in out:
            # Draft 4 ignores $ref siblings and has no 'type' to widen, so wrap instead.
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@cache  # converting a description is the slow part; once per api and mode
def _prepared(api: str, open_objects: bool) -> tuple[dict, Registry, type]:
    doc = raw_spec(api)
    uri = f"urn:openapi-check:{api}"
    if _is_31(doc):
        conv = _convert(doc, nullable=False, open_objects=open_objects)
        return conv, Registry().with_resource(uri, DRAFT202012.create_resource(conv)), Draft202012Validator
    conv = _convert(doc, nullable=True, open_objects=open_objects)
    return conv, Registry().with_resource(uri, DRAFT4.create_resource(conv)), Draft4Validator


@cache
def _templates(api: str) -> list[tuple[re.Pattern, str]]:
    pats = []
    for tmpl in raw_spec(api).get("paths", {}):
        rx = re.escape(tmpl)
        rx = re.sub(r"\\\{[^}/]+\\\}", "[^/]+", rx)
        pats.append((re.compile(rx + r"\Z"), tmpl))
    # Literal segments beat parameters (/issue/createmeta over /issue/{issueIdOrKey}).
    pats.sort(key=lambda p: (p[1].count("{"), -len(p[1])))
    return pats


def _match_path(api: str, path: str) -> str | None:
    path = path.split("?", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    paths = raw_spec(api).get("paths", {})
    if path in paths:
        return path
    if len(path) > 1 and path.rstrip("/") in paths:
        return path.rstrip("/")
    for rx, tmpl in _templates(api):
        if rx.match(path):
            return tmpl
    return None


def _find_operation(api: str, method: str, path: str) -> tuple[str, str] | None:
    tmpl = _match_path(api, path)
    if tmpl is None:
        return None
    ops = {m: op for m, op in raw_spec(api)["paths"][tmpl].items() if m in _METHODS}
    m = method.lower()
    if m in ops:
        return tmpl, m
    # Slack accepts any verb for every method (slack_sdk POSTs everything), the spec lists one.
    if api == "slack" and len(ops) == 1:
        return tmpl, next(iter(ops))
    return None


def operation_exists(api: str, method: str, path: str) -> bool:
    return _find_operation(api, method, path) is not None


def _pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _response_key(responses: dict, status: int) -> str | None:
    for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
        if key in responses:
            return key
    return None


def _schema_pointer(doc: dict, tmpl: str, method: str, key: str) -> str | None:
    """JSON pointer (within the spec) to the response body schema, or None if undocumented."""
    resp = doc["paths"][tmpl][method]["responses"][key]
    base = ["paths", tmpl, method, "responses", key]
    if "$ref" in resp:  # shared response objects (#/components/responses/...)
        ref = resp["$ref"]
        base = [p.replace("~1", "/").replace("~0", "~") for p in ref.lstrip("#/").split("/")]
        for p in base:
            doc = doc[p]
        resp = doc
    if "schema" in resp:  # Swagger 2.0
        return _pointer(base + ["schema"])
    content = resp.get("content") or {}
    for ctype in sorted(content, key=lambda c: (c != "application/json", "json" not in c)):
        if "json" in ctype and "schema" in content[ctype]:
            return _pointer(base + ["content", ctype, "schema"])
    return None


def validate_response(
    api: str, method: str, path: str, body: Any, status: int = 200, *, allow_extra: bool | None = None
) -> None:
    """Assert that body is what the spec documents for api/method/path/status.

    path may be a template ('/v1/pages/{page_id}') or concrete ('/v1/pages/0b3c...').
    allow_extra=True ignores `additionalProperties: false`; by default only for Slack, whose
    2021 description is a floor (the live API adds fields, e.g. response_metadata).
    Raises LookupError if the operation or a JSON response schema is not documented.
    """
    found = _find_operation(api, method, path)
    if found is None:
        raise LookupError(f"{api}: {method.upper()} {path} is not in {spec_path(api).name}")
    tmpl, m = found
    if allow_extra is None:
        allow_extra = api == "slack"
    doc, registry, validator_cls = _prepared(api, allow_extra)
    responses = doc["paths"][tmpl][m].get("responses", {})
    # Slack errors come back as HTTP 200 with ok=false; the spec files them under 'default'.
    if api == "slack" and isinstance(body, dict) and body.get("ok") is False:
        if "default" not in responses or _schema_pointer(doc, tmpl, m, "default") is None:
            return
        key = "default"
    else:
        key = _response_key(responses, status)
    if key is None:
        raise LookupError(f"{api}: {m.upper()} {tmpl} documents no response for status {status}")
    ptr = _schema_pointer(doc, tmpl, m, key)
    if ptr is None:
        raise LookupError(f"{api}: {m.upper()} {tmpl} response {key} has no JSON schema")
    validator = validator_cls({"$ref": f"urn:openapi-check:{api}#{ptr}"}, registry=registry)
    errors = list(validator.iter_errors(body))
    if not errors:
        return
    err = max(errors, key=relevance)  # best_match's own union descent picks the deepest branch, often the wrong one
    while err.context:  # an unmatched union names the whole instance; the closest branch's failure is useful
        branches: dict[Any, list] = {}
        for sub in err.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        err = max(min(branches.values(), key=len), key=relevance)
    where = _pointer(err.absolute_path) or "(root)"
    raise AssertionError(
        f"{api} {m.upper()} {path} (spec {tmpl}, response {key}) does not match the spec: "
        f"at {where}: {err.message[:500]} [{len(errors)} error(s); schema path {_pointer(err.absolute_schema_path)}]"
    )
