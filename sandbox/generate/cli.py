"""`python -m sandbox.generate`: write a generated workspace file and the evidence its incident must yield."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sandbox.generate.build import generate_workspace
from sandbox.generate.expected import write_expected


def write(data: dict, out: Path) -> None:
    """JSON for .json (fast to load); YAML otherwise, with the C dumper when PyYAML has it."""
    if out.suffix == ".json":
        out.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        return
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    out.write_text(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m sandbox.generate", description=__doc__)
    p.add_argument("--messages", type=int, default=100_000, help="Slack messages, thread replies included")
    p.add_argument("--issues", type=int, default=5_000)
    p.add_argument("--pages", type=int, default=2_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, required=True, help="FILE.json or FILE.yaml")
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    try:
        data = generate_workspace(a.messages, a.issues, a.pages, a.seed)
    except ValueError as exc:
        p.error(str(exc))
    write(data, a.out)
    answers = write_expected(data, a.out)  # beside the workspace, so recall can be measured at every size
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB) and {answers.name} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
