"""`postmortem sandbox`: serve the three local services until Ctrl-C (imports nothing of the graph, to start fast)."""

from __future__ import annotations

import json
import os
import sys
import threading

from sandbox.faults import FaultSpecError
from sandbox.server import Sandbox
from sandbox.workspace.loader import WorkspaceError


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def serve_forever(sb: Sandbox) -> None:
    say("sandbox: serving; press Ctrl-C to stop")
    try:
        threading.Event().wait()
    finally:
        sb.stop()


def sandbox(args) -> int:
    faults = ";".join([os.environ.get("POSTMORTEM_SANDBOX_FAULTS", ""), *args.fault])
    try:
        sb = Sandbox(args.workspace, host=args.host, port=args.port, faults=faults or None,
                     profile=getattr(args, "profile", None)).start()
    except (WorkspaceError, FaultSpecError) as exc:
        say(f"postmortem: {exc}")
        return 2
    except OSError as exc:
        say(f"postmortem: cannot listen on {args.host}:{args.port}: {exc.strerror}")
        return 2
    print(json.dumps(sb.info()), flush=True)
    serve_forever(sb)
    return 0
