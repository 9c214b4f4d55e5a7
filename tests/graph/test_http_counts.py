"""A run's `requests` are the HTTP requests each service received from it: gather, references, publish, retries."""

from __future__ import annotations

import threading

from graph.http_counts import RunHttp, most
from sandbox.server import Sandbox
from tests.support.graph import run_on
from tests.support.stub_openai import StubOpenAI

SERVICES = ("slack", "notion", "jira")


def received(sb: Sandbox) -> dict[str, int]:
    """What the sandbox itself counted at its front door, per service."""
    return {s: sb.stats()[s]["requests"] for s in SERVICES}


def test_the_result_counts_exactly_the_requests_each_service_received(sb, tmp_path):
    result = run_on(sb, tmp_path)
    assert {s: result["requests"][s] for s in SERVICES} == received(sb)
    assert all(result["requests"][s] > 0 for s in SERVICES) and result["requests"]["model"] == 0


def test_retries_are_counted_as_the_requests_they_are(tmp_path):
    with Sandbox() as clean:
        baseline = run_on(clean, tmp_path / "clean")["requests"]
    with Sandbox(faults="slack:status=429,count=2,retry_after=1;jira:status=503,count=2;notion:drop,count=1") as sb:
        result = run_on(sb, tmp_path / "faulty")
        assert {s: result["requests"][s] for s in SERVICES} == received(sb)
    # the same run, plus each refused or dropped attempt and the one that replaced it
    assert result["requests"] == baseline | {"slack": baseline["slack"] + 2, "jira": baseline["jira"] + 2,
                                             "notion": baseline["notion"] + 1}
    assert all(result["sources"][s]["status"] == "ok" for s in SERVICES)


def test_model_requests_are_counted_with_the_client_s_own_retry(sb, tmp_path):
    with StubOpenAI() as stub:
        stub.enqueue_error(500)  # the OpenAI client retries once by itself
        stub.enqueue_json({"title": "Promo code rejected"})  # not a full report: a repair call follows
        stub.enqueue_text("still not JSON")
        result = run_on(sb, tmp_path, offline=False,
                        overrides={"openai_api_key": "sk-test", "openai_base_url": stub.base_url})
    assert stub.calls == 3 and result["requests"]["model"] == 3
    assert result["usage"]["llm_calls"] == 2  # calls the analyzer made; requests count what went over the wire


def test_two_runs_at_once_each_count_only_their_own(tmp_path):
    with Sandbox() as a, Sandbox() as b:
        results: dict[str, dict] = {}
        runs = [threading.Thread(target=lambda name, sb: results.__setitem__(name, run_on(sb, tmp_path / name)),
                                 args=(name, sb)) for name, sb in (("a", a), ("b", b))]
        for t in runs:
            t.start()
        for t in runs:
            t.join()
        assert {s: results["a"]["requests"][s] for s in SERVICES} == received(a)
        assert {s: results["b"]["requests"][s] for s in SERVICES} == received(b)


def test_a_resumed_run_counts_on_from_its_checkpoint_and_shares_one_client_per_key():
    run = RunHttp({"slack": 4, "jira": 1})
    run.count("jira")
    assert run.totals() == {"slack": 4, "notion": 0, "jira": 2, "model": 0}
    made = []
    assert run.shared("jira", lambda: made.append(1) or object()) is run.shared("jira", lambda: made.append(2))
    assert made == [1]
    # nodes running side by side each report the totals they saw; the larger is the later
    assert most({"slack": 5, "jira": 2}, {"slack": 3, "notion": 7}) == {"slack": 5, "jira": 2, "notion": 7}
