"""`postmortem run` when it publishes nothing on purpose: what it prints, its exit status, and the Notion it leaves."""

from __future__ import annotations

import copy
import json

import pytest

from cli import commands
from cli.main import build_parser
from sandbox.server import Sandbox
from tests.support.graph import page_blocks

KEPT = ("The existing page was made from Slack, Notion and Jira; this run could not read Jira, so the page was not "
        "updated. Re-run with --force to overwrite.")


class Lent:
    """The test's sandbox, lent to the command (as if --workspace had started it), which must not stop it."""

    def __init__(self, sb: Sandbox):
        self._sb = sb

    def __getattr__(self, name: str):
        return getattr(self._sb, name)

    def stop(self) -> None:
        pass


@pytest.fixture
def sb(monkeypatch, tmp_path):
    monkeypatch.setenv("POSTMORTEM_CHECKPOINT_DB", str(tmp_path / "runs.sqlite"))
    monkeypatch.setenv("POSTMORTEM_SOURCE_BUDGET_S", "1")  # a source that is down fails after one short retry
    with Sandbox() as sandbox:
        monkeypatch.setattr(commands, "start_sandbox", lambda workspace, port=0, **kw: Lent(sandbox))
        yield sandbox


def postmortem(capsys, *argv: str) -> tuple[int, str, str]:
    code = commands.run(build_parser().parse_args(["run", *argv, "--workspace", "summer25", "--offline"]))
    out, err = capsys.readouterr()
    return code, out, err


def test_nothing_found_publishes_nothing_says_what_was_searched_and_exits_1(sb, capsys):
    pages = set(sb.state("notion").pages)
    code, out, err = postmortem(capsys, "zebra unicorn")
    assert code == 1 and out == ""  # no report to print
    assert 'Nothing about "zebra unicorn" was found, so no page was created' in err
    assert "zebra, unicorn" in err and "#marketing-ops" in err and "--since/--until" in err and "--channels" in err
    code, out, err = postmortem(capsys, "zebra unicorn", "--json")
    result = json.loads(out)
    assert code == 1 and result["status"] == "no_evidence" and result["page"] is None
    assert result["searched"]["terms"] == ["zebra", "unicorn"] and result["message"] in err
    assert set(sb.state("notion").pages) == pages  # nothing was published, not even an empty page


def test_a_rerun_with_jira_down_keeps_the_page_and_force_overwrites_it(sb, capsys):
    code, out, _ = postmortem(capsys, "summer25", "--json")
    page = json.loads(out)["page"]
    assert code == 0
    before = [(b.id, copy.deepcopy(b.data)) for b in page_blocks(sb, page["id"])]

    sb.faults.set("jira", status=503)
    code, out, err = postmortem(capsys, "summer25", "--json")
    kept = json.loads(out)
    assert code == 1 and kept["status"] == "kept" and KEPT in err and kept["message"] == KEPT
    assert [(b.id, b.data) for b in page_blocks(sb, page["id"])] == before

    code, out, err = postmortem(capsys, "summer25", "--force", "--json")
    forced = json.loads(out)
    assert code == 0 and forced["status"] == "updated" and forced["page"]["id"] == page["id"]
    assert forced["sources"]["jira"]["status"] == "failed" and "Jira" in " ".join(forced["report"]["notes"])
    assert [b.id for b in page_blocks(sb, page["id"])] != [b for b, _ in before]
