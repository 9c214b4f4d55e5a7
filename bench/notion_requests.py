"""Notion requests per run (gather, references and publish, retries included): summer25 and a generated workspace.

Not a `bench_*.py` script (run_all.py does not run it): `.venv/bin/python bench/notion_requests.py [messages [issues
[pages]]]`, with POSTMORTEM_SANDBOX_PROFILE=realistic for Notion's latency and rate limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from cli.commands import sandbox_overrides  # noqa: E402
from graph.result import build_result  # noqa: E402
from graph.runner import run_incident  # noqa: E402
from sandbox.generate.expected import expected_path, score  # noqa: E402
from sandbox.server import Sandbox  # noqa: E402
from tests.support.notion_count import NotionCounter  # noqa: E402

BOUNDS = {"summer25_first": 10, "summer25_rerun": 12, "generated_first": 60, "generated_rerun": 60}


def runs(sb: Sandbox, tmp: Path, incident: str, name: str, figures: dict, expected: dict | None = None) -> None:
    """A first run and a re-run of one incident with one checkpoint folder (so the re-run has the first's cache)."""
    overrides = sandbox_overrides(sb) | {"checkpoint_db": str(tmp / "runs.sqlite"), "openai_api_key": ""}
    for label in ("first", "rerun"):
        started = time.monotonic()
        with NotionCounter(sb.urls["notion"]) as counter:
            _, state = run_incident({"incident": incident, "offline": True}, overrides=overrides)
        result = build_result(incident, state)
        key = f"{name}_{label}"
        figures[key], figures[f"{key}_429"] = counter.total, counter.limited
        figures[f"{key}_s"] = round(time.monotonic() - started, 2)
        figures[f"{key}_routes"] = dict(counter.routes)
        figures[f"{key}_notion_pages"] = sorted(e["title"] for e in result["evidence"] if e["source"] == "notion")
        if expected:
            figures[f"{key}_recall"] = score(result, expected)["recall"]
        action = (result.get("page") or {}).get("action")
        print(f"{name} {label} ({incident!r}, page {action}, {figures[f'{key}_s']} s): {counter.total} Notion "
              f"requests, {counter.limited} answered 429", dict(counter.routes))
        if action != ("created" if label == "first" else "updated"):
            figures["errors"].append(f"{key}: the page was {action}")


def main(argv: list[str]) -> int:
    """argv: [messages [issues [pages]]] of the generated workspace; 10,000 / 500 / 200 by default."""
    messages, issues, pages = [*map(int, argv), *(10_000, 500, 200)[len(argv):]][:3]
    tmp = Path(tempfile.mkdtemp(prefix="bench-notion-"))
    figures: dict = {"bench": "notion", "errors": []}
    with Sandbox() as sb:
        figures["profile"] = sb.profile.name
        runs(sb, tmp / "summer25", "summer25", "summer25", figures)
    ws = tmp / "generated.json"
    subprocess.run([sys.executable, "-m", "sandbox.generate", "--messages", str(messages), "--issues", str(issues),
                    "--pages", str(pages), "--out", str(ws)], check=True, cwd=ROOT, capture_output=True)
    expected = json.loads(expected_path(ws).read_text())
    with Sandbox(ws) as sb:
        runs(sb, tmp / "generated", expected["incident"], "generated", figures, expected)
    print("recall of the generated incident (first, re-run):", figures["generated_first_recall"],
          figures["generated_rerun_recall"])
    print(json.dumps(figures))
    over = [k for k, bound in BOUNDS.items() if figures[k] > bound]
    for k in over:
        print(f"FAIL {k}: {figures[k]} Notion requests > {BOUNDS[k]}")
    return 1 if over or figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
