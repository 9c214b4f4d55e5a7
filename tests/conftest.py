"""Shared fixtures: sandboxes on loopback, built from the bundled workspace or from a dict written by the test."""

from __future__ import annotations

import pytest

from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace


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


@pytest.fixture
def sb():
    """A fresh bundled summer25 sandbox per test, for tests that write to it (modules may define their own `sb`)."""
    with Sandbox() as sandbox:
        yield sandbox
