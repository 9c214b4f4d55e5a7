"""manifest.yml is a Slack app manifest Slack would accept, granting exactly what the bot's calls need."""

from __future__ import annotations

import re

import jsonschema
import pytest
import yaml

from tests.support import ROOT

MANIFEST = ROOT / "manifest.yml"
URL = {"type": "string", "pattern": r"^https?://", "maxLength": 3000}


def obj(props: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": props, "required": required or []}


def text(lo: int, hi: int) -> dict:
    return {"type": "string", "minLength": lo, "maxLength": hi}


# The fields this app uses, with the limits of Slack's published manifest schema (slackapi/manifest-schema, v1).
SCHEMA = obj({
    "_metadata": obj({"major_version": {"type": "integer"}, "minor_version": {"type": "integer"}}),
    "display_information": obj({
        "name": text(1, 35), "description": text(1, 140), "long_description": text(175, 4000),
        "background_color": {"type": "string", "pattern": r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$"},
    }, ["name"]),
    "features": obj({
        "app_home": {"type": "object"},
        "bot_user": obj({"display_name": text(1, 80), "always_online": {"type": "boolean"}}, ["display_name"]),
        "slash_commands": {"type": "array", "minItems": 1, "maxItems": 50, "items": obj({
            "command": {"type": "string", "minLength": 2, "maxLength": 32, "pattern": r"^/[a-z0-9_-]+$"},
            "url": URL, "description": text(1, 2000), "usage_hint": text(1, 1000),
            "should_escape": {"type": "boolean"},
        }, ["command", "description"])},
    }),
    "oauth_config": obj({"scopes": obj({
        "bot": {"type": "array", "maxItems": 255, "uniqueItems": True, "items": text(1, 50)},
        "user": {"type": "array", "maxItems": 255, "items": text(1, 50)},
    })}),
    "settings": obj({
        "event_subscriptions": obj({
            "request_url": URL, "bot_events": {"type": "array", "maxItems": 100, "uniqueItems": True,
                                               "items": text(1, 50)},
        }),
        "interactivity": obj({"is_enabled": {"type": "boolean"}, "request_url": URL}, ["is_enabled"]),
        "org_deploy_enabled": {"type": "boolean"}, "socket_mode_enabled": {"type": "boolean"},
        "token_rotation_enabled": {"type": "boolean"},
    }),
}, ["display_information"])

# Scopes Slack defines that an app like this could ask for (a misspelt scope makes Slack reject the manifest).
KNOWN_SCOPES = {
    "app_mentions:read", "channels:history", "channels:join", "channels:manage", "channels:read", "chat:write",
    "chat:write.customize", "chat:write.public", "commands", "files:read", "files:write", "groups:history",
    "groups:read", "groups:write", "im:history", "im:read", "im:write", "links:read", "links:write", "mpim:history",
    "mpim:read", "reactions:read", "reactions:write", "team:read", "usergroups:read", "users:read",
    "users:read.email", "search:read",
}
# What the bot and its graph call, and the bot scopes those methods require.
NEEDED = {
    "chat.postMessage": {"chat:write"}, "chat.update": {"chat:write"}, "chat.postEphemeral": {"chat:write"},
    "conversations.join": {"channels:join"}, "conversations.info": {"channels:read", "groups:read"},
    "conversations.list": {"channels:read", "groups:read"}, "conversations.members": {"channels:read", "groups:read"},
    "conversations.history": {"channels:history", "groups:history"},
    "conversations.replies": {"channels:history", "groups:history"}, "users.info": {"users:read"},
    "users.list": {"users:read"}, "slash command": {"commands"}, "app_mention event": {"app_mentions:read"},
}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def test_manifest_matches_slacks_manifest_structure_and_limits(manifest):
    jsonschema.validate(manifest, SCHEMA)


def test_the_schema_catches_what_slack_would_reject(manifest):
    for broken in ({"display_information": {}}, {**manifest, "settingz": {}},
                   {**manifest, "display_information": {"name": "x" * 36}},
                   {**manifest, "features": {"slash_commands": [{"command": "postmortem", "description": "d"}]}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)


def test_scopes_are_real_and_cover_every_call_the_bot_makes(manifest):
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert scopes <= KNOWN_SCOPES, scopes - KNOWN_SCOPES
    missing = {call: need - scopes for call, need in NEEDED.items() if need - scopes}
    assert not missing


def test_the_command_and_events_are_the_ones_the_bot_answers(manifest):
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/postmortem" and command["should_escape"] is False
    assert command["usage_hint"] == "[incident, e.g. summer25]"
    assert manifest["features"]["bot_user"]["display_name"] == "postmortem"
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_mention"]
    assert manifest["settings"]["socket_mode_enabled"] is True
    interactivity = manifest["settings"].get("interactivity", {})
    for url in (command["url"], manifest["settings"]["event_subscriptions"]["request_url"],
                *([interactivity["request_url"]] if interactivity else [])):
        assert url.endswith("/slack/events")  # the path the bot serves in HTTP mode


def _interactive_listeners() -> list[str]:
    """Bolt listeners that only interactivity delivers (buttons, modals, shortcuts, select options)."""
    rx = re.compile(r"\bapp\.(action|view|view_submission|view_closed|shortcut|global_shortcut|message_shortcut"
                    r"|block_action|options|block_suggestion|dialog_submission)\(")
    return [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in sorted((ROOT / "bot").rglob("*.py"))
            for m in rx.finditer(p.read_text())]


def test_interactivity_is_declared_exactly_when_a_listener_uses_it(manifest):
    declared = bool(manifest["settings"].get("interactivity", {}).get("is_enabled"))
    assert declared == bool(_interactive_listeners()), _interactive_listeners() or "interactivity is on but unused"


def test_search_asks_for_the_user_scope_it_needs(manifest):
    """search.messages refuses bot tokens: the Slack source uses it only with SLACK_USER_TOKEN and search:read."""
    uses_search = any("search_messages" in f.read_text() for f in (ROOT / "graph" / "sources").glob("slack*.py"))
    assert uses_search == ("search:read" in manifest["oauth_config"]["scopes"].get("user", []))
    assert "search:read" not in manifest["oauth_config"]["scopes"]["bot"]  # Slack has no bot search scope
