"""Finds the .env file as Python CLI users expect: the nearest one from the current folder upwards, else the project's."""

from __future__ import annotations

from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def find_env_file(start: Path | None = None, project_root: Path = PROJECT_ROOT) -> Path | None:
    """The .env nearest to `start` (default: the current folder) going up, else the project root's, else None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / ".env"
        if candidate.is_file():
            return candidate
    # An installed copy has no project root with a .env; an editable or cloned one does.
    fallback = project_root / ".env"
    return fallback if fallback.is_file() else None


def load_env_file(start: Path | None = None, project_root: Path = PROJECT_ROOT) -> Path | None:
    """Load that file without overriding what the environment already says; returns the file used."""
    path = find_env_file(start, project_root)
    if path:
        load_dotenv(path, override=False)
    return path
