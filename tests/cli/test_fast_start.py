"""Help, usage errors and bad input answer without loading the heavy stack (the graph, the clients, the server)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support import ROOT

HEAVY = ("langgraph", "langchain_core", "langchain_openai", "slack_sdk", "notion_client", "jira", "aiohttp",
         "bpe_openai", "openai", "httpx")

# Runs main() in a fresh interpreter, then reports its exit status and which heavy packages got imported.
PROBE = """
import json, sys
from cli.main import main
try:
    code = main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
heavy = set(sys.argv[1].split(","))
print(json.dumps({"code": code, "loaded": sorted({m.split('.')[0] for m in sys.modules} & heavy)}))
"""


def probe(*argv: str, cwd) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, ",".join(HEAVY), *argv], cwd=cwd, capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("argv", [
    ["--help"], ["run", "--help"], ["bogus"], ["run", ""], ["run", "x", "--since", "nope"],
    ["run", "x", "--channels", ","], ["run", "x", "--workspace", "/no/such/file.json"], ["resume", "nope"],
])
def test_answers_without_the_heavy_stack(argv, tmp_path):
    result = probe(*argv, cwd=tmp_path)  # tmp_path: no .env, no saved runs
    assert result["code"] in (0, 2) and result["loaded"] == []
