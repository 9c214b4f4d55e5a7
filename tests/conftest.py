"""Shared fixtures: sandboxes on loopback, built from the bundled workspace or from a dict written by the test."""

from __future__ import annotations

import copy

import pytest

from sandbox.server import Sandbox
from sandbox.workspace import parse_workspace

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


@pytest.fixture(scope="session")
def summer25():
    """The bundled demo workspace, served once for the whole session (tests must not depend on each other's writes)."""
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def make_sandbox():
    """Start a sandbox from a workspace dict; stopped at the end of the test."""
    started: list[Sandbox] = []

    def make(data: dict, **kw) -> Sandbox:
        sb = Sandbox(parse_workspace(data, "test-workspace"), **kw).start()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()
