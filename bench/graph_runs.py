"""Helper of the graph benches: ONE in-process sandbox, the graph run on it N times; one JSON line per run."""

# `python bench/graph_runs.py WORKSPACE INCIDENT --runs 2 [--llm-stub]`: run 1 is a first run, run 2 a re-run (the page
# exists, the checkpoint folder is the same). The benches start this as a subprocess so a hang can be killed.

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from cli.checks import run_inputs  # noqa: E402
from cli.commands import sandbox_overrides  # noqa: E402
from cli.main import build_parser  # noqa: E402
from graph.analyze.grounding_check import check_grounding  # noqa: E402
from graph.result import build_result  # noqa: E402
from graph.runner import run_incident  # noqa: E402
from sandbox.server import Sandbox  # noqa: E402

GATHERS = ("gather_slack", "gather_notion", "gather_jira")
ANSWER = {  # a well-formed model answer; grounding re-times and re-checks it like any other
    "title": "Incident review", "summary": "What happened, from the evidence.",
    "impact": "Customers were affected.", "detection": "An alert fired.",
    "root_cause": {"text": "A configuration change.", "evidence": ["E1"]},
    "resolution": {"text": "The change was rolled back.", "evidence": ["E2"]},
    "timeline": [], "action_items": [], "lessons": [], "open_questions": [], "contributing_factors": []}


def served(sb: Sandbox) -> dict[str, dict]:
    return {s: dict(v) for s, v in sb.stats().items()} if hasattr(sb, "stats") else {}


def one_run(sb: Sandbox, incident: str, folder: Path, **over) -> dict:
    """One run through the command line's own input handling; what it cost, per service and per node."""
    args = build_parser().parse_args(["run", incident, "--offline"])
    inputs = run_inputs(args) | ({"offline": False} if over.get("openai_api_key") else {})
    overrides = sandbox_overrides(sb) | {"checkpoint_db": str(folder / "runs.sqlite"), "openai_api_key": ""} | over
    seen: dict[str, float] = {}
    before, t0 = served(sb), time.perf_counter()
    _, state = run_incident(inputs, overrides=overrides,
                            on_progress=lambda node, _update: seen.setdefault(node, time.perf_counter()))
    wall = time.perf_counter() - t0
    after = served(sb)
    result = build_result(incident, state)
    timings = result.get("timings_s") or {}
    ends = [seen[n] for n in GATHERS if n in seen]
    return {
        "status": result["status"], "error": result.get("error"), "page_action": (result.get("page") or {}).get("action"),
        "requests": result.get("requests"),  # counted by the run itself (result 1.1), when it counts them
        "served": {s: after[s]["requests"] - before.get(s, {}).get("requests", 0) for s in after},
        "rate_limited": {s: after[s]["rate_limited"] - before.get(s, {}).get("rate_limited", 0) for s in after},
        "usage": result.get("usage") or {}, "timings_s": timings, "wall_s": round(wall, 3),
        # the three gathers run in one superstep: wall from planning done to the last gather done, vs the slowest
        "gather_wall_s": round(max(ends) - seen["plan"], 3) if ends and "plan" in seen else None,
        "slowest_source_s": max((timings.get(n, 0) for n in GATHERS), default=None),
        "sources": {s: v["items"] if v["status"] == "ok" else v for s, v in result["sources"].items()},
        "evidence": [{"source": e["source"], "ref": e["ref"], "key": e.get("key")} for e in result["evidence"]],
        "grounding_problems": check_grounding(result)[:5],
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("workspace")
    p.add_argument("incident")
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--llm-stub", action="store_true", help="then one more run with a model behind a local stub")
    a = p.parse_args()
    # The bench stops a hung run with SIGTERM (SIGKILL 3 s later): leave through the `with`s, so the sandbox stops
    # and the temporary folder goes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="bench-graph-") as tmp, Sandbox(a.workspace) as sb:
        for i in range(a.runs):
            print(json.dumps({"run": i + 1, "profile": getattr(sb, "profile", None) and sb.profile.name,
                              **one_run(sb, a.incident, Path(tmp))}), flush=True)
        if a.llm_stub:
            sys.path.insert(0, str(ROOT / "tests"))
            from tests.support.stub_openai import StubOpenAI

            with StubOpenAI() as stub:
                stub.enqueue_json(ANSWER)
                out = one_run(sb, a.incident, Path(tmp), openai_api_key="sk-bench", openai_base_url=stub.base_url)
            print(json.dumps({"run": "llm-stub", **out}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
