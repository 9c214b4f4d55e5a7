"""Shared fixtures: sandboxes on loopback, built from the bundled workspace or from a dict written by the test."""

from __future__ import annotations

import itertools
import os
import re

import pytest

from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support import postgres


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


_pg_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster, started on first use and shared by the session (tests get own databases).

    Without PostgreSQL the test skips, except in CI, where that is a failure and not a skip."""
    why = postgres.available()
    if why is None:
        try:
            server = postgres.PostgresServer().start()
        except postgres.PostgresError as e:
            why = str(e)
    if why is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but PostgreSQL cannot run: {why}\nrun `make postgres`", pytrace=False)
        pytest.skip(f"no PostgreSQL: {why} (run `make postgres`)")
    yield server
    server.stop()


@pytest.fixture
def pg_url(postgres_server, request):
    """The postgresql:// URL of a fresh, empty database for this test, dropped after it."""
    # Unique and readable; PostgreSQL keeps only 63 bytes of a name.
    name = f"t{next(_pg_names)}_{re.sub(r'[^a-z0-9]+', '_', request.node.name.lower())}"[:63]
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)


@pytest.fixture
def browser():
    """A headless Chromium for one test (tests/support/browser.py: skipped without one outside CI, failed in CI)."""
    from tests.support.browser import chromium, require_browser

    require_browser()
    with chromium() as driver:
        yield driver
