"""The chosen (hand-written) detectors on the corpus: every secret found and typed, no look-alike touched."""

from __future__ import annotations

import dataclasses

from graph.redact import BUILTIN, Redactor
from tests.support.redaction import hand_written, load_corpus, score

CORPUS = load_corpus()


def test_every_corpus_secret_is_redacted_with_its_type_and_no_lookalike_changes():
    s = score("hand-written", hand_written(), CORPUS)
    assert s.misses == [], "secrets that survived"
    assert s.mistyped == [], "wrong marker type, or text around the secret lost"
    assert s.flagged == [], "look-alikes that were changed"
    assert (s.recall, s.typed, s.false_positives) == (1.0, s.secrets, 0)


def test_every_detector_type_has_a_corpus_case_and_every_case_a_detector():
    assert {d.type for d in BUILTIN} == {c["type"] for c in CORPUS["secrets"]}


def test_the_corpus_covers_the_pastes_people_make():
    texts = "\n".join(c["text"] for c in CORPUS["secrets"])
    for form in ("xoxb-", "xoxp-", "xapp-", "AKIA", "aws_secret_access_key", "ghp_", "github_pat_", "glpat-",
                 "-----BEGIN OPENSSH PRIVATE KEY-----", "postgres://", "mysql://", "redis://", "amqp://", "https://ops:",
                 "Authorization: Bearer", "Authorization: Basic", "eyJ", "sk_live_", "rk_live_", "sk-proj-", "sk-",
                 "password=", "PASSWORD:", "passwd:", "secret="):
        assert form in texts, form
    lookalikes = "\n".join(c["text"] for c in CORPUS["lookalikes"])
    for form in ("MKT-151", "notion.so", "slack.com/archives", "SUMMER25", "sha256:", "v2.14.3", "password reset",
                 "ssh://git@github.com", "T09:07:22Z"):
        assert form in lookalikes, form


def test_the_word_hints_only_save_time_they_never_change_the_result():
    plain = Redactor(builtin=tuple(dataclasses.replace(d, hints=()) for d in BUILTIN))
    fast = Redactor()
    for case in CORPUS["secrets"] + CORPUS["lookalikes"]:
        assert fast.redact(case["text"]) == plain.redact(case["text"]), case["text"]
