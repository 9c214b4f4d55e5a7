"""The graph end to end: evidence per source, model calls and input tokens, wall time per node; bounded on big data."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cli.commands import sandbox_overrides  # noqa: E402
from graph.analyze.grounding_check import check_grounding  # noqa: E402
from graph.result import build_result  # noqa: E402
from graph.runner import run_incident  # noqa: E402
from sandbox.server import Sandbox  # noqa: E402
from tests.support.stub_openai import StubOpenAI  # noqa: E402

NODES = ("plan", "gather_slack", "gather_notion", "gather_jira", "follow_references", "analyze", "publish", "total")
ANSWER = {  # a well-formed model answer; grounding re-times and re-checks it like any other
    "title": "Promo code SUMMER25 rejected at checkout", "summary": "The code was never activated.",
    "impact": "Customers could not use the code.", "detection": "Customers reported it.",
    "root_cause": {"text": "The code was left inactive in the CMS.", "evidence": ["E1"]},
    "resolution": {"text": "The code was activated.", "evidence": ["E2"]},
    "timeline": [{"at": "2025-08-04T09:07:22Z", "event": "Reported", "evidence": ["E1"]}],
    "action_items": [], "lessons": [], "open_questions": [], "contributing_factors": []}


def run(sb, tmp: Path, incident: str, **over) -> dict:
    overrides = sandbox_overrides(sb) | {"checkpoint_db": str(tmp / "runs.sqlite"), "openai_api_key": ""} | over
    _, state = run_incident({"incident": incident, "offline": not over.get("openai_api_key")}, overrides=overrides)
    return build_result(incident, state)


def median_timings(results: list[dict]) -> dict:
    return {n: round(statistics.median(r["timings_s"].get(n, 0) for r in results), 3) for n in NODES}


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bench-graph-"))
    figures: dict = {"bench": "graph"}
    with Sandbox() as sb:
        offline = [run(sb, tmp, "summer25") for _ in range(5)]
        r = offline[-1]
        figures["summer25_evidence"] = {s: v["items"] for s, v in r["sources"].items()}
        figures["summer25_evidence_kept"] = len(r["evidence"])
        figures["summer25_offline_node_s"] = median_timings(offline)
        with StubOpenAI() as stub:
            stub.enqueue_json(ANSWER)
            llm = run(sb, tmp, "summer25", openai_api_key="sk-bench", openai_base_url=stub.base_url)
        figures["summer25_llm_usage"] = llm["usage"]
        figures["summer25_llm_node_s"] = llm["timings_s"]
        grounded = not check_grounding(r) and not check_grounding(llm)
    big = tmp / "big.json"
    subprocess.run([sys.executable, "-m", "sandbox.generate", "--messages", "100000", "--issues", "5000", "--pages",
                    "2000", "--out", str(big)], check=True, cwd=ROOT)
    with Sandbox(big) as sb:
        with StubOpenAI() as stub:
            stub.enqueue_json(ANSWER)
            huge = run(sb, tmp, "rollback", openai_api_key="sk-bench", openai_base_url=stub.base_url)
        figures["big_gathered"] = {s: v["items"] for s, v in huge["sources"].items()}
        figures["big_evidence_kept"] = len(huge["evidence"])
        figures["big_llm_usage"] = huge["usage"]
        figures["big_node_s"] = huge["timings_s"]
    print("summer25: evidence gathered per source", figures["summer25_evidence"], "kept", figures["summer25_evidence_kept"])
    print("summer25 offline, median wall time per node (s):", figures["summer25_offline_node_s"])
    print("summer25 with a model (stub server):", figures["summer25_llm_usage"])
    print("100k-message workspace, incident 'rollback': gathered", figures["big_gathered"], "kept",
          figures["big_evidence_kept"], "usage", figures["big_llm_usage"], "total s", figures["big_node_s"]["total"])
    print(json.dumps(figures))
    bounded = figures["big_llm_usage"]["input_tokens"] <= 16000 and figures["big_llm_usage"]["llm_calls"] <= 2
    return 0 if grounded and bounded else 1


if __name__ == "__main__":
    sys.exit(main())
