"""The vendored API descriptions agree with trim.py's list, with the sandbox's routes and with the checker."""

from __future__ import annotations

import json
import re

import pytest

from sandbox.slack.methods import METHODS
from tests.support import openapi_check
from tests.vendor import load_trim

trim = load_trim()
HERE = trim.HERE
VENDORS = sorted(trim.FILES)

# The route prefixes under which each sandbox service copies the vendor's API; other routes (HTML pages a person
# opens, Socket Mode's websocket, response_url callbacks, Jira's /rest/auth session) are the sandbox's own.
PREFIXES = {"slack": "/api/", "notion": "/v1/", "jira": "/rest/api/"}
# Served under a vendor prefix but absent from the vendor's description, with the reason.
NOT_DESCRIBED = {
    # Socket Mode's connection opener; Slack's 2021 Web API description predates it.
    ("slack", "*", "/api/apps.connections.open"),
}
# Listed in trim.py but not served: the checker's own tests use it (literal segments beat {issueIdOrKey}).
NOT_SERVED = {("jira", "get", "/rest/api/3/issue/createmeta")}


def _vendored(vendor: str) -> tuple[dict, str]:
    text = (HERE / trim.FILES[vendor][1]).read_text(encoding="utf-8")
    return json.loads(text), text


def _served(sandbox, vendor: str) -> set[tuple[str, str]]:
    """(method, path) the sandbox answers under the vendor prefix, with path parameters as in its router."""
    out = set()
    for route in sandbox.apps[vendor].router.routes():
        path = route.resource.canonical
        if route.method == "HEAD" or not path.startswith(PREFIXES[vendor]):
            continue  # aiohttp adds HEAD to every GET route by itself; no client sends it
        if vendor == "slack" and path == "/api/{method}":
            out |= {(route.method, f"/api/{name}") for name in METHODS}  # the catch-all serves METHODS
        else:
            out.add((route.method, path))
    return out


def _operation(doc: dict, vendor: str, method: str, path: str) -> tuple[str, str] | None:
    """The (method, path template) of doc that a served route answers, read from the file itself (not the
    checker, whose POSTMORTEM_SPECS_DIR may name the full descriptions)."""
    if vendor == "slack":
        path = path.removeprefix("/api")  # Slack's paths are relative to basePath /api
    path = _shape(path.replace("/rest/api/{v}/", "/rest/api/3/"))  # the sandbox serves Jira v2, v3, latest alike
    for tmpl, item in doc["paths"].items():
        if _shape(tmpl) == path:
            methods = [m for m in item if m in trim.HTTP_METHODS]
            if method.lower() in methods:
                return method.lower(), tmpl
            if method == "*" and len(methods) == 1:  # Slack takes any verb for a method; the file lists one
                return methods[0], tmpl
    return None


def _shape(path: str) -> str:
    return re.sub(r"\{[^}/]+\}", "{}", path)  # parameter names differ ({key} vs {issueIdOrKey})


@pytest.mark.parametrize("vendor", VENDORS)
def test_trimmed_file_documents_exactly_the_listed_operations(vendor):
    doc, _ = _vendored(vendor)
    listed = set(trim.OPERATIONS[vendor])
    assert len(listed) == len(trim.OPERATIONS[vendor]), "an operation is listed twice"
    assert trim.operations_of(doc) == listed, "regenerate: python vendor/openapi/trim.py --source DIR"


@pytest.mark.parametrize("vendor", VENDORS)
def test_trimmed_file_is_what_the_script_writes(vendor):
    # Trimming is idempotent, so the vendored file must be a fixed point: same bytes, and no $ref left dangling.
    doc, text = _vendored(vendor)
    assert trim.dumps(trim.trim(doc, trim.OPERATIONS[vendor], trim.FILES[vendor][1])) == text


def test_trimmed_files_keep_their_formats():
    assert _vendored("slack")[0]["swagger"] == "2.0"
    assert _vendored("notion")[0]["openapi"] == "3.1.0"
    assert _vendored("jira")[0]["openapi"] == "3.0.1"
    assert "slackAuth" in _vendored("slack")[0]["securityDefinitions"]
    assert "IssueBean" in _vendored("jira")[0]["components"]["schemas"]


def test_checker_reads_the_files_trim_writes():
    assert openapi_check.SPEC_FILES == {v: trimmed for v, (_, trimmed) in trim.FILES.items()}
    assert openapi_check.UPSTREAM_FILES == {v: full for v, (full, _) in trim.FILES.items()}
    assert openapi_check.VENDORED == HERE


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_sandbox_route_has_its_operation_in_the_vendored_file(summer25, vendor):
    doc, _ = _vendored(vendor)
    served = _served(summer25, vendor)
    assert served, f"no {vendor} routes found under {PREFIXES[vendor]}"
    missing = sorted(f"{method} {path}" for method, path in served
                     if (vendor, method, path) not in NOT_DESCRIBED and _operation(doc, vendor, method, path) is None)
    assert not missing, f"add these to trim.py OPERATIONS['{vendor}'] and regenerate: {missing}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_listed_operation_is_served_or_explained(summer25, vendor):
    doc, _ = _vendored(vendor)
    routes = _served(summer25, vendor)
    served = {_operation(doc, vendor, m, p) for m, p in routes if (vendor, m, p) not in NOT_DESCRIBED}
    extra = set(trim.OPERATIONS[vendor]) - served - {(m, p) for v, m, p in NOT_SERVED if v == vendor}
    assert not extra, f"listed in trim.py but neither served by the sandbox nor explained: {sorted(extra)}"


def test_allow_lists_stay_true(summer25):
    for vendor, method, path in NOT_DESCRIBED:  # still served, and still not in the file: else drop the entry
        assert (method, path) in _served(summer25, vendor)
        assert _operation(_vendored(vendor)[0], vendor, method, path) is None
    for vendor, method, path in NOT_SERVED:  # still in the file, and still not served
        assert (method, path) in trim.OPERATIONS[vendor]
        doc = _vendored(vendor)[0]
        assert (method, path) not in {_operation(doc, vendor, m, p) for m, p in _served(summer25, vendor)}
