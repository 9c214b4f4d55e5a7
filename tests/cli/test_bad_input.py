"""`postmortem` refuses bad input with exit code 2 and a message naming what and where; nothing is published."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cli.main import main
from sandbox.server import Sandbox
from tests.support.bot import bot_pages


@pytest.fixture(scope="module")
def sb():
    """A sandbox the CLI talks to through the environment, as with real services (so its Notion can be checked)."""
    with Sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def cli(sb, tmp_path, monkeypatch, capsys):
    """Run `postmortem …` in-process against `sb`; returns (exit code, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_API_KEY", "POSTMORTEM_SLACK_CHANNELS", "NOTION_PARENT_PAGE_ID", "POSTMORTEM_SANDBOX_FAULTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in sb.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("POSTMORTEM_CHECKPOINT_DB", str(tmp_path / "runs.sqlite"))

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(list(args))
        return code, capsys.readouterr().err

    return run


def refused(cli, sb, *args: str) -> str:
    """Exit code 2, one `postmortem:` line, no page written; returns the message."""
    pages = len(bot_pages(sb))
    code, err = cli(*args)
    assert code == 2, err
    assert err.startswith("postmortem: ") and "Traceback" not in err
    assert len(bot_pages(sb)) == pages, "nothing may be published for bad input"
    return err


@pytest.mark.parametrize(("incident", "expected"), [
    ("\u200b\u200b", "the incident (first argument) has only invisible characters (such as U+200B ZERO WIDTH SPACE)"),
    ("\u202e\u2066\ufeff", "the incident (first argument) has only invisible characters (such as U+202E"),
    ("   ", "the incident (first argument) is empty"),
    ("summer25 " * 1200, "the incident (first argument) is 10799 characters long; the limit is 500"),
])
def test_unusable_incident_text(cli, sb, incident, expected):
    assert expected in refused(cli, sb, "run", incident, "--offline")


def test_unknown_channel_is_named_with_the_closest_existing_one(cli, sb):
    err = refused(cli, sb, "run", "summer25", "--offline", "--channels", "incidents,marketng-ops")
    assert "--channels: no channel named #marketng-ops (did you mean #marketing-ops?)" in err


def test_each_unknown_channel_is_named(cli, sb):
    err = refused(cli, sb, "run", "summer25", "--offline", "--channels", "#incidnets,payments-team-xyz,incidents")
    assert "#incidnets (did you mean #incidents?)" in err and "#payments-team-xyz" in err
    assert "#incidents," not in err.replace("#incidents?", "")  # the channel that exists is not listed as unknown


def test_unknown_channel_with_nothing_like_it_lists_the_channels_there_are(cli, sb):
    err = refused(cli, sb, "run", "summer25", "--offline", "--channels", "zzzzzz")
    assert "no channel named #zzzzzz; the channels the bot can see are #" in err and "#marketing-ops" in err


def test_unknown_channel_in_the_environment_names_the_variable(cli, sb, monkeypatch):
    monkeypatch.setenv("POSTMORTEM_SLACK_CHANNELS", "marketing-ops,incident")
    err = refused(cli, sb, "run", "summer25", "--offline")
    assert "POSTMORTEM_SLACK_CHANNELS: no channel named #incident (did you mean #incidents?)" in err


def test_channels_flag_with_no_names(cli, sb):
    assert "--channels ' , #' names no channel" in refused(cli, sb, "run", "summer25", "--channels", " , #")


@pytest.mark.parametrize(("flags", "expected"), [
    (["--since", "last tuesday"], "--since 'last tuesday' is not a date or ISO time (use 2025-08-04"),
    (["--until", "2025-13-45"], "--until '2025-13-45' is not a date or ISO time"),
    (["--since", ""], "--since is empty"),
    (["--since", "2025-08-05", "--until", "2025-08-01"],
     "the window is empty: --since '2025-08-05' (2025-08-05T00:00:00Z) is not before --until '2025-08-01'"),
    (["--since", "2030-01-01"], "the window is empty: --since '2030-01-01' (2030-01-01T00:00:00Z) is not before "
                                "the end (now)"),
    (["--until", "9999-12-31"], "--until '9999-12-31' is out of range"),
    (["--since", "1900-01-01"], "--since '1900-01-01' is out of range"),
])
def test_dates_that_do_not_make_a_window(cli, sb, flags, expected):
    assert expected in refused(cli, sb, "run", "summer25", "--offline", *flags)


def test_a_date_in_the_incident_that_makes_an_empty_window_is_bad_input_not_a_crash(cli, sb):
    assert "the window is empty: the start (2 days before the date in the incident)" in refused(
        cli, sb, "run", "outage 2031-03-01", "--offline")


def test_the_same_run_with_good_input_publishes(cli, sb):
    """The control: the checks above refuse bad input, not everything."""
    pages = len(bot_pages(sb))
    code, err = cli("run", "summer25", "--offline", "--channels", "#marketing-ops", "--since", "2025-07-01")
    assert code == 0, err
    assert len(bot_pages(sb)) == pages + 1


# --- workspace files ------------------------------------------------------------------------------------------------
def _symlink_loop(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    return tmp_path / "a.yaml", "cannot be read (Too many levels of symbolic links)"


def _not_utf8(tmp_path):
    (tmp_path / "ws.yaml").write_bytes(b"format: 1\nname: \xff\xfe\n")
    return tmp_path / "ws.yaml", "not valid YAML/JSON: 'utf-8' codec can't decode byte 0xff"


WORKSPACES = {
    "folder": lambda p: (p, "is a folder; give a workspace file (.yaml or .json) inside it"),
    "missing": lambda p: (p / "nope.yaml", "file not found"),
    "symlink loop": _symlink_loop,
    "not UTF-8": _not_utf8,
}


@pytest.mark.parametrize("command", ["run", "sandbox", "demo", "dev"])
@pytest.mark.parametrize("kind", list(WORKSPACES))
def test_unusable_workspace_path(command, kind, tmp_path, capsys):
    path, problem = WORKSPACES[kind](tmp_path)
    args = {"run": ["run", "summer25", "--offline"], "demo": ["demo", "--no-serve"]}.get(command, [command])
    assert main([*args, "--workspace", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"postmortem: {path}: (top level): {problem}") and err.count("\n") == 1, err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_workspace_file(tmp_path, capsys):
    path = tmp_path / "ws.yaml"
    path.write_text("format: 1\n")
    path.chmod(0)
    assert main(["run", "summer25", "--workspace", str(path)]) == 2
    assert "cannot be read (permission denied)" in capsys.readouterr().err


def test_empty_workspace_argument_does_not_fall_back_to_the_real_services(capsys):
    assert main(["run", "summer25", "--workspace", " "]) == 2
    assert "--workspace is empty" in capsys.readouterr().err


def test_workspace_folder_from_a_shell_prints_one_line_and_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cli.main", "run", "summer25", "--workspace", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr == f"postmortem: {tmp_path}: (top level): is a folder; give a workspace file (.yaml or .json) " \
                          "inside it\n"
    assert proc.stdout == ""
