"""The Slack scopes manifest.yml declares: what the doctor holds the tokens' scopes against."""

from __future__ import annotations

from pathlib import Path

import yaml

from graph.envfile import PROJECT_ROOT

MANIFEST = PROJECT_ROOT / "manifest.yml"


class NoManifest(Exception):
    """manifest.yml is missing or unreadable (an installed copy ships without it)."""


def declared_scopes(path: Path = MANIFEST) -> dict[str, list[str]]:
    """{"bot": [...], "user": [...]} from oauth_config.scopes."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise NoManifest(f"{path} could not be read ({type(exc).__name__})") from None
    scopes = ((data.get("oauth_config") or {}).get("scopes") or {}) if isinstance(data, dict) else {}
    return {"bot": list(scopes.get("bot") or []), "user": list(scopes.get("user") or [])}
