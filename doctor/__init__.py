"""Setup checks for `postmortem doctor` and `/postmortem doctor`: one row per check of Slack, the bot's connection mode, Notion, Jira, the model and MCP, each failure with its fix."""

from doctor.render import render_mrkdwn, render_text
from doctor.rows import Row, failed
from doctor.run import run_checks

__all__ = ["Row", "failed", "render_mrkdwn", "render_text", "run_checks"]
