"""Benchmark: load, start and query a generated 100k-message workspace through the real client libraries."""

from __future__ import annotations

import gc
import importlib.util
import resource
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402
from common import emit, python, row, run_step, script_budget, temp_folder, watchdog  # noqa: E402

from sandbox.server import Sandbox  # noqa: E402
from sandbox.workspace.loader import load_workspace  # noqa: E402

SIZES = {"messages": 100_000, "issues": 5_000, "pages": 2_000}
LOAD_LIMIT_S = 10.0  # generous bounds: this is a benchmark, not a test
HISTORY_P50_LIMIT_MS = 50.0
SERVICES = ("slack", "notion", "jira")


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_ms(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB; ru_maxrss is in KB on Linux."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20, peak
    except OSError:
        return peak, peak


def stub_missing() -> list[str]:
    """Serve an empty app for services whose module is not written yet, so the others can still be measured."""
    missing = []
    for service in SERVICES:
        name = f"sandbox.{service}.api"
        if importlib.util.find_spec(name) is None:
            module = types.ModuleType(name)

            def build_app(ctx):
                app = web.Application()
                app["state"] = None
                return app

            module.build_app = build_app
            sys.modules[name] = module
            missing.append(service)
    return missing


def generate(tmp: Path) -> tuple[Path, Path, float]:
    # A subprocess, so the generator's own memory does not count towards the loader's RSS.
    args = [f"--{k}={v}" for k, v in SIZES.items()]
    paths = (tmp / "ws.json", tmp / "ws.yaml")
    steps = [run_step(python("-m", "sandbox.generate", *args, "--out", str(path))) for path in paths]
    for step in steps:
        if step.rc != 0:
            raise SystemExit(f"bench_sandbox: generating failed: {'timeout' if step.timed_out else step.stderr[-500:]}")
    return *paths, steps[0].wall_s


def clients(sb: Sandbox, missing: list[str]) -> dict:
    """Real clients with only their base URL pointed at the sandbox, each retried until its service answers."""
    from jira import JIRA
    from notion_client import Client
    from slack_sdk import WebClient

    env = sb.env
    makers = {
        "slack": lambda: WebClient(token=env["SLACK_BOT_TOKEN"], base_url=env["SLACK_API_URL"]),
        "notion": lambda: Client(auth=env["NOTION_TOKEN"], base_url=env["NOTION_BASE_URL"]),
        "jira": lambda: JIRA(server=env["JIRA_URL"], basic_auth=(env["JIRA_EMAIL"], env["JIRA_API_TOKEN"])),
    }
    probes = {"slack": lambda c: c.auth_test(), "notion": lambda c: c.users.me(), "jira": lambda c: c.myself()}
    out, deadline = {}, time.monotonic() + 30
    for service in SERVICES:
        if service in missing:
            continue
        while True:
            try:
                out[service] = makers[service]()
                probes[service](out[service])
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    return out


def bench_slack(ws, client) -> dict:
    readable = [c for c in ws.slack.channels if c.members is None or "postmortem" in c.members]
    busiest = max(readable, key=lambda c: len(c.messages))
    first = timed_ms(lambda: client.conversations_history(channel=busiest.id, limit=100), 200)
    deep, cursor, seen = [], None, 0
    while True:  # walk the whole channel with cursors, as a bot reading a long history would
        t0 = time.perf_counter()
        resp = client.conversations_history(channel=busiest.id, limit=100, cursor=cursor)
        if cursor:
            deep.append((time.perf_counter() - t0) * 1000)
        seen += len(resp["messages"])
        cursor = (resp.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    if seen != len(busiest.messages):
        print(f"WARNING: cursor walk returned {seen} messages, channel has {len(busiest.messages)}")
    return {"history_channel": busiest.name, "history_channel_messages": len(busiest.messages),
            "history_p50_ms": pct(first, 0.5), "history_p99_ms": pct(first, 0.99), "deep_pages": len(deep),
            "deep_p50_ms": pct(deep, 0.5) if deep else None, "deep_p99_ms": pct(deep, 0.99) if deep else None,
            "walk_messages": seen}


def bench_jira(client) -> dict:
    jql = 'text ~ "rollback" ORDER BY updated DESC'
    hits = client.enhanced_search_issues(jql, maxResults=50, fields=["summary", "status", "updated"])
    samples = timed_ms(lambda: client.enhanced_search_issues(jql, maxResults=50,
                                                             fields=["summary", "status", "updated"]), 50)
    return {"jira_search_p50_ms": pct(samples, 0.5), "jira_search_hits": len(hits)}


def bench_notion(client) -> dict:
    hits = client.search(query="outage", page_size=100)  # Notion matches titles
    samples = timed_ms(lambda: client.search(query="outage", page_size=100), 50)
    return {"notion_search_p50_ms": pct(samples, 0.5), "notion_search_hits": len(hits["results"])}


def report(r: dict, skipped: list[str]) -> None:
    def f(key: str, unit: str, fmt: str = "{:.1f}") -> str:
        return "skipped" if r.get(key) is None else fmt.format(r[key]) + unit

    rows = [
        ("generate 100k/5k/2k -> JSON (subprocess)", f("generate_s", " s", "{:.2f}")),
        ("load_workspace JSON (median of 3)", f("load_json_s", " s", "{:.2f}")),
        ("load_workspace YAML (1 run)", f("load_yaml_s", " s", "{:.2f}")),
        ("Sandbox start -> all services answer", f("start_s", " s", "{:.2f}")),
        (f"history limit=100 on #{r.get('history_channel')} p50", f("history_p50_ms", " ms")),
        ("history first page p99 (200 requests)", f("history_p99_ms", " ms")),
        (f"history deep pages via cursor ({r.get('deep_pages')}) p50", f("deep_p50_ms", " ms")),
        ("history deep pages p99", f("deep_p99_ms", " ms")),
        (f"jira search/jql text~ ({r.get('jira_search_hits')} hits) p50", f("jira_search_p50_ms", " ms")),
        (f"notion search ({r.get('notion_search_hits')} hits) p50", f("notion_search_p50_ms", " ms")),
        ("RSS after load + start (current)", f("rss_mb", " MB", "{:.0f}")),
        ("peak RSS (getrusage ru_maxrss)", f("peak_rss_mb", " MB", "{:.0f}")),
    ]
    print("\nSandbox benchmark: 100,000 Slack messages, 5,000 Jira issues, 2,000 Notion pages")
    for label, value in rows:
        print(f"  {label:<52} {value:>12}")
    for service in skipped:
        print(f"  SKIPPED {service}: sandbox/{service}_api.py does not exist yet")
    group = "sandbox: 100k messages, 5k issues, 2k pages"
    rows = [row(group, "load_workspace JSON (3 loads)", r.get("load_json_samples", []), "s", ("<", LOAD_LIMIT_S)),
            row(group, "Sandbox start until all services answer", [r.get("start_s")], "s"),
            row(group, "conversations.history limit=100 p50 (200 requests)", [r.get("history_p50_ms")], "ms",
                ("<", HISTORY_P50_LIMIT_MS)),
            row(group, "peak memory after load + start", [r.get("peak_rss_mb")], "MB")]
    emit("sandbox", {**r, "skipped": skipped}, rows)


def main() -> int:
    skipped = stub_missing()
    r: dict = {}
    watchdog(script_budget(), lambda: report(r, skipped))  # prints what was measured, kills the rest, exits 1
    with temp_folder("bench-sandbox-") as tmp:
        json_path, yaml_path, r["generate_s"] = generate(Path(tmp))
        loads = []
        for _ in range(3):
            t0 = time.perf_counter()
            ws = load_workspace(json_path)
            loads.append(time.perf_counter() - t0)
        r["load_json_s"], r["load_json_samples"] = statistics.median(loads), loads
        gc.collect()
        t0 = time.perf_counter()
        with Sandbox(ws) as sb:
            live = clients(sb, skipped)
            r["start_s"] = time.perf_counter() - t0
            gc.collect()
            r["rss_mb"], r["peak_rss_mb"] = rss_mb()
            if "slack" in live:
                r.update(bench_slack(ws, live["slack"]))
            if "jira" in live:
                r.update(bench_jira(live["jira"]))
            if "notion" in live:
                r.update(bench_notion(live["notion"]))
        t0 = time.perf_counter()  # last, so the YAML parser's garbage does not inflate the RSS figures
        load_workspace(yaml_path)
        r["load_yaml_s"] = time.perf_counter() - t0
    report(r, skipped)
    failures = []
    if r["load_json_s"] > LOAD_LIMIT_S:
        failures.append(f"loading took {r['load_json_s']:.1f} s (> {LOAD_LIMIT_S:.0f} s)")
    if r.get("history_p50_ms") is not None and r["history_p50_ms"] > HISTORY_P50_LIMIT_MS:
        failures.append(f"history page p50 {r['history_p50_ms']:.1f} ms (> {HISTORY_P50_LIMIT_MS:.0f} ms)")
    for msg in failures:
        print(f"FAIL: {msg}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
