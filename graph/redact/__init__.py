"""Credential redaction: typed markers like [redacted: aws-secret-key] replace secrets before anyone sees them."""

from graph.redact.apply import redact_evidence, redaction_summary
from graph.redact.detectors import BUILTIN, MARKER, MARKER_RE, Detector
from graph.redact.redactor import ENV_VAR, RedactConfigError, Redactor, env_redactor, parse_patterns, redactor_for

__all__ = ["BUILTIN", "ENV_VAR", "MARKER", "MARKER_RE", "Detector", "RedactConfigError", "Redactor", "env_redactor",
           "parse_patterns", "redact_evidence", "redaction_summary", "redactor_for"]
