"""The redaction corpus and its scoring, shared by the tests and bench/bench_redaction.py; detect-secrets adapted."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from graph.redact import MARKER, Redactor

CORPUS = Path(__file__).resolve().parents[1] / "graph" / "redact" / "corpus.yaml"


def load_corpus(path: Path = CORPUS) -> dict:
    data = yaml.safe_load(path.read_text())
    for case in data["secrets"]:
        case["secret"] = [case["secret"]] if isinstance(case["secret"], str) else case["secret"]
        case.setdefault("keep", [])
    return data


@dataclass
class Score:
    """Recall: secret cases with every secret substring gone. Typed: also the expected marker, and `keep` intact."""

    name: str
    secrets: int = 0
    found: int = 0
    typed: int = 0
    lookalikes: int = 0
    false_positives: int = 0
    misses: list[str] = field(default_factory=list)
    mistyped: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.secrets if self.secrets else 1.0


def score(name: str, redact: Callable[[str], str], corpus: dict | None = None) -> Score:
    corpus = corpus or load_corpus()
    s = Score(name)
    for case in corpus["secrets"]:
        out = redact(case["text"])
        s.secrets += 1
        if any(secret in out for secret in case["secret"]):
            s.misses.append(f"{case['type']}: {out!r}")
            continue
        s.found += 1
        if MARKER.format(case["type"]) in out and all(k in out for k in case["keep"]):
            s.typed += 1
        else:
            s.mistyped.append(f"{case['type']}: {out!r}")
    for case in corpus["lookalikes"]:
        s.lookalikes += 1
        out = redact(case["text"])
        if out != case["text"]:
            s.false_positives += 1
            s.flagged.append(f"{case['what']}: {out!r}")
    return s


def hand_written(redactor: Redactor | None = None) -> Callable[[str], str]:
    redactor = redactor or Redactor()
    return lambda text: redactor.text(text)


_DS_TYPES = {"AWS Access Key": "aws-access-key-id", "Slack Token": "slack-token", "GitHub Token": "github-token",
             "GitLab Token": "gitlab-token", "Private Key": "private-key", "JSON Web Token": "jwt",
             "Stripe Access Key": "stripe-key", "OpenAI Token": "openai-key", "Basic Auth Credentials": "password-in-url",
             "Secret Keyword": "password", "NPM tokens": "npm-token"}


def detect_secrets_available() -> bool:
    try:
        import detect_secrets  # noqa: F401
    except ImportError:
        return False
    return True


def detect_secrets_redact(text: str) -> str:
    """detect-secrets as its own scan runs it (every plugin, default filters) on the text as a file; values replaced."""
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp, default_settings():
        path = Path(tmp) / "paste.txt"
        path.write_text(text)
        for secret in scan_file(str(path)):
            if secret.secret_value:
                kind = _DS_TYPES.get(secret.type, re.sub(r"[^a-z0-9]+", "-", secret.type.lower()).strip("-"))
                found.setdefault(secret.secret_value, kind)
    spans = sorted(((m.start(), m.end(), found[v]) for v in found for m in re.finditer(re.escape(v), text)),
                   key=lambda s: (s[0], -s[1]))
    out, last = [], 0
    for start, end, kind in spans:
        if start >= last:
            out += [text[last:start], MARKER.format(kind)]
            last = end
    return "".join(out) + text[last:]


def combined(redactor: Redactor | None = None) -> Callable[[str], str]:
    first = hand_written(redactor)
    return lambda text: detect_secrets_redact(first(text))
