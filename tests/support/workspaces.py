"""Workspace dicts for tests: the smallest valid workspace, with sections a test replaces."""

from __future__ import annotations

import copy

MINIMAL = {
    "format": 1,
    "name": "tiny",
    "now": "2025-08-05T12:00:00Z",
    "slack": {"team": {"id": "T0TINY001", "name": "Tiny", "domain": "tiny"}, "users": [], "channels": []},
    "notion": {"users": [], "pages": []},
    "jira": {"site": "tiny", "users": [], "projects": [], "issues": []},
}


def workspace_dict(**sections) -> dict:
    """A minimal valid workspace dict with the given top-level sections replaced."""
    data = copy.deepcopy(MINIMAL)
    data.update(sections)
    return data
