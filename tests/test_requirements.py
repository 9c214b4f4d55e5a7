"""requirements.txt (for Procfile platforms) stays in sync with pyproject.toml's runtime dependencies."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support import ROOT

HEADER = "# from pyproject.toml:"


def _direct() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def _pins() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = {}
    for line in lines:
        if line.strip() and not line.startswith("#"):
            m = re.fullmatch(r"([A-Za-z0-9_.\-\[\],]+)==([\w.+!-]+)", line.strip())
            assert m, f"requirements.txt: {line!r} is not a name==version pin"
            pins[canonicalize_name(m.group(1).split("[")[0])] = m.group(2)
    return pins


def test_the_header_lists_exactly_the_dependencies_of_pyproject():
    header = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith(HEADER))
    listed = [x.strip() for x in header.removeprefix(HEADER).split(",")]
    assert listed == _direct(), "pyproject.toml's dependencies changed: run `make requirements`"


def test_every_runtime_dependency_is_pinned_to_a_version_pyproject_allows():
    pins = _pins()
    for spec in map(Requirement, _direct()):
        name = canonicalize_name(spec.name)
        assert name in pins, f"{spec.name} is a dependency but requirements.txt does not pin it: run `make requirements`"
        assert spec.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} breaks {spec}"


def _runtime_closure() -> set[str]:
    """Every package the runtime dependencies pull in, read from the installed metadata (no network)."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in _direct()]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen or (req.marker and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        try:
            todo += [Requirement(r) for r in metadata.requires(req.name) or []]
        except metadata.PackageNotFoundError:
            pass
    return seen


def test_development_tools_do_not_ship_to_production():
    dev = {canonicalize_name(Requirement(r).name) for r in
           tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]}
    dev_only = dev - _runtime_closure()
    assert dev_only, "the dev extras should hold test tools"
    assert not dev_only & set(_pins()), f"dev-only packages pinned for production: {dev_only & set(_pins())}"
