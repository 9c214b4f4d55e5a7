"""`postmortem doctor`: checks each configured service (or a sandbox's), one row per check; exit 1 on a failure."""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager

from sandbox.workspace.loader import load_workspace


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def doctor(args) -> int:
    if args.fault and args.workspace is None:
        say("postmortem: --fault injects faults into the sandbox, so it needs --workspace (e.g. --workspace summer25)")
        return 2
    sb = None
    try:
        try:
            if args.workspace is not None:
                sb = _start(args.workspace, args.fault)
        except ValueError as exc:  # WorkspaceError, FaultSpecError
            say(f"postmortem: {exc}")
            return 2
        from cli.commands import sandbox_overrides
        from doctor import failed, render_text, run_checks
        from graph.configuration import Configuration

        cfg = Configuration(**sandbox_overrides(sb)) if sb else Configuration()
        env = dict(os.environ) | (sb.env if sb else {})  # with --workspace the sandbox's Slack app tokens are used
        where = f"the {sb.workspace.name} sandbox" if sb else "the services configured in the environment"
        say(f"postmortem: checking {where}…")
        with _quiet(("notion_client", "slack_sdk", "jira", "openai", "httpx")):
            rows = run_checks(cfg, env)
        print(render_text(rows), flush=True)
        return 1 if failed(rows) else 0
    finally:
        if sb:
            sb.stop()


@contextmanager
def _quiet(names: tuple[str, ...]):
    """The client libraries log each failed attempt; the rows already say what failed and what to do. (Disabled
    rather than raised in level: notion-client sets its logger's level whenever a client is made.)"""
    loggers = [logging.getLogger(n) for n in names]
    was = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        yield
    finally:
        for lg, disabled in zip(loggers, was, strict=True):
            lg.disabled = disabled


def _start(workspace: str, faults: list[str]):
    if not workspace.strip():
        raise ValueError("--workspace is empty; give a workspace file, or summer25 for the bundled one")
    ws = load_workspace(workspace)  # a bad file is bad input before any server loads
    from sandbox.server import Sandbox

    spec = ";".join(filter(None, [os.environ.get("POSTMORTEM_SANDBOX_FAULTS", ""), *faults]))
    return Sandbox(ws, faults=spec or None).start()
