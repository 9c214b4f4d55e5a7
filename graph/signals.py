"""Cue phrases shared by the gatherers and the offline analyzer: a change being made, a first sign of trouble."""

from __future__ import annotations

import re


def phrases(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)


# A change being made: the rollout, config push or migration that may have set the incident off.
CHANGE = phrases(r"deploy(?:ed|ing|s)?", r"rolling out", r"roll(?:s|ed)? out", r"rollout",
                 r"rolling (?:to|into)", r"(?:going|goes|went) (?:to|into) prod\w*", r"releas(?:e|ed|ing)",
                 r"merged", r"shipp(?:ed|ing)", r"migrat\w*", r"terraform apply", r"apply(?:ing)?", r"applied",
                 r"upgrad\w*", r"set \S+ to", r"go-?live", r"went live", r"going live", r"rotat\w*",
                 r"made \S+ public", r"cut ?over", r"live since", r"is live", r"switched", r"bump(?:ed)?",
                 r"config(?:uration)? change\w*", r"(?:is|are) now (?:public|live|on|enabled|open|private)",
                 r"made public", r"went public", r"published", r"launched", r"promot(?:ed|ing) to", r"synced")
# Names of a change that a cause statement points back to: a version, a pull request.
CHANGE_NAME = re.compile(r"(?<![\w.#-])(?:v?\d+\.\d+\.\d+|#\d{2,6})(?![\w.-])")
# A first report of trouble: a symptom, or something noticed that should not be there.
SYMPTOM = phrases(r"(?:throwing|seeing|getting|lots of|many|more) errors?", r"errors? (?:on|in|for|at|when|spik\w*|rising)",
                  r"\d+(?:\.\d+)?% errors?", r"fail(?:s|ed|ing|ures?)", r"down", r"outage", r"time ?outs?", r"timed out",
                  r"timing out", r"[45]\d\d", r"(?:high|higher) latency", r"latency (?:spik\w*|up|climb\w*|high)", r"slow", r"stuck", r"not (?:arriving|working|loading)", r"never (?:comes?|arrives?)",
                  r"missing", r"complain\w*", r"broken", r"can'?t", r"cannot", r"unable", r"spike", r"drop\w*",
                  r"wrong", r"twice", r"charged", r"offline", r"never loads?", r"won'?t load", r"blank",
                  r"disconnect\w*", r"unreachable", r"freez\w*", r"crash\w*", r"kicked out", r"went down",
                  r"asking why",
                  r"customers? (?:are |keep )?(?:asking|saying|report\w*|writing in|calling|complain\w*)")
# Something noticed that should not be there: a first sign only when it is about the incident's own subject.
NOTICED = phrases(r"unknown", r"unexpected", r"weird", r"strange", r"anyone else", r"is it just me", r"suspicious",
                  r"why (?:are|is|do|does) (?:there|we|it|this)", r"what(?:'s| is) (?:going on|happening) (?:with|in)",
                  r"is (?:something|anything|\w+) (?:wrong|broken|down) with", r"something(?:'s| is)? (?:off|up|wrong)", r"is (?:the site|it) ok")
