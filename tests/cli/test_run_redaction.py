"""`postmortem run --json` as a person types it: no credential in the result, and a bad pattern is bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.leaky_workspace import EXTRA_PATTERNS, SECRETS, leaks, leaky_workspace


def _run(tmp_path, patterns: str, *args: str) -> subprocess.CompletedProcess:
    ws = tmp_path / "leaky.json"
    ws.write_text(json.dumps(leaky_workspace()))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "POSTMORTEM_REDACT_PATTERNS": patterns,
           "POSTMORTEM_CHECKPOINT_DB": str(tmp_path / "runs.sqlite")}
    return subprocess.run([sys.executable, "-m", "cli.main", "run", *args, "--workspace", str(ws), "--offline"],
                          capture_output=True, text=True, timeout=120, env=env)


def test_the_json_result_holds_no_credential_and_says_how_many_were_redacted(tmp_path):
    proc = _run(tmp_path, EXTRA_PATTERNS, "promo42 postgres://cms:Pr0mo-Launch-2025@db.internal:5432/cms", "--json")
    assert proc.returncode == 0, proc.stderr
    assert leaks(proc.stdout) == [] and leaks(proc.stderr.split("\n", 1)[1]) == []  # after the echo of argv
    result = json.loads(proc.stdout)
    by_type = result["redactions"]["by_type"]
    assert by_type["password-in-url"] == 2 and by_type["acme-key"] == 1  # the thread's and the command line's own
    assert result["redactions"]["count"] == sum(by_type.values()) and set(by_type) <= set(SECRETS.values())
    assert result["incident"] == "promo42 postgres://cms:[redacted: password-in-url]@db.internal:5432/cms"


def test_a_malformed_pattern_exits_2_naming_the_variable_and_the_pattern(tmp_path):
    proc = _run(tmp_path, "acme-key=acme_live_[a-z", "promo42")
    assert proc.returncode == 2
    assert "POSTMORTEM_REDACT_PATTERNS: pattern 'acme-key'" in proc.stderr and "'acme_live_[a-z'" in proc.stderr
    assert proc.stdout == ""
