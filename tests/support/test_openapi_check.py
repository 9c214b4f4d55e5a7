"""The OpenAPI checker's own workings: unknown operations and apis, where spec files come from, draft-4 conversion."""

from __future__ import annotations

import pytest

from tests.support import ROOT
from tests.support.openapi_check import (
    SPEC_FILES,
    UPSTREAM_FILES,
    _convert,
    operation_exists,
    spec_path,
    specs_dir,
    validate_response,
)


@pytest.mark.parametrize(
    ("api", "method", "path"),
    [
        ("slack", "get", "/conversations.nope"),
        ("notion", "delete", "/v1/pages/abc"),
        ("jira", "get", "/rest/api/3/search/nope/nope"),
        ("jira", "get", "/rest/api/2/myself"),
    ],
)
def test_unknown_operation_raises_lookup_error(api, method, path):
    assert not operation_exists(api, method, path)
    with pytest.raises(LookupError, match=rf"{api}: {method.upper()} .* is not in {api}-[\w.-]+\.json"):
        validate_response(api, method, path, {})


def test_unknown_api_raises_lookup_error():
    with pytest.raises(LookupError, match="unknown api"):
        validate_response("github", "get", "/repos", {})


def test_specs_dir_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("POSTMORTEM_SPECS_DIR", str(tmp_path))
    assert specs_dir() == tmp_path
    monkeypatch.setenv("POSTMORTEM_SPECS_DIR", "")  # empty means unset: the vendored files
    assert specs_dir() == ROOT / "vendor" / "openapi"
    monkeypatch.delenv("POSTMORTEM_SPECS_DIR")
    assert (specs_dir() / "README.md").is_file()
    for api in SPEC_FILES:  # by default the trimmed files vendored in the repository, nothing outside it
        assert spec_path(api).is_file() and spec_path(api).name.endswith(".trimmed.json")
        assert spec_path(api).resolve().is_relative_to(ROOT.resolve())


def test_override_folder_may_hold_the_full_files_under_upstream_names(monkeypatch, tmp_path):
    monkeypatch.setenv("POSTMORTEM_SPECS_DIR", str(tmp_path))
    (tmp_path / UPSTREAM_FILES["notion"]).write_text("{}")
    assert spec_path("notion") == tmp_path / UPSTREAM_FILES["notion"]
    (tmp_path / SPEC_FILES["notion"]).write_text("{}")
    assert spec_path("notion") == tmp_path / SPEC_FILES["notion"]  # the trimmed name wins when both are there
    assert spec_path("jira") == tmp_path / SPEC_FILES["jira"]  # neither: the trimmed name, so the error names it
    with pytest.raises(LookupError, match="unknown api"):
        spec_path("github")


def test_trimmed_jira_file_still_resolves_nested_refs():
    # The changelog item sits four $refs deep (IssueBean, PageOfChangelogs, Changelog, ChangeDetails): a $ref the
    # trim lost would raise a resolution error here, not this assertion.
    body = {"issues": [{"key": "PM-1", "changelog": {"histories": [{"items": [{"field": 5}]}]}}], "isLast": True}
    with pytest.raises(AssertionError, match=r"at /issues/0/changelog/histories/0/items/0/field: 5 is not of type"):
        validate_response("jira", "post", "/rest/api/3/search/jql", body)


def test_convert_widens_nullable_for_draft4():
    assert _convert({"type": "string", "nullable": True}, nullable=True, open_objects=False)["type"] == [
        "string",
        "null",
    ]
    assert _convert({"enum": ["a"], "type": "string", "nullable": True}, nullable=True, open_objects=False)["enum"] == [
        "a",
        None,
    ]
    wrapped = _convert({"$ref": "#/x", "nullable": True}, nullable=True, open_objects=False)
    assert wrapped == {"anyOf": [{"$ref": "#/x"}, {"type": "null"}]}
    # A property literally named "nullable" must survive.
    props = _convert({"properties": {"nullable": {"type": "boolean"}}}, nullable=True, open_objects=False)
    assert props == {"properties": {"nullable": {"type": "boolean"}}}
