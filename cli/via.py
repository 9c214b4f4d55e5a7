"""`postmortem run --via mcp|api`: which clients a run reads through, and the MCP servers of a sandbox run."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from graph.configuration import Configuration

if TYPE_CHECKING:
    from sandbox.server import Sandbox

SANDBOX_CONFIG = Path(__file__).resolve().parent.parent / "mcp.sandbox.json"
ENV = ("SLACK_BOT_TOKEN", "SLACK_API_URL", "NOTION_TOKEN", "NOTION_BASE_URL", "JIRA_URL", "JIRA_API_TOKEN",
       "JIRA_EMAIL")


def via_overrides(via: str | None, sb: Sandbox | None) -> dict:
    """Configuration for the chosen path. `mcp` on a sandbox: the three servers of mcp.sandbox.json, pointed at it
    (its ${VAR}s filled from the sandbox's URLs and tokens); `mcp` otherwise: POSTMORTEM_MCP_CONFIG, which must be
    set; `api`: the vendors' APIs, whatever POSTMORTEM_MCP_CONFIG says; None: as configured."""
    if via == "api":
        return {"mcp_config": ""}
    if via != "mcp":
        return {}
    if sb is None:
        if not Configuration().mcp_config.strip():
            raise ValueError("--via mcp needs POSTMORTEM_MCP_CONFIG (a JSON file naming your MCP servers; see "
                             "mcp.example.json), or --workspace to use the sandbox's servers")
        return {}
    # The servers start as this process's children and read their settings from its environment.
    os.environ.update({k: v for k, v in sb.env.items() if k in ENV})
    os.environ["POSTMORTEM_PYTHON"] = sys.executable
    from graph.sources.mcp.config import load_config

    servers = load_config(SANDBOX_CONFIG)  # a missing variable or file is bad input now, before anything runs
    missing = [c["command"] for c in servers.values() if "/" in c["command"] and not Path(c["command"]).exists()]
    if missing:
        raise ValueError(f"the sandbox's MCP servers are not installed ({', '.join(missing)} missing): run `make mcp`")
    return {"mcp_config": str(SANDBOX_CONFIG)}
