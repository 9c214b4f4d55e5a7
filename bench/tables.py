"""The benches' figures as rows (min/median/max, target, PASS/FAIL) and the one table they make."""

from __future__ import annotations

import json
import statistics

TIMEOUT = "timeout"  # a cell whose step was killed


def spread(values: list) -> tuple:
    """(min, median, max) of the numbers; TIMEOUT if any sample timed out and none was measured; None if none."""
    nums = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not nums:
        return (TIMEOUT,) * 3 if TIMEOUT in values else (None,) * 3
    return min(nums), statistics.median(nums), max(nums)


def row(group: str, figure: str, values: list, unit: str = "", target: tuple[str, float] | None = None,
        note: str = "") -> dict:
    """A table row: min/median/max of the samples and, with a target ('<=', 10), PASS/FAIL on the median."""
    lo, mid, hi = spread(values)
    verdict = None
    if target and isinstance(mid, int | float):
        op, bound = target
        verdict = "PASS" if (mid <= bound if op == "<=" else mid < bound if op == "<" else mid >= bound) else "FAIL"
    elif target:
        verdict = TIMEOUT if mid == TIMEOUT else "n/a"
    return {"group": group, "figure": figure, "min": lo, "median": mid, "max": hi, "n": len(values), "unit": unit,
            "target": f"{target[0]} {target[1]:g}{' ' + unit if unit not in ('', 'ratio') else ''}" if target else "", "result": verdict or "",
            "note": note}


def _cell(v, unit: str) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, str):
        return v
    if unit == "s":
        return f"{v:.2f}"
    if unit == "ratio":
        return f"{v:.3f}"
    return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:,.1f}"


def table(rows: list[dict]) -> str:
    """One table: figure | min | median | max | target | result, grouped; a single sample fills only the median."""
    head = f"{'figure':<62} {'min':>9} {'median':>9} {'max':>9}  {'target':<12} result"
    lines, group = [head, "-" * len(head)], None
    for r in rows:
        if r["group"] != group:
            group = r["group"]
            lines.append(f"[{group}]")
        one = r["n"] <= 1
        cells = ["" if one else _cell(r["min"], r["unit"]), _cell(r["median"], r["unit"]),
                 "" if one else _cell(r["max"], r["unit"])]
        label = r["figure"] + (f" ({r['unit']})" if r["unit"] not in ("", "ratio") else "")
        lines.append(f"  {label:<60} {cells[0]:>9} {cells[1]:>9} {cells[2]:>9}  {r['target']:<12} {r['result']}"
                     + (f"  {r['note']}" if r.get("note") else ""))
    return "\n".join(lines)


def emit(bench: str, figures: dict, rows: list[dict]) -> None:
    """A script's closing output: its table, then the one JSON line run_all.py and CI read."""
    print(table(rows), flush=True)
    print(json.dumps({"bench": bench, **figures, "rows": rows}, default=str), flush=True)
