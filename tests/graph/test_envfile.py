"""The .env file is found from the current folder upwards, then the project root, and never overrides the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graph.envfile import find_env_file, load_env_file


def test_nearest_env_file_upwards_wins_over_the_project_root(tmp_path):
    root, work = tmp_path / "project", tmp_path / "team" / "incidents" / "aug"
    root.mkdir()
    work.mkdir(parents=True)
    (root / ".env").write_text("X=root\n")
    assert find_env_file(work, project_root=root) == root / ".env"  # nothing above the folder: the project's
    (tmp_path / "team" / ".env").write_text("X=team\n")
    assert find_env_file(work, project_root=root) == tmp_path / "team" / ".env"
    (work / ".env").write_text("X=here\n")
    assert find_env_file(work, project_root=root) == work / ".env"


def test_no_env_file_anywhere_is_not_an_error(tmp_path):
    assert find_env_file(tmp_path, project_root=tmp_path / "missing") is None
    assert load_env_file(tmp_path, project_root=tmp_path / "missing") is None


def test_the_environment_beats_the_file(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("PM_TEST_A=from-file\nPM_TEST_B=from-file\n")
    monkeypatch.setenv("PM_TEST_A", "from-env")
    monkeypatch.delenv("PM_TEST_B", raising=False)
    assert load_env_file(tmp_path, project_root=tmp_path / "missing") == tmp_path / ".env"
    assert os.environ["PM_TEST_A"] == "from-env" and os.environ["PM_TEST_B"] == "from-file"
    monkeypatch.delenv("PM_TEST_B")


def test_the_installed_command_reads_the_env_file_of_the_folder_it_runs_from(tmp_path):
    """`postmortem` as the README prints it, run two folders below a .env that moves the run store."""
    store = tmp_path / "store" / "runs.sqlite"
    (tmp_path / ".env").write_text(f"POSTMORTEM_CHECKPOINT_DB={store}\n")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    command = Path(sys.executable).parent / "postmortem"
    env = {"PATH": f"{command.parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(["postmortem", "run", "summer25", "--workspace", "summer25", "--offline", "--json"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["status"] == "published"
    assert store.is_file()  # the checkpoint went where the .env said, not to ./.postmortem
    assert not (work / ".postmortem").exists()
