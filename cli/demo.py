"""`postmortem demo`: the whole job on the bundled sandbox, then keep serving so the page opens in a browser."""

from __future__ import annotations

import os

from cli.commands import execute, sandbox_overrides, say, start_sandbox
from cli.sandbox_cmd import serve_forever
from sandbox.workspace import WorkspaceError


def run_demo(args) -> int:
    try:
        sb = start_sandbox(args.workspace, args.port)
    except WorkspaceError as exc:
        say(f"postmortem: {exc}")
        return 2
    say(f"sandbox: Slack {sb.urls['slack']} · Notion {sb.urls['notion']} · Jira {sb.urls['jira']}")
    offline = args.offline or not os.environ.get("OPENAI_API_KEY")
    inputs = {"incident": "summer25", "offline": offline}
    code = execute("summer25", inputs, sandbox_overrides(sb), as_json=False)
    if args.no_serve:
        sb.stop()
        return code
    say(f"open the post-mortems index at {sb.urls['notion']}/ in a browser")
    serve_forever(sb)
    return code
