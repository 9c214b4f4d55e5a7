"""Starting the bot: bad or missing settings stop it with a message naming the variable and where to get it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from tests.support import ROOT
from tests.support.bot import free_port, get, wait_until

SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "PORT")
GOOD = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}


@pytest.mark.parametrize(("env", "names"), [
    ({}, ["SLACK_BOT_TOKEN", "api.slack.com/apps", "OAuth & Permissions", "xoxb-"]),
    ({"SLACK_BOT_TOKEN": "xapp-1-A-1-x"}, ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "xoxb-"]),
    (GOOD | {"SLACK_APP_TOKEN": "xoxb-oops"}, ["SLACK_APP_TOKEN", "xapp-", "Basic Information", "connections:write"]),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, ["SLACK_SIGNING_SECRET", "Basic Information", "SLACK_APP_TOKEN"]),
    (GOOD | {"POSTMORTEM_WORKERS": "0"}, ["POSTMORTEM_WORKERS", "at least 1"]),
    (GOOD | {"PORT": "http"}, ["PORT", "whole number"]),
    (GOOD | {"SLACK_API_URL": "slack.com/api"}, ["SLACK_API_URL", "https://slack.com/api/"]),
])
def test_bad_settings_are_explained(env, names):
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert all(n in str(err.value) for n in names), str(err.value)


def test_good_settings_pick_the_mode_and_parse_lists():
    http = load_settings(GOOD | {"POSTMORTEM_ALLOWED_USERS": "dana, @U0MIKE001", "POSTMORTEM_WORKERS": "2",
                                 "SLACK_API_URL": "http://127.0.0.1:9/api"})
    assert not http.socket_mode and http.workers == 2 and http.api_url == "http://127.0.0.1:9/api/"
    assert http.allowed_users == {"dana", "U0MIKE001"} and http.offline  # no OPENAI_API_KEY: offline analysis
    socket_mode = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-A-2-b"})
    assert socket_mode.socket_mode  # Socket Mode needs no signing secret


def app_py(env: dict, **kw) -> subprocess.Popen:
    base = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    # Empty values, not missing ones, so a developer's .env cannot fill them in.
    return subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=base | dict.fromkeys(SLACK_VARS, "")
                            | env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_app_exits_nonzero_naming_the_missing_token():
    proc = app_py({})
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in err and "https://api.slack.com/apps" in err


def test_app_exits_nonzero_when_slack_rejects_the_token(summer25):
    proc = app_py({"SLACK_BOT_TOKEN": "xoxb-revoked-token", "SLACK_SIGNING_SECRET": "x",
                   "SLACK_API_URL": summer25.env["SLACK_API_URL"]})
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and "invalid_auth" in err and "SLACK_BOT_TOKEN" in err


def test_app_serves_http_and_health_then_stops_on_ctrl_c(summer25):
    port = free_port()
    env = {k: summer25.env[k] for k in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL")}
    proc = app_py(env | {"PORT": str(port)})
    try:
        def healthy():
            try:
                return get(f"http://127.0.0.1:{port}/healthz")
            except OSError:
                assert proc.poll() is None, proc.stderr.read()
                return None
        status, body = wait_until(healthy, what="app.py to serve /healthz")
        assert status == 200 and '"mode": "http"' in body
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and f":{port}/slack/events" in err
