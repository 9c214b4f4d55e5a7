"""The hand-written credential detectors: one typed regex each, in the order they run."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

MARKER = "[redacted: {}]"
MARKER_RE = re.compile(r"\[redacted: [a-z0-9-]+\]")
_B64 = r"A-Za-z0-9/+"
_LETTERS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Detector:
    """`pattern` finds a credential; only its group `group` (or the whole match) is replaced by the marker."""

    type: str
    pattern: re.Pattern
    check: object = None  # optional (match) -> bool: a last look at a candidate before it is replaced
    group: str = "s"
    hints: tuple[str, ...] = ()  # lower-case words one of which the text must hold, so most texts skip the regex

    def span(self, m: re.Match) -> tuple[int, int]:
        has = self.group in self.pattern.groupindex and m.group(self.group) is not None
        return m.span(self.group) if has else m.span()


def _not_marker(m: re.Match) -> bool:
    # Detectors run one after another on the same text; an earlier one's marker is not a value to redact again.
    return not m.group("s").startswith("[redacted")


def _keyword_value(m: re.Match) -> bool:
    """`password=x` always; after ':' or 'is' only what looks like a credential rather than the next word of prose."""
    value, sep = m.group("s"), m.group("sep").strip()
    if not _not_marker(m):
        return False
    if sep == "=" or m.group("q"):
        return True
    if not _LETTERS.fullmatch(value) or (not value.islower() and not value.istitle()):
        return True  # digits, symbols or mixed case: not a word someone writes in a sentence
    key = m.group("key")
    if sep == ":" and ("_" in key or "." in key or key.isupper()):
        return True  # DB_PASSWORD: / db.password: / PASSWORD: is configuration, not prose
    rest = m.string[m.end():].split("\n", 1)[0]
    return sep == ":" and not rest.strip(" .,;!)\"'`")  # "password: letmein" ending its line


def _aws_neighbour(m: re.Match) -> bool:
    """A 40-character base64 run counts as an AWS secret only near an access key id and not a hex digest."""
    before = m.string[max(0, m.start() - 120):m.start()]
    return bool(re.search(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", before)) and not re.fullmatch(r"[0-9a-f]{40}", m.group())


def _basic_credentials(m: re.Match) -> bool:
    """'Basic …' is a credential when it decodes to readable 'user:password', not when it is the word after 'basic'."""
    value = m.group("s")
    try:
        decoded = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode()
    except ValueError:
        return False
    return ":" in decoded and decoded.isprintable()


_KEYWORDS = (r"(?:pg|mysql_)?passw(?:or)?d|passphrase|pwd|pass|secret|secret[_-]?key|client[_-]?secret|"
             r"api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|private[_-]?token|token")
_KEY = rf"(?P<key>\b(?:[A-Za-z0-9]+[_.-])*(?:{_KEYWORDS}))"

def _d(kind: str, regex: str, hints: tuple[str, ...], check=None, flags: int = 0) -> Detector:
    return Detector(kind, re.compile(regex, flags), check, hints=hints)


# Order matters: specific formats first, so 'Bearer ghp_…' is a github-token and a URL's password that is itself a
# token keeps the token's type; the generic keyword rule runs last and skips what is already a marker.
BUILTIN: tuple[Detector, ...] = (
    _d("private-key", r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
                      r"(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)", ("private key",)),
    _d("aws-secret-key", rf"secret[\s_-]*(?:access[\s_-]*)?key[\"'`]?\s*(?:[:=]|is)?\s*[\"'`]?"
                         rf"(?P<s>[{_B64}]{{40}})(?![{_B64}=])", ("secret",), flags=re.I),
    _d("aws-secret-key", rf"(?<![{_B64}])(?=[{_B64}]*[a-z])(?=[{_B64}]*[A-Z0-9])[{_B64}]{{40}}(?![{_B64}=])",
       ("akia", "asia"), _aws_neighbour),
    _d("aws-access-key-id", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b", ("akia", "asia", "abia", "acca")),
    _d("aws-session-token", rf"session[\s_-]*token[\"'`]?\s*[:=]\s*[\"'`]?(?P<s>[{_B64}]{{100,}}=*)", ("session",),
       flags=re.I),
    _d("slack-webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+",
       ("hooks.slack.com",)),
    _d("slack-token", r"\b(?:xox[abposre]|xoxe\.xox[bp])-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}",
       ("xox", "xapp-")),
    _d("github-token", r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}\b", ("gh", "github_pat_")),
    _d("gitlab-token", r"\bgl(?:pat|ptt|dt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}", ("gl",)),
    _d("stripe-key", r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{24,}\b", ("k_", "whsec_")),
    _d("anthropic-key", r"\bsk-ant-[A-Za-z0-9_-]{20,}", ("sk-ant-",)),
    _d("openai-key", r"\bsk-(?:proj-|svcacct-|admin-|None-)?(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{20,}", ("sk-",)),
    _d("google-api-key", r"\bAIza[0-9A-Za-z_-]{35}\b", ("aiza",)),
    _d("npm-token", r"\bnpm_[A-Za-z0-9]{36}\b", ("npm_",)),
    _d("jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", ("eyj",)),
    _d("bearer-token", r"\bbearer\s+(?P<s>[A-Za-z0-9._~+/=-]{16,})", ("bearer",), _not_marker, re.I),
    _d("basic-auth", r"\bbasic\s+(?P<s>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])", ("basic",), _basic_credentials,
       re.I),
    _d("password-in-url", r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@<>|\"'`]*:(?P<s>[^\s/<>|\"'`]+)@(?=[A-Za-z0-9\[])",
       ("://",), _not_marker),
    _d("password", r"\bcurl\b[^\n]*?\s(?:-u|--user)\s+[\"']?[^\s:\"']+:(?P<s>[^\s\"']+)", ("curl",), _not_marker,
       re.I),
    _d("password", _KEY + r"[\"'`]?(?P<sep>\s*[:=]\s*|\s+is\s+)(?P<q>[\"'`])?(?P<s>(?(q)[^\"'`\n]+|[^\s\"'`,;<>|]+))",
       ("pass", "pwd", "secret", "key", "token"), _keyword_value, re.I),
)
