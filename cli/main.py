"""`postmortem` command line: run, resume, doctor, demo, dev and sandbox."""

from __future__ import annotations

import argparse
import gc
import sys

from graph.envfile import load_env_file


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="postmortem", description="Write a grounded incident post-mortem.")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="gather, analyze and publish one post-mortem")
    run.add_argument("incident", help='what the incident is called, e.g. "summer25"')
    run.add_argument("--workspace", help="start the sandbox on this workspace file (or 'summer25') and use it")
    run.add_argument("--offline", action="store_true", help="use the analyzer that needs no language model")
    run.add_argument("--json", action="store_true", help="print the machine-readable result (run-result.md)")
    run.add_argument("--since", help="start of the window (2025-08-01 or ISO time); default 30 days before now")
    run.add_argument("--until", help="end of the window; default now")
    run.add_argument("--channels", help="Slack channels to read, comma-separated (default: all the bot is in)")
    run.add_argument("--new", action="store_true", help="publish a new page even if one exists for this incident")
    run.add_argument("--force", action="store_true",
                     help="update the page even if this run could read fewer sources than its last version")
    run.add_argument("--via", choices=("api", "mcp"),
                     help="read the sources through their APIs or the MCP servers of POSTMORTEM_MCP_CONFIG (with "
                          "--workspace: the sandbox's servers); default: MCP for the sources the config names")

    resume = sub.add_parser("resume", help="continue a run that failed or crashed, without gathering again")
    resume.add_argument("id", help="the run id printed by `postmortem run`")
    resume.add_argument("--json", action="store_true")

    doc = sub.add_parser("doctor", help="check each configured service; say how to fix what fails (exit 1 if any)")
    doc.add_argument("--workspace", help="check a sandbox started on this workspace file (or 'summer25') instead")
    doc.add_argument("--fault", action="append", default=[],
                     help="with --workspace, inject a fault to see its row fail, e.g. 'jira:status=401', "
                          "'slack:scopes=-channels:history' or 'slack:auth=token_revoked'")

    demo = sub.add_parser("demo", help="the whole job on the bundled summer25 sandbox")
    demo.add_argument("--workspace", help="workspace file (default: the bundled summer25)")
    demo.add_argument("--no-serve", action="store_true", help="exit after the run instead of serving the sandbox")
    demo.add_argument("--port", type=int, default=0, help="first sandbox port (default: any free ones)")
    demo.add_argument("--offline", action="store_true")
    demo.add_argument("--direct", action="store_true", help="run the graph directly instead of through the Slack bot")

    dev = sub.add_parser("dev", help="the sandbox and the real bot together; prints the channel page to type into")
    dev.add_argument("--workspace", help="workspace file (default: the bundled summer25)")
    dev.add_argument("--port", type=int, default=0, help="first sandbox port (default: any free ones)")
    dev.add_argument("--channel", help="channel page to print (default: marketing-ops, else the bot's first)")
    dev.add_argument("--offline", action="store_true", help="use the analyzer that needs no language model")
    dev.add_argument("--http", action="store_true", help="receive events over signed HTTP instead of Socket Mode")

    sb = sub.add_parser("sandbox", help="serve local Slack, Notion and Jira from a workspace file")
    sb.add_argument("--workspace", help="workspace file (default: the bundled summer25)")
    sb.add_argument("--host", default="127.0.0.1")
    sb.add_argument("--port", type=int, default=0, help="Slack's port; Notion and Jira take the next two (0: any)")
    sb.add_argument("--fault", action="append", default=[],
                    help="inject faults, e.g. 'jira:status=503' or 'slack:status=429,count=2,retry_after=1'; the "
                         "bot token's scopes with 'slack:scopes=-channels:history', or refuse it with "
                         "'slack:auth=token_revoked' (also POSTMORTEM_SANDBOX_FAULTS)")
    sb.add_argument("--profile", choices=("fast", "realistic"),
                    help="fast (default): answers at once; realistic: each vendor's latency and rate limits "
                         "(also POSTMORTEM_SANDBOX_PROFILE, which every sandbox start reads)")
    db = sub.add_parser("db", help="the shared PostgreSQL database of several bot processes (docs/deploy.md)")
    db.add_argument("action", choices=("migrate",), help="migrate: create or update its tables")
    return p


def main(argv: list[str] | None = None) -> int:
    load_env_file()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "sandbox":
            from cli.sandbox_cmd import sandbox

            return sandbox(args)
        if args.command == "doctor":
            from cli.doctor import doctor

            return doctor(args)
        if args.command == "dev":
            from cli.dev import run_dev

            return run_dev(args)
        if args.command == "db":
            from cli.db import db

            return db(args)
        if args.command == "demo":
            from cli.demo import run_demo

            return run_demo(args)
        from cli import commands

        return {"run": commands.run, "resume": commands.resume}[args.command](args)
    except KeyboardInterrupt:
        return 130


def entry() -> None:
    """The `postmortem` executable: main() in a process of its own, tuned for one big run and a quick exit."""
    # A --workspace run holds a million small objects (the workspace and the sandbox's indexes) for its whole life:
    # collecting rarely spares the garbage collector walking them again and again (~2 s on 100,000 messages).
    gc.set_threshold(50_000, 20, 100)
    code = main()
    # Whatever is left is freed by the exit; left to the collector, the final walk over it takes seconds.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
