"""The workspace the sandbox Slack Web API tests run against, and their channel-id and Slack-error helpers."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from sandbox import ids
from tests.support.workspaces import workspace_dict

USERS = [
    {"name": "ana", "real_name": "Ana Lopez", "title": "SRE", "email": "ana@tiny.test"},
    {"name": "ben", "real_name": "Ben Ode"},
]


def _slack(**extra_channels) -> dict:
    incidents = {
        "name": "incidents",
        "topic": "Outages",
        "messages": [
            {"at": f"2025-08-04T09:0{i}:00Z", "user": "ana" if i % 2 else "ben", "text": f"update number {i}"}
            for i in range(7)
        ] + [{
            "at": "2025-08-04T10:00:00Z", "user": "ana", "text": "Checkout is DOWN for everyone",
            "replies": [
                {"at": "2025-08-04T10:01:00Z", "user": "ben", "text": "looking at the load balancer"},
                {"at": "2025-08-04T10:02:00Z", "user": "ana", "text": "rolled back, recovering"},
                {"at": "2025-08-04T10:03:00Z", "user": "ben", "text": f"all green <@{ids.slack_id('U', 'ana')}>"},
            ],
        }],
    }
    channels = [
        incidents,
        {"name": "random", "members": ["ana", "ben"],
         "messages": [{"at": "2025-08-04T08:00:00Z", "user": "ben", "text": "lunch? checkout the new place"}]},
        {"name": "secret", "private": True, "members": ["ana"],
         "messages": [{"at": "2025-08-04T08:00:00Z", "user": "ana", "text": "checkout salaries"}]},
        {"name": "ops-private", "private": True, "members": ["ana", "postmortem"]},
    ]
    return workspace_dict(slack={"team": {"id": "T0TINY0001", "name": "Tiny", "domain": "tiny"},
                                 "users": USERS, "channels": channels})


def _cid(sb, name: str) -> str:
    return sb.state("slack").channel_by_name(name).id


def _error(call) -> str:
    with pytest.raises(SlackApiError) as exc:
        call()
    body = exc.value.response.data
    # Slack's shape for failures; the 2021 spec's per-method error enums predate codes like not_in_channel.
    assert exc.value.response.status_code == 200 and body["ok"] is False and set(body) <= {"ok", "error", "warning"}
    return body["error"]
