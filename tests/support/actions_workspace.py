"""summer25 with two action items agreed in the incident's thread that have no ticket yet (the tickets button's case)."""

from __future__ import annotations

import copy
from functools import cache

import yaml

from tests.support import ROOT

SAID = [
    {"at": "2025-08-04T10:41:10Z", "user": "tom",
     "text": "Action item: I'll add a synthetic checkout test that applies every live SUMMER25-style promo code."},
    {"at": "2025-08-04T10:42:30Z", "user": "lea",
     "text": "TODO: I will document the CMS activation toggle for summer25 codes in the content runbook."},
]


@cache
def _summer25() -> dict:
    return yaml.safe_load((ROOT / "sandbox" / "data" / "summer25.yaml").read_text())


NEWCOMER = {"id": "U0NINA001", "name": "nina", "real_name": "Nina Ross", "title": "Designer"}


def with_open_action_items() -> dict:
    """…and Nina, in #marketing-ops but silent during the incident: not one of its people."""
    data = copy.deepcopy(_summer25())
    data["slack"]["users"].append(dict(NEWCOMER))
    channel = next(c for c in data["slack"]["channels"] if c["name"] == "marketing-ops")
    channel["members"].append("nina")
    thread = next(m for m in channel["messages"] if str(m.get("at")).replace(" ", "T").startswith("2025-08-04T09:07:22"))
    thread["replies"] = [*thread["replies"], *SAID]
    return data
