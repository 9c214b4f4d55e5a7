"""The redactor's contract: typed markers, hosts kept, counts, idempotence, and POSTMORTEM_REDACT_PATTERNS."""

from __future__ import annotations

import pytest

from graph.evidence import Evidence
from graph.redact import RedactConfigError, Redactor, parse_patterns, redact_evidence, redaction_summary


def test_a_database_url_keeps_everything_but_its_password():
    text, counts = Redactor().redact("DATABASE_URL=postgres://app:S3cr3t!x@db.internal:5432/app?sslmode=require")
    assert text == "DATABASE_URL=postgres://app:[redacted: password-in-url]@db.internal:5432/app?sslmode=require"
    assert counts == {"password-in-url": 1}


def test_a_key_name_stays_readable_and_only_its_value_goes():
    text, counts = Redactor().redact("DB_PASSWORD: hunter2hunter2\nDB_HOST: db.internal")
    assert text == "DB_PASSWORD: [redacted: password]\nDB_HOST: db.internal"
    assert counts == {"password": 1}


def test_redacting_twice_changes_nothing_more():
    once, _ = Redactor().redact("token ghp_ox9yimTcfipZGnzPbDFDyFKm51zfFoWbSrHA and password=abc123")
    twice, counts = Redactor().redact(once)
    assert twice == once and not counts


def test_evidence_text_title_and_author_are_redacted_but_links_and_ids_are_not():
    url = "https://acme.atlassian.net/browse/MKT-7"
    ev = Evidence(source="jira", ref="MKT-7", key="MKT-7", url=url, at="2025-08-04T09:00:00Z",
                  title="Rotate sk_live_xaP1Fnd4Nc493WZ0LllvBChf", text="Bearer 7f3c9a2e41b84d0d9e6b5a1c0f2d8e47b6a9")
    [out], counts = redact_evidence([ev], Redactor())
    assert out.title == "Rotate [redacted: stripe-key]" and out.text == "Bearer [redacted: bearer-token]"
    assert (out.url, out.ref, out.key) == (url, "MKT-7", "MKT-7")
    assert counts == {"stripe-key": 1, "bearer-token": 1}


def test_the_footer_sentence_counts_by_type():
    assert redaction_summary({}) is None
    assert redaction_summary({"jwt": 1}) == "1 credential was redacted (1 jwt)"
    assert redaction_summary({"aws-secret-key": 1, "password-in-url": 2}) == \
        "3 credentials were redacted (2 password-in-url, 1 aws-secret-key)"


def test_extra_patterns_from_the_environment_add_their_own_types():
    extra = parse_patterns("acme-key=acme_live_[a-z0-9]{20}; pin=PIN:? (?P<secret>\\d{6});semi=x;y[0-9]+")
    text, counts = Redactor(extra).redact("key acme_live_9f8e7d6c5b4a3f2e1d0c, PIN 123456, x;y42")
    assert text == "key [redacted: acme-key], PIN [redacted: pin], [redacted: semi]"
    assert counts == {"acme-key": 1, "pin": 1, "semi": 1}


@pytest.mark.parametrize("spec, words", [
    ("acme-key=acme_[", ["POSTMORTEM_REDACT_PATTERNS", "'acme-key'", "'acme_['", "not a valid regular expression"]),
    ("acme_[a-z]+", ["POSTMORTEM_REDACT_PATTERNS", "'acme_[a-z]+'", "name=regex"]),
    ("any=.*", ["POSTMORTEM_REDACT_PATTERNS", "'any'", "matches empty text"]),
])
def test_a_malformed_pattern_is_a_clear_error_naming_the_variable_and_the_pattern(spec, words):
    with pytest.raises(RedactConfigError) as info:
        parse_patterns(spec)
    for word in words:
        assert word in str(info.value)


def test_no_patterns_configured_means_only_the_built_in_ones():
    assert parse_patterns("") == () and parse_patterns(None) == () and parse_patterns(" ; ") == ()
    assert [d.pattern.pattern for d in parse_patterns("a=x1;")] == ["x1"]  # a trailing ';' from a shell habit
