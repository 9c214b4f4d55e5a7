"""All the rows together, in a fixed order; and the table a person reads in a terminal or in Slack."""

from __future__ import annotations

import re

from doctor import Row, render_mrkdwn, render_text, run_checks
from doctor import run as doctor_run
from tests.doctor.support import config, row

CHECKS = ["Slack bot token", "Slack bot scopes", "Slack user token", "Slack channels", "Configured channels",
          "Slack connection", "Notion token", "Notion publish target", "Notion write access", "Jira credentials",
          "Jira projects", "Model", "MCP servers", "Shared database"]


def test_every_check_passes_against_the_sandbox_in_a_fixed_order(sb):
    rows = run_checks(config(sb), sb.env)
    assert [r.check for r in rows] == CHECKS
    assert [r for r in rows if r.status == "fail"] == []
    assert {r.check for r in rows if r.status == "skip"} == {"Configured channels", "MCP servers", "Shared database"}


def test_one_check_that_crashes_leaves_the_other_rows(sb, monkeypatch):
    def broken(cfg):
        raise KeyError("surprise")

    monkeypatch.setattr(doctor_run, "check_jira", broken)
    rows = run_checks(config(sb), sb.env)
    bad = row(rows, "Jira")
    assert bad.status == "fail" and bad.detail == "the check itself failed: KeyError: 'surprise'" and bad.fix
    assert row(rows, "Notion token").status == "ok" and row(rows, "Model").status == "ok"


ROWS = [Row("Slack bot token", "ok", "valid: @postmortem in Acme"),
        Row("Slack bot scopes", "fail", "missing channels:history",
            "Add channels:history under oauth_config.scopes.bot in manifest.yml and in your app "
            "(https://api.slack.com/apps -> your app -> OAuth & Permissions -> Bot Token Scopes), then reinstall"),
        Row("MCP servers", "skip", "none configured")]


def test_the_text_table_has_fixed_columns_and_puts_each_fix_under_its_failure():
    text = render_text(ROWS)
    lines = text.splitlines()
    assert lines[0] == "CHECK             STATUS  DETAIL"
    firsts = [line for line in lines[2:-2] if line[:1].strip()]
    assert [line[18:24] for line in firsts] == ["ok    ", "FAIL  ", "skip  "], "every status in one column"
    assert [line[26:] for line in firsts] == ["valid: @postmortem in Acme", "missing channels:history",
                                              "none configured"]
    fix = [line for line in lines if "fix:" in line]
    assert len(fix) == 1 and fix[0].startswith(" " * 26 + "fix: Add channels:history")
    assert "https://api.slack.com/apps" in text, "a link is never broken across lines"
    assert all(len(line) <= 100 for line in lines)
    assert lines[-1] == "1 of 3 checks failed: Slack bot scopes. Each failure says how to fix it."


def test_the_slack_answer_is_the_same_table_in_a_code_block_with_markup_escaped():
    text = render_mrkdwn(ROWS)
    head, block = text.split("\n", 1)
    assert head == ":x: *postmortem doctor*: 1 of 3 checks failed: Slack bot scopes. Each failure says how to fix it."
    assert block.startswith("```\nCHECK") and block.endswith("```")
    assert "OAuth &amp;" in block and "-&gt; Bot Token Scopes" in block and not re.search(r"&(?!amp;|gt;)", block)
    passed = render_mrkdwn([ROWS[0], ROWS[2]])
    assert passed.startswith(":white_check_mark: *postmortem doctor*: All checks passed (1 ok, 1 skipped).")
