"""The OpenAPI checker on each vendor's description: Slack, Notion and Jira bodies it passes and fails, and why."""

from __future__ import annotations

import copy
import json

import pytest

from tests.support.openapi_check import operation_exists, raw_spec, validate_response


def _slack_example(method: str, path: str, key: str = "200") -> dict:
    return copy.deepcopy(raw_spec("slack")["paths"][path][method]["responses"][key]["examples"]["application/json"])


def _jira_example(method: str, path: str, key: str = "200") -> dict:
    return json.loads(
        raw_spec("jira")["paths"][path][method]["responses"][key]["content"]["application/json"]["example"]
    )


# --- Slack ---------------------------------------------------------------------------------------------


def test_slack_history_spec_example_lacks_fields_the_schema_requires():
    # The spec's own example omits two required keys; the live API sends them, so the sandbox must too.
    body = _slack_example("get", "/conversations.history")
    with pytest.raises(AssertionError, match="channel_actions_ts"):
        validate_response("slack", "get", "/conversations.history", body)
    body.update(channel_actions_ts=None, channel_actions_count=0)
    validate_response("slack", "get", "/conversations.history", body)


def test_slack_history_missing_messages_fails_with_readable_message():
    body = {"ok": True, "has_more": False, "pin_count": 0, "channel_actions_ts": None, "channel_actions_count": 0}
    with pytest.raises(AssertionError) as exc:
        validate_response("slack", "GET", "/conversations.history", body)
    msg = str(exc.value)
    assert "slack GET /conversations.history" in msg and "'messages' is a required property" in msg


def test_slack_nested_type_error_reports_json_pointer():
    body = _slack_example("get", "/conversations.history")
    body.update(channel_actions_ts=None, channel_actions_count=0)
    body["messages"][1]["ts"] = 1512104434.00049
    with pytest.raises(AssertionError, match=r"at /messages/1/ts: .* is not of type 'string'"):
        validate_response("slack", "get", "/conversations.history", body)


def test_slack_accepts_post_for_get_methods_and_extra_fields():
    # slack_sdk POSTs every method; the spec lists only GET for most reads.
    body = _slack_example("get", "/auth.test")
    body["enterprise_id"] = None
    body["is_enterprise_install"] = False
    assert operation_exists("slack", "POST", "/auth.test")
    validate_response("slack", "POST", "/auth.test", body)


def test_slack_error_bodies_use_default_schema():
    validate_response("slack", "post", "/chat.postMessage", {"ok": False, "error": "channel_not_found"})
    with pytest.raises(AssertionError, match="error"):
        validate_response("slack", "post", "/chat.postMessage", {"ok": False})
    with pytest.raises(AssertionError, match="is not one of"):
        validate_response("slack", "post", "/chat.postMessage", {"ok": False, "error": "no_such_error_code"})


def test_slack_ok_must_be_true_for_success_schema():
    with pytest.raises(AssertionError, match="ok"):
        validate_response(
            "slack", "get", "/chat.getPermalink", {"ok": "yes", "channel": "C0123ABCDE", "permalink": "x"}
        )
    validate_response(
        "slack", "get", "/chat.getPermalink", {"ok": True, "channel": "C0123ABCDE", "permalink": "https://x"}
    )


def test_slack_untyped_item_unions_are_checked():
    # objs_user / objs_conversation are written as tuple `items`; read as anyOf they constrain objects.
    body = _slack_example("get", "/users.info")
    with pytest.raises(AssertionError, match=r"at /user/profile: 'title' is a required property"):
        validate_response("slack", "get", "/users.info", body)
    body["user"]["profile"].update(title="", phone="", skype="", fields=None)
    validate_response("slack", "get", "/users.info", body)
    info = _slack_example("get", "/conversations.info")
    validate_response("slack", "get", "/conversations.info", info)
    del info["channel"]["is_general"]
    with pytest.raises(AssertionError, match=r"at /channel: 'is_general' is a required property"):
        validate_response("slack", "get", "/conversations.info", info)


# --- Notion --------------------------------------------------------------------------------------------


def test_notion_concrete_path_matches_template():
    assert operation_exists("notion", "get", "/v1/blocks/abc/children")
    assert operation_exists("notion", "PATCH", "/v1/blocks/abc/children?start_cursor=x")
    assert not operation_exists("notion", "post", "/v1/blocks/abc/children")
    assert operation_exists("notion", "get", "/v1/pages/0b3c5e2a9f0d4c1e8b7a6d5c4b3a2f10")


