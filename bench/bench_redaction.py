"""Credential redaction on the corpus: recall and false positives per detector set, and the chosen one's speed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from common import emit, row  # noqa: E402

from graph.redact import Redactor  # noqa: E402
from tests.support.redaction import (  # noqa: E402
    combined,
    detect_secrets_available,
    detect_secrets_redact,
    hand_written,
    load_corpus,
    score,
)


def speed(corpus: dict, rounds: int = 200) -> float:
    """Characters per second through the hand-written redactor (secrets and look-alikes alike)."""
    redactor, texts = Redactor(), [c["text"] for c in corpus["secrets"] + corpus["lookalikes"]]
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            redactor.redact(text)
    return rounds * sum(map(len, texts)) / (time.perf_counter() - t0)


def main() -> int:
    corpus = load_corpus()
    runs = [("hand-written (chosen)", hand_written())]
    if detect_secrets_available():
        runs += [("detect-secrets 1.x", detect_secrets_redact), ("combined", combined())]
    else:
        print("detect-secrets is not installed (`.venv/bin/pip install detect-secrets` to compare against it)")
    print(f"corpus: {len(corpus['secrets'])} secrets, {len(corpus['lookalikes'])} look-alikes\n")
    print(f"{'detector':<24} {'recall':>7} {'typed':>7} {'false positives':>16}")
    figures: dict = {"bench": "redaction", "secrets": len(corpus["secrets"]), "lookalikes": len(corpus["lookalikes"])}
    chosen = None
    for name, fn in runs:
        s = score(name, fn, corpus)
        chosen = chosen or s
        print(f"{name:<24} {s.recall:>7.3f} {s.typed / s.secrets:>7.3f} {s.false_positives:>9} of {s.lookalikes}")
        for line in s.misses:
            print(f"    missed   {line[:150]}")
        for line in s.flagged:
            print(f"    flagged  {line[:150]}")
        figures[name.split(" ")[0]] = {"recall": round(s.recall, 3), "typed": round(s.typed / s.secrets, 3),
                                       "false_positives": s.false_positives}
    figures["hand_written_chars_per_s"] = round(speed(corpus))
    print(f"\nhand-written speed: {figures['hand_written_chars_per_s'] / 1e6:.1f} M characters/s")
    group = "redaction: the corpus of tests/graph/redact/corpus.yaml"
    rows = [row(group, "hand-written detectors: recall", [chosen.recall], "ratio", (">=", 1.0)),
            row(group, "hand-written detectors: look-alikes changed", [chosen.false_positives], "", ("<=", 0)),
            row(group, "hand-written detectors: million characters/s",
                [round(figures["hand_written_chars_per_s"] / 1e6, 1)])]
    emit("redaction", {k: v for k, v in figures.items() if k != "bench"}, rows)
    # The chosen detector set must be perfect on its own corpus; a regression there fails the bench.
    return 0 if chosen.recall == 1.0 and chosen.false_positives == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
