"""vendor/openapi/trim.py on small synthetic full descriptions: what it keeps, drops and refuses."""

from __future__ import annotations

import json

import pytest

from tests.vendor import load_trim

trim = load_trim()


def _ok(schema_ref: str) -> dict:
    return {"description": "ok", "schema": {"$ref": schema_ref}}


def swagger() -> dict:
    """A Swagger 2.0 file shaped like Slack's: top-level definitions, parameters and responses."""
    return {
        "swagger": "2.0",
        "info": {"title": "Synthetic Slack", "version": "1"},
        "basePath": "/api",
        "securityDefinitions": {"slackAuth": {"type": "oauth2"}, "unused": {"type": "basic"}},
        "tags": [{"name": "chat"}, {"name": "admin"}],
        "paths": {
            "/chat.post": {"post": {"tags": ["chat"], "parameters": [{"$ref": "#/parameters/token"}],
                                    "responses": {"200": _ok("#/definitions/Message"),
                                                  "default": {"$ref": "#/responses/Error"}}}},
            "/admin.wipe": {"post": {"tags": ["admin"], "responses": {"200": _ok("#/definitions/Wiped")}}},
        },
        "parameters": {"token": {"name": "token", "in": "query", "type": "string"},
                       "unused": {"name": "x", "in": "query", "type": "string"}},
        "responses": {"Error": {"description": "error", "schema": {"$ref": "#/definitions/Error"}},
                      "Unused": {"description": "never referenced"}},
        "definitions": {
            "Message": {"type": "object", "properties": {"user": {"$ref": "#/definitions/User"}}},
            "User": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Error": {"type": "object", "properties": {"ok": {"enum": [False]}}},
            "Wiped": {"type": "object", "properties": {"by": {"$ref": "#/definitions/Admin"}}},
            "Admin": {"type": "object"},
        },
    }


