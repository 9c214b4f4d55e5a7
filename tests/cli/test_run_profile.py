"""POSTMORTEM_SANDBOX_PROFILE reaches `postmortem run --workspace`: a whole summer25 run, slowed and rate-limited."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from sandbox import profile


def test_a_realistic_summer25_run_still_publishes_a_complete_page_just_slower(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "POSTMORTEM_CHECKPOINT_DB": str(tmp_path / "runs.sqlite"),
           profile.PROFILE_ENV: "realistic"}
    proc = subprocess.run([sys.executable, "-m", "cli.main", "run", "summer25", "--workspace", "summer25", "--offline",
                           "--json"], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "published" and result["page"]["action"] == "created"
    assert {s: v["status"] for s, v in result["sources"].items()} == {"slack": "ok", "notion": "ok", "jira": "ok"}
    assert result["page"]["sources"] == ["slack", "notion", "jira"]
    report = result["report"]
    assert report["root_cause"]["verified"] and len(report["timeline"]) >= 10 and report["action_items"]
    # The sandbox says what it saw; every service was asked something, and whatever it rate-limited was retried.
    seen = dict(re.findall(r"(slack|notion|jira) (\d+) requests", proc.stderr))
    assert set(seen) == {"slack", "notion", "jira"} and all(int(n) > 0 for n in seen.values()), proc.stderr
    # Lower bounds only: each step makes at least one request to its service, and each request waits its latency.
    floor = {s: base * (1 - profile.JITTER) for s, base in profile.LATENCY_S.items()}
    timings = result["timings_s"]
    assert timings["gather_slack"] >= floor["slack"] and timings["gather_jira"] >= floor["jira"]
    assert timings["publish"] >= floor["notion"]
