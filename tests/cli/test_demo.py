"""`postmortem demo` (what `make demo` runs): the real bot answers `/postmortem summer25` on the sandbox."""

from __future__ import annotations

import re
import subprocess
import sys


def test_demo_prints_the_slack_thread_and_a_page_link(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "cli.main", "demo", "--no-serve"], capture_output=True, text=True,
                          timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "#marketing-ops" in out and "requested by @Stefan Ortiz" in out
    assert "Slack: " in out and "Notion: " in out and "Jira: " in out  # the progress line, edited in place
    assert "I created a new post-mortem page in Notion." in out and "inactive" in out
    assert not re.search(r"<@U[A-Z0-9]+>", out)
    assert re.search(r"open the post-mortem in a browser: http://127\.0\.0\.1:\d+/Post-mortem-SUMMER25", proc.stderr)
