"""`postmortem run --workspace` prints its run id before anything can fail, and `resume` of such a run publishes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path


def postmortem(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NOTION_", "JIRA_", "OPENAI_",
                                                                      "POSTMORTEM_"))}
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=cwd, env=base | env, capture_output=True,
                          text=True, timeout=180)


def test_a_workspace_run_that_could_not_publish_resumes_and_publishes(tmp_path):
    failed = postmortem("run", "summer25", "--workspace", "summer25", "--offline", "--json", cwd=tmp_path,
                        POSTMORTEM_SANDBOX_FAULTS="notion:status=503")
    assert failed.returncode == 1, failed.stderr
    first_line = failed.stderr.splitlines()[0]
    run_id = re.search(r"run ([\w-]+);", first_line).group(1)  # said before gathering began
    assert json.loads(failed.stdout)["status"] == "failed" and f"postmortem resume {run_id}" in failed.stderr

    resumed = postmortem("resume", run_id, "--json", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert result["status"] == "published" and result["page"]["action"] == "created"
    assert "serving the run's sandbox again" in resumed.stderr
    served = re.search(r"\(Slack (http://127\.0\.0\.1:\d+)\)", resumed.stderr).group(1)
    linked = {e["url"].split("/archives/")[0] for e in json.loads(failed.stdout)["evidence"] if e["source"] == "slack"}
    assert linked == {served}  # served again on the run's own ports, so the evidence links still open


def test_resume_of_an_unknown_run_is_bad_input(tmp_path):
    proc = postmortem("resume", "nope-12345678", cwd=tmp_path)
    assert proc.returncode == 2 and "no saved run" in proc.stderr