def openapi3() -> dict:
    """An OpenAPI 3 file shaped like Notion's and Jira's: components, path-level parameters, discriminators."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic Notion", "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/v1/pages/{page_id}": {
                "parameters": [{"$ref": "#/components/parameters/pageId"}],
                "get": {"responses": {"200": {"$ref": "#/components/responses/Page"}}},
                "delete": {"responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Deleted"}}}}}},
            },
            "/v1/comments": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Comment"}}}}}}},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}, "basicAuth": {"type": "http"}},
            "parameters": {"pageId": {"name": "page_id", "in": "path", "required": True,
                                      "schema": {"$ref": "#/components/schemas/Id"}}},
            "responses": {"Page": {"description": "a page", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Page"}}}}},
            "schemas": {
                "Id": {"type": "string"},
                "Page": {"type": "object", "properties": {"parent": {"$ref": "#/components/schemas/Parent"}}},
                "Parent": {"oneOf": [{"$ref": "#/components/schemas/PageParent"}],
                           "discriminator": {"propertyName": "type",
                                             "mapping": {"workspace": "#/components/schemas/WorkspaceParent"}}},
                "PageParent": {"type": "object"},
                "WorkspaceParent": {"type": "object", "properties": {"a~b/c": {"type": "string"}}},
                "Deleted": {"type": "object"},
                "Comment": {"type": "object", "properties": {"on": {"$ref": "#/components/schemas/Page"}}},
            },
        },
    }


def test_swagger_keeps_listed_operation_and_its_closure_only():
    out = trim.trim(swagger(), [("post", "/chat.post")], "slack")
    assert trim.operations_of(out) == {("post", "/chat.post")}
    assert list(out["definitions"]) == ["Message", "User", "Error"]  # upstream order; Wiped/Admin dropped
    assert list(out["parameters"]) == ["token"] and list(out["responses"]) == ["Error"]
    assert out["tags"] == [{"name": "chat"}]
    # Top-level fields stay as they were, security schemes included (they are not reached by $ref).
    assert out["swagger"] == "2.0" and out["basePath"] == "/api" and set(out["securityDefinitions"]) == {
        "slackAuth", "unused"}


def test_openapi3_keeps_listed_method_path_parameters_and_discriminator_targets():
    out = trim.trim(openapi3(), [("get", "/v1/pages/{page_id}")], "notion")
    assert trim.operations_of(out) == {("get", "/v1/pages/{page_id}")}
    item = out["paths"]["/v1/pages/{page_id}"]
    assert list(item) == ["parameters", "get"]  # the unlisted DELETE is gone, the path-level parameters stay
    comps = out["components"]
    assert list(comps["schemas"]) == ["Id", "Page", "Parent", "PageParent", "WorkspaceParent"]
    assert list(comps["parameters"]) == ["pageId"] and list(comps["responses"]) == ["Page"]
    assert set(comps["securitySchemes"]) == {"bearerAuth", "basicAuth"}
    assert out["openapi"] == "3.1.0" and out["servers"] == [{"url": "https://api.example.test"}]
    assert "/v1/comments" not in out["paths"]


def test_unreferenced_component_kinds_are_left_out():
    out = trim.trim(openapi3(), [("get", "/v1/comments")], "notion")
    assert set(out["components"]) == {"securitySchemes", "schemas"}
    # Id is reached only through the pages path's parameter, Deleted only through its DELETE.
    assert list(out["components"]["schemas"]) == ["Page", "Parent", "PageParent", "WorkspaceParent", "Comment"]


def test_refs_with_escaped_pointer_parts_and_deep_targets_keep_the_whole_entry():
    doc = openapi3()
    doc["paths"]["/v1/comments"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/WorkspaceParent/properties/a~0b~1c"}
    out = trim.trim(doc, [("get", "/v1/comments")], "notion")
    assert list(out["components"]["schemas"]) == ["WorkspaceParent"]


@pytest.mark.parametrize(
    ("doc", "ops", "missing"),
    [
        (swagger, [("post", "/chat.post"), ("get", "/chat.nope")], "GET /chat.nope"),
        (swagger, [("get", "/chat.post")], "GET /chat.post"),  # the path exists, the method does not
        (openapi3, [("patch", "/v1/pages/{page_id}")], "PATCH /v1/pages/{page_id}"),
    ],
)
def test_missing_listed_operation_fails_naming_it(doc, ops, missing):
    with pytest.raises(trim.TrimError, match="listed operation") as exc:
        trim.trim(doc(), ops, "the-spec.json")
    assert missing in str(exc.value) and "the-spec.json" in str(exc.value)


@pytest.mark.parametrize(
    ("ref", "problem"),
    [("#/definitions/Nope", "dangling"), ("other.json#/definitions/User", "external"), ("#/paths/~1x", "outside")],
)
def test_refs_that_cannot_be_followed_fail(ref, problem):
    doc = swagger()
    doc["definitions"]["User"]["properties"]["id"] = {"$ref": ref}
    with pytest.raises(trim.TrimError, match=problem):
        trim.trim(doc, [("post", "/chat.post")], "slack")


def _write_full_files(folder, monkeypatch) -> None:
    folder.mkdir()
    shapes = {"slack": swagger(), "notion": openapi3(), "jira": openapi3()}
    for vendor, (full, _trimmed) in trim.FILES.items():
        (folder / full).write_text(json.dumps(shapes[vendor]), encoding="utf-8")
    monkeypatch.setattr(trim, "OPERATIONS", {"slack": [("post", "/chat.post")], "notion": [("get", "/v1/comments")],
                                             "jira": [("get", "/v1/pages/{page_id}")]})


def test_main_writes_every_trimmed_file_and_regenerates_identically(tmp_path, monkeypatch, capsys):
    src, out = tmp_path / "full", tmp_path / "out"
    _write_full_files(src, monkeypatch)
    out.mkdir()
    assert trim.main(["--source", str(src), "--out", str(out)]) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(first) == sorted(t for _, t in trim.FILES.values())
    slack = json.loads(first["slack-web-api.trimmed.json"])
    assert trim.operations_of(slack) == {("post", "/chat.post")} and "Wiped" not in slack["definitions"]
    assert first["slack-web-api.trimmed.json"].decode().endswith("}\n")
    assert "1 operations" in capsys.readouterr().out
    assert trim.main(["--source", str(src), "--out", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_main_exits_with_the_missing_operation_and_writes_nothing_for_it(tmp_path, monkeypatch):
    src, out = tmp_path / "full", tmp_path / "out"
    _write_full_files(src, monkeypatch)
    out.mkdir()
    monkeypatch.setitem(trim.OPERATIONS, "notion", [("get", "/v1/databases/{id}")])
    with pytest.raises(SystemExit) as exc:
        trim.main(["--source", str(src), "--out", str(out)])
    assert "GET /v1/databases/{id}" in str(exc.value.code) and "notion-api-2025-09-03.openapi.json" in str(
        exc.value.code)
    assert not (out / "notion-api-2025-09-03.trimmed.json").exists()


def test_main_names_a_missing_full_file(tmp_path):
    with pytest.raises(SystemExit, match="slack-web-api.openapi-v2.json not found"):
        trim.main(["--source", str(tmp_path)])
