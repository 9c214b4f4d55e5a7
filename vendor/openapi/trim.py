"""Regenerate the trimmed vendor API descriptions in this folder from the vendors' full files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Where a $ref may point: Swagger 2.0 keeps reusable parts at the top level, OpenAPI 3 under components/<kind>.
SWAGGER_SECTIONS = ("definitions", "parameters", "responses")

# vendor -> (full file as published upstream, trimmed file written here)
FILES = {
    "slack": ("slack-web-api.openapi-v2.json", "slack-web-api.trimmed.json"),
    "notion": ("notion-api-2025-09-03.openapi.json", "notion-api-2025-09-03.trimmed.json"),
    "jira": ("jira-cloud-platform-v3.openapi.json", "jira-cloud-platform-v3.trimmed.json"),
}

# The operations to keep, as (method, path template exactly as in the full file).
OPERATIONS = {
    # Slack: every Web API method of sandbox/slack/methods.py METHODS (the methods the bot calls through
    # slack_sdk); tests/sandbox/slack validates the sandbox's answers. apps.connections.open (socket.py) is not in
    # Slack's 2021 description, so it cannot be kept.
    "slack": [
        ("get", "/auth.test"),
        ("get", "/conversations.list"),
        ("get", "/conversations.info"),
        ("get", "/conversations.members"),
        ("post", "/conversations.join"),
        ("get", "/conversations.history"),
        ("get", "/conversations.replies"),
        ("get", "/users.info"),
        ("get", "/users.list"),
        ("post", "/chat.postMessage"),
        ("post", "/chat.update"),
        ("post", "/chat.postEphemeral"),
        ("get", "/chat.getPermalink"),
        ("get", "/search.messages"),
        ("get", "/views.open"),
        ("get", "/views.push"),
        ("get", "/views.update"),
    ],
    # Notion: the /v1 routes of sandbox/notion/api.py, blocks.py and databases.py (what notion-client calls);
    # tests/sandbox/notion and tests/support/test_openapi_vendors.py validate against them.
    "notion": [
        ("post", "/v1/search"),
        ("get", "/v1/users/me"),
        ("get", "/v1/users"),
        ("get", "/v1/users/{user_id}"),
        ("get", "/v1/pages/{page_id}"),
        ("post", "/v1/pages"),
        ("patch", "/v1/pages/{page_id}"),
        ("get", "/v1/blocks/{block_id}"),
        ("patch", "/v1/blocks/{block_id}"),
        ("delete", "/v1/blocks/{block_id}"),
        ("get", "/v1/blocks/{block_id}/children"),
        ("patch", "/v1/blocks/{block_id}/children"),
        ("get", "/v1/databases/{database_id}"),
        ("get", "/v1/data_sources/{data_source_id}"),
        ("post", "/v1/data_sources/{data_source_id}/query"),
    ],
    # Jira: the /rest/api/{2,3,latest} routes of sandbox/jira/api.py (write.py, create.py and links.py answer the
    # writes, link types and user search), which the jira client library calls (graph/sources/jira.py reads,
    # graph/tickets/jira_create.py creates tickets); /search is the retired Cloud search whose SearchResults shape
    # the sandbox's /rest/api/2/search still answers with. GET /issue/createmeta is not served:
    # tests/support/test_openapi_vendors.py uses it to check that literal path segments win over {issueIdOrKey}.
    "jira": [
        ("get", "/rest/api/3/serverInfo"),
        ("get", "/rest/api/3/myself"),
        ("get", "/rest/api/3/project"),
        ("get", "/rest/api/3/project/{projectIdOrKey}"),
        ("get", "/rest/api/3/issuetype"),
        ("get", "/rest/api/3/field"),
        ("get", "/rest/api/3/search/jql"),
        ("post", "/rest/api/3/search/jql"),
        ("get", "/rest/api/3/search"),
        ("post", "/rest/api/3/search"),
        ("get", "/rest/api/3/issue/{issueIdOrKey}"),
        ("get", "/rest/api/3/issue/{issueIdOrKey}/comment"),
        ("post", "/rest/api/3/issue/{issueIdOrKey}/comment"),
        ("post", "/rest/api/3/issue"),
        ("post", "/rest/api/3/issueLink"),
        ("get", "/rest/api/3/issueLinkType"),
        ("get", "/rest/api/3/user/search"),
        ("get", "/rest/api/3/issue/createmeta"),
    ],
}


class TrimError(ValueError):
    """The full file lacks a listed operation, or a $ref the kept operations need cannot be followed."""


def _refs(node) -> Iterator[str]:
    """Every reference inside node: $ref values and discriminator mappings (those name schemas too)."""
    if isinstance(node, list):
        for item in node:
            yield from _refs(item)
    elif isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        disc = node.get("discriminator")
        mapping = disc.get("mapping") if isinstance(disc, dict) else None
        if isinstance(mapping, dict):
            yield from (v for v in mapping.values() if isinstance(v, str))
        for value in node.values():
            yield from _refs(value)


def _entry(doc: dict, ref: str, name: str) -> tuple[str, ...]:
    """The reusable entry a $ref points into: ('definitions', X) or ('components', kind, X)."""
    if not ref.startswith("#/"):
        raise TrimError(f"{name}: external $ref {ref!r} is not supported")
    parts = tuple(p.replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/"))
    depth = 3 if parts[0] == "components" else 2 if parts[0] in SWAGGER_SECTIONS else 0
    if not depth or len(parts) < depth:
        raise TrimError(f"{name}: $ref {ref!r} points outside the reusable sections")
    node = doc
    for p in parts[:depth]:
        if not isinstance(node, dict) or p not in node:
            raise TrimError(f"{name}: dangling $ref {ref!r}")
        node = node[p]
    return parts[:depth]


def _lookup(doc: dict, key: tuple[str, ...]):
    for p in key:
        doc = doc[p]
    return doc


def trim(doc: dict, operations: list[tuple[str, str]], name: str = "spec") -> dict:
    """doc with only the listed operations and what they reference, key order as in doc (nested objects are
    shared with doc, not copied)."""
    paths = doc.get("paths", {})
    wanted = {(m.lower(), p) for m, p in operations}
    missing = [f"{m.upper()} {p}" for m, p in operations if m.lower() not in paths.get(p, {})]
    if missing:
        raise TrimError(f"{name}: listed operation(s) not in the full description: {', '.join(missing)}")
    wanted_paths = {p for _, p in wanted}
    kept_paths = {}
    for path, item in paths.items():
        if path in wanted_paths:
            # Path-level keys (parameters, summary, servers) apply to every kept method, so they stay.
            kept_paths[path] = {k: v for k, v in item.items() if k not in HTTP_METHODS or (k, path) in wanted}
    # Transitive closure of the reusable entries the kept operations reach.
    keep: set[tuple[str, ...]] = set()
    todo = list(_refs(kept_paths))
    while todo:
        key = _entry(doc, todo.pop(), name)
        if key not in keep:
            keep.add(key)
            todo.extend(_refs(_lookup(doc, key)))
    ops = [op for item in kept_paths.values() for k, op in item.items() if k in HTTP_METHODS]
    tags = {t for op in ops for t in op.get("tags", [])}
    out = {}
    for top, value in doc.items():
        if top == "paths":
            out[top] = kept_paths
        elif top in SWAGGER_SECTIONS:
            out[top] = {k: v for k, v in value.items() if (top, k) in keep}
        elif top == "components":
            out[top] = {}
            for kind, entries in value.items():
                # Security schemes are named by `security` requirements, never by $ref: keep them all.
                kept = entries if kind == "securitySchemes" else {
                    k: v for k, v in entries.items() if ("components", kind, k) in keep}
                if kept:
                    out[top][kind] = kept
        elif top == "tags" and isinstance(value, list):
            out[top] = [t for t in value if t.get("name") in tags]
        else:
            out[top] = value
    return out


def operations_of(doc: dict) -> set[tuple[str, str]]:
    """The (method, path) pairs a description documents."""
    return {(m, p) for p, item in doc.get("paths", {}).items() for m in item if m in HTTP_METHODS}


def dumps(doc: dict) -> str:
    """The one serialisation used for the trimmed files, so a regeneration is byte-identical."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, required=True, help="folder holding the full files, upstream names")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the trimmed files (default: here)")
    args = parser.parse_args(argv)
    for vendor, (full, trimmed) in FILES.items():
        src = args.source / full
        if not src.is_file():
            raise SystemExit(f"trim.py: {src} not found (expected the full {vendor} description there)")
        text = src.read_text(encoding="utf-8")
        try:
            out = dumps(trim(json.loads(text), OPERATIONS[vendor], full))
        except TrimError as err:
            raise SystemExit(f"trim.py: {err}") from None
        (args.out / trimmed).write_text(out, encoding="utf-8")
        print(f"{trimmed}: {len(OPERATIONS[vendor])} operations, {len(text.encode()):,} -> {len(out.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
