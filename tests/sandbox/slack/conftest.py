"""Fixtures the sandbox Slack tests share: sandboxes serving small workspaces, and the bot's WebClient on one."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from tests.support.slack_pages import CHANNELS, PEOPLE, bot_client
from tests.support.workspaces import workspace_dict


@pytest.fixture
def sb(make_sandbox, request):
    """A sandbox serving the test module's WORKSPACE, a function returning a workspace dict."""
    return make_sandbox(request.module.WORKSPACE())


@pytest.fixture
def web(sb) -> WebClient:
    """The bot's WebClient on `sb`, as the Socket Mode and HTTP delivery tests name it."""
    return bot_client(sb)


@pytest.fixture
def bot(web) -> WebClient:
    """The same client, as the Web API tests name it."""
    return web


@pytest.fixture
def tiny(make_sandbox):
    return make_sandbox(workspace_dict(slack={"team": {"id": "T0TINY0001", "name": "Tiny", "domain": "tiny"},
                                              "users": PEOPLE, "channels": CHANNELS}))
