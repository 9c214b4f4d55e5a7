"""Tests of the vendored API descriptions (vendor/openapi) and the script that trims them."""

import importlib.util
from functools import cache
from types import ModuleType

from tests.support import ROOT

TRIM_SCRIPT = ROOT / "vendor" / "openapi" / "trim.py"


@cache
def load_trim() -> ModuleType:
    """vendor/openapi/trim.py is a script, not a package module, so it is loaded from its path."""
    spec = importlib.util.spec_from_file_location("vendor_openapi_trim", TRIM_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
