"""`make eval`: run the tool on every incident of the corpus (offline analyzer, sandbox, real clients), score each
against its gold file, print one table, exit 1 when a target is missed."""

# `python eval/run.py [NAME…] [--json FILE] [--show]`: NAMEs pick incidents (default: all of eval/incidents).

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from gold import Gold, load_gold  # noqa: E402
from scoring import score  # noqa: E402

# The targets, over the corpus: mean recall, distractor rate and key-event coverage; a root cause naming the
# mechanism (every word group of the gold file) in at least 80% of incidents, since a gold file's word lists cannot
# foresee every correct wording; never a grounding violation or an uncited lesson.
TARGETS = {"recall": 0.9, "distractors": 0.1, "key_events": 0.8, "timeline_rows": 20, "root_cause": 0.8}


def run_one(gold: Gold, folder: Path) -> dict:
    """One `postmortem run INCIDENT --workspace FILE --offline`, in process, with a fresh sandbox."""
    from cli.checks import run_inputs
    from cli.commands import sandbox_overrides
    from cli.main import build_parser
    from graph.result import build_result
    from graph.runner import run_incident
    from sandbox.server import Sandbox

    argv = ["run", gold.incident, "--offline"]
    for flag in ("since", "until"):
        argv += [f"--{flag}", str(gold.inputs[flag])] if flag in gold.inputs else []
    argv += ["--channels", ",".join(gold.inputs["channels"])] if "channels" in gold.inputs else []
    inputs = run_inputs(build_parser().parse_args(argv))
    with Sandbox(HERE / "incidents" / f"{gold.name}.yaml") as sb:
        overrides = sandbox_overrides(sb) | {"checkpoint_db": str(folder / f"{gold.name}.sqlite"), "openai_api_key": ""}
        _, state = run_incident(inputs, overrides=overrides)
    return build_result(gold.incident, state)


def passes(s: dict) -> bool:
    return (s["recall"] >= TARGETS["recall"] and s["distractors"] <= TARGETS["distractors"]
            and s["key_events"] >= TARGETS["key_events"] and s["timeline_rows"] <= TARGETS["timeline_rows"]
            and s["root_cause"] and not s["grounding"] and not s["bare_lessons"])


def table(scores: list[dict]) -> str:
    head = "| incident | recall | distractors | key events | rows | root cause | grounding | bare lessons | |"
    lines = [head, "|" + " --- |" * 9]
    for s in scores:
        lines.append(f"| {s['incident']} | {s['recall']:.2f} | {s['distractors']:.2f} | {s['key_events']:.2f} | "
                     f"{s['timeline_rows']} | {'yes' if s['root_cause'] else 'NO'} | {len(s['grounding'])} | "
                     f"{s['bare_lessons']} | {'PASS' if passes(s) else 'FAIL'} |")
    n = len(scores) or 1
    mean = {k: sum(s[k] for s in scores) / n for k in ("recall", "distractors", "key_events")}
    lines.append(f"| **mean** | {mean['recall']:.2f} | {mean['distractors']:.2f} | {mean['key_events']:.2f} | "
                 f"{max((s['timeline_rows'] for s in scores), default=0)} | "
                 f"{sum(s['root_cause'] for s in scores)}/{len(scores)} | {sum(len(s['grounding']) for s in scores)} | "
                 f"{sum(s['bare_lessons'] for s in scores)} | |")
    return "\n".join(lines)


def details(s: dict) -> str:
    out = [f"{s['incident']}: status {s['status']}"]
    for k in ("missed", "kept", "uncovered", "grounding"):
        if s[k]:
            out.append(f"  {k}: {', '.join(s[k])}")
    if not s["root_cause"]:
        out.append(f"  root cause: {s['root_cause_text'][:200]}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help="incidents to run (default: all)")
    p.add_argument("--json", type=Path, help="also write every result and score here")
    p.add_argument("--show", action="store_true", help="print each incident's misses, even when it passes")
    a = p.parse_args(argv)
    golds = sorted((HERE / "incidents").glob("*.gold.yaml"))
    if a.names:
        golds = [g for g in golds if g.name.removesuffix(".gold.yaml") in a.names]
    scores, dump = [], {}
    with tempfile.TemporaryDirectory(prefix="eval-") as tmp:
        for path in golds:
            gold = load_gold(path)
            result = run_one(gold, Path(tmp))
            s = score(result, gold)
            scores.append(s)
            dump[gold.name] = {"score": s, "result": result}
    print(table(scores))
    for s in scores:
        if a.show or not passes(s):
            print(details(s))
    if a.json:
        a.json.write_text(json.dumps(dump, indent=1, default=str), encoding="utf-8")
    ok, why = overall(scores)
    print("eval:", "PASS" if ok else "FAIL", f"({len(scores)} incidents)" + (f": {'; '.join(why)}" if why else ""))
    return 0 if ok else 1


def overall(scores: list[dict]) -> tuple[bool, list[str]]:
    """Whether the corpus meets the targets, and which it misses."""
    if not scores:
        return False, ["no incidents"]
    n = len(scores)
    mean = {k: sum(s[k] for s in scores) / n for k in ("recall", "distractors", "key_events", "root_cause")}
    why = [f"mean recall {mean['recall']:.2f} < {TARGETS['recall']}"] * (mean["recall"] < TARGETS["recall"])
    why += [f"distractors {mean['distractors']:.2f} > {TARGETS['distractors']}"] * (
        mean["distractors"] > TARGETS["distractors"])
    why += [f"key events {mean['key_events']:.2f} < {TARGETS['key_events']}"] * (
        mean["key_events"] < TARGETS["key_events"])
    why += [f"root cause named in {mean['root_cause']:.0%} < {TARGETS['root_cause']:.0%}"] * (
        mean["root_cause"] < TARGETS["root_cause"])
    why += [f"{s['incident']}: {len(s['grounding'])} grounding violations" for s in scores if s["grounding"]]
    why += [f"{s['incident']}: {s['bare_lessons']} lessons without evidence" for s in scores if s["bare_lessons"]]
    why += [f"{s['incident']}: {s['timeline_rows']} timeline rows" for s in scores
            if s["timeline_rows"] > TARGETS["timeline_rows"]]
    return not why, why


if __name__ == "__main__":
    sys.exit(main())
