"""Channels named for a run must exist: the graph itself names an unknown one instead of quietly reading the others."""

from __future__ import annotations

from tests.support.graph import run_on


def test_an_unknown_channel_in_the_graphs_input_fails_slack_naming_it(summer25, tmp_path):
    """The bot's path (POSTMORTEM_SLACK_CHANNELS has no CLI check before it): Slack is reported missing, with why."""
    result = run_on(summer25, tmp_path, channels=["marketing-ops", "incidnets"], overrides={"notion_token": ""})
    slack = result["sources"]["slack"]
    assert slack["status"] == "failed" and slack["items"] == 0
    assert slack["error"] == "Slack channels: no channel named #incidnets (did you mean #incidents?)"


def test_channels_by_name_or_id_that_exist_are_read(summer25, tmp_path):
    cid = summer25.state("slack").channel("incidents").id
    result = run_on(summer25, tmp_path, channels=["#marketing-ops", cid], overrides={"notion_token": ""})
    assert result["sources"]["slack"]["status"] == "ok" and result["sources"]["slack"]["items"] > 0