def test_notion_page_schema_is_only_type_object():
    # The 2025-09-03 description gives pages/blocks/search bare {"type": "object"}: no required keys to check.
    validate_response("notion", "get", "/v1/pages/0b3c", {"object": "page"})
    with pytest.raises(AssertionError, match=r"at \(root\): .* is not of type 'object'"):
        validate_response("notion", "get", "/v1/pages/0b3c", [{"object": "page"}])


def test_notion_users_me_has_typed_properties():
    me = {"object": "user", "id": "u1", "name": "bot", "avatar_url": None, "type": "bot", "bot": {}}
    validate_response("notion", "get", "/v1/users/me", me)
    with pytest.raises(AssertionError, match=r"at /name: 42 is not of type 'string'"):
        validate_response("notion", "get", "/v1/users/me", {**me, "name": 42})


def test_notion_error_status_uses_its_schema():
    err = {"object": "error", "status": 400, "code": "validation_error", "message": "bad"}
    validate_response("notion", "post", "/v1/search", err, status=400)
    with pytest.raises(AssertionError, match="/status"):
        validate_response("notion", "post", "/v1/search", {**err, "status": "400"}, status=400)


def test_notion_operation_without_schema_raises_lookup_error():
    with pytest.raises(LookupError, match="no JSON schema"):
        validate_response("notion", "get", "/v1/users/abc", {"object": "user"})
    with pytest.raises(LookupError, match="no response for status 404"):
        validate_response("notion", "get", "/v1/pages/abc", {}, status=404)


# --- Jira ----------------------------------------------------------------------------------------------


def test_jira_search_jql_minimal_body_passes_and_wrong_type_fails():
    body = {
        "issues": [{"id": "10001", "key": "PM-1", "self": "https://x/rest/api/3/issue/10001", "fields": {}}],
        "isLast": True,
    }
    validate_response("jira", "post", "/rest/api/3/search/jql", body)
    validate_response("jira", "get", "/rest/api/3/search/jql", body)
    with pytest.raises(AssertionError, match=r"at /isLast: 'true' is not of type 'boolean'"):
        validate_response("jira", "post", "/rest/api/3/search/jql", {**body, "isLast": "true"})
    with pytest.raises(AssertionError, match=r"at /issues/0/key"):
        validate_response("jira", "post", "/rest/api/3/search/jql", {"issues": [{"key": 1}]})


def test_jira_spec_examples_pass_for_used_operations():
    validate_response("jira", "post", "/rest/api/3/search/jql", _jira_example("post", "/rest/api/3/search/jql"))
    issue = _jira_example("get", "/rest/api/3/issue/{issueIdOrKey}")
    validate_response("jira", "get", "/rest/api/3/issue/PM-7", issue)
    validate_response("jira", "get", "/rest/api/3/myself", _jira_example("get", "/rest/api/3/myself"))
    created = _jira_example("post", "/rest/api/3/issue", "201")
    validate_response("jira", "post", "/rest/api/3/issue", created, status=201)


def test_jira_extra_properties_fail_unless_allowed():
    # additionalProperties: false is strict; Jira's own serverInfo example carries an undocumented defaultLocale.
    info = _jira_example("get", "/rest/api/3/serverInfo")
    with pytest.raises(AssertionError, match="defaultLocale"):
        validate_response("jira", "get", "/rest/api/3/serverInfo", info)
    validate_response("jira", "get", "/rest/api/3/serverInfo", info, allow_extra=True)


def test_jira_nullable_is_honoured():
    comment = {
        "id": "1",
        "body": {"type": "doc", "version": 1, "content": []},
        "visibility": {"type": "group", "identifier": None},
    }
    validate_response("jira", "post", "/rest/api/3/issue/PM-1/comment", comment, status=201)
    with pytest.raises(AssertionError, match="/visibility/identifier"):
        validate_response(
            "jira", "post", "/rest/api/3/issue/PM-1/comment", {**comment, "visibility": {"identifier": 5}}, status=201
        )


def test_jira_literal_segments_win_over_templates():
    with pytest.raises(AssertionError, match=r"spec /rest/api/3/issue/createmeta\b"):
        validate_response("jira", "get", "/rest/api/3/issue/createmeta", {"projects": "nope"})
    with pytest.raises(AssertionError, match=r"spec /rest/api/3/issue/\{issueIdOrKey\}"):
        validate_response("jira", "get", "/rest/api/3/issue/PM-1", {"key": 1})


def test_jira_status_without_documented_response_raises_lookup_error():
    with pytest.raises(LookupError):
        validate_response("jira", "post", "/rest/api/3/issue", {"id": "1"}, status=200)
