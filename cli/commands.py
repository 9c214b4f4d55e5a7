"""What each `postmortem` subcommand does; progress and logs go to stderr, results to stdout."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.checks import check_run, run_inputs
from cli.via import via_overrides
from graph.configuration import Configuration
from graph.progress import describe
from graph.result import build_result
from sandbox.workspace.loader import WorkspaceError, load_workspace

if TYPE_CHECKING:
    from sandbox.server import Sandbox

# The graph (langgraph, the service clients) and the sandbox's server load only once a run really starts, so help,
# usage errors and bad input answer at once.

ENV_TO_CONFIG = {"SLACK_API_URL": "slack_api_url", "SLACK_BOT_TOKEN": "slack_bot_token",
                 "SLACK_USER_TOKEN": "slack_user_token", "NOTION_BASE_URL": "notion_base_url",
                 "NOTION_TOKEN": "notion_token", "JIRA_URL": "jira_url", "JIRA_EMAIL": "jira_email",
                 "JIRA_API_TOKEN": "jira_api_token", "POSTMORTEM_NOW": "now"}


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bad_input(msg: str) -> int:
    say(f"postmortem: {msg}")
    return 2


def sandbox_overrides(sb: Sandbox) -> dict:
    """Configuration that points every client at the sandbox (and nothing at real services)."""
    return {ENV_TO_CONFIG[k]: v for k, v in sb.env.items() if k in ENV_TO_CONFIG} | sandbox_target(sb) | (
        {} if sb.profile.limits else {"notion_rate": 0.0})  # a sandbox without rate limits needs no pacing


def sandbox_target(sb: Sandbox, cfg: Configuration | None = None) -> dict:
    """NOTION_PARENT_PAGE_ID and NOTION_DATABASE_ID (with NOTION_DATA_SOURCE_ID) kept when they name a page or
    database of the sandbox's workspace, so a --workspace run publishes where they say; blanked otherwise (they
    name a real workspace's), saying so, and the run finds its target by title."""
    from notion_client.helpers import extract_notion_id

    cfg, notion = cfg or Configuration(), sb.state("notion")
    out = {"notion_parent_page_id": "", "notion_database_id": "", "notion_data_source_id": ""}

    def ours(setting: str) -> str:
        return extract_notion_id(setting) or setting.strip()

    page, db, source = (ours(cfg.notion_parent_page_id), ours(cfg.notion_database_id),
                        ours(cfg.notion_data_source_id))
    if page in notion.pages:  # unshared or in the trash, it still fails as it would on Notion: with how to fix it
        out["notion_parent_page_id"] = cfg.notion_parent_page_id
    elif page:
        say(f"postmortem: NOTION_PARENT_PAGE_ID {cfg.notion_parent_page_id} is not a page of the sandbox's "
            "workspace, so this run ignores it and finds where to publish by title")
    db = notion.sources[db].database if db in notion.sources else db  # a data source's id names its database too
    if db in notion.databases:
        out["notion_database_id"] = cfg.notion_database_id
        if source in notion.databases[db].sources:
            out["notion_data_source_id"] = cfg.notion_data_source_id
    elif db:
        say(f"postmortem: NOTION_DATABASE_ID {cfg.notion_database_id} is not a database of the sandbox's "
            "workspace, so this run ignores it")
    return out


def start_sandbox(workspace: str | None, port: int = 0, ports: dict[str, int] | None = None,
                  jira: str | None = None) -> Sandbox:
    ws = load_workspace(workspace) if workspace else None  # a bad file is bad input before any server loads
    from sandbox.server import Sandbox

    return Sandbox(ws, port=port, ports=ports, faults=os.environ.get("POSTMORTEM_SANDBOX_FAULTS"),
                   jira_deployment=jira).start()


def _progress(node: str, update: dict) -> None:
    say(f"  · {describe(node, update)}")
    if node == "publish":  # where the report went and why, when the run had to choose
        for line in update.get("log") or []:
            say(f"    {line}")


def execute(incident: str, inputs: dict, overrides: dict, as_json: bool) -> int:
    """Run the graph and print the result; a failure still prints what was gathered (nothing is lost)."""
    from graph.runner import new_thread_id, run_incident, saved_state

    error, run_id = None, new_thread_id(incident)
    # The id comes first: if this process dies, the person still knows what to resume.
    say(f"postmortem: writing the post-mortem for {incident!r} (run {run_id}; if it stops, "
        f"`postmortem resume {run_id}` continues it)")
    try:
        run_id, state = run_incident(inputs, overrides=overrides, thread_id=run_id, on_progress=_progress)
    except Exception as exc:  # noqa: BLE001 - reported with what was gathered and the run id, so it can be resumed
        state, error = saved_state(run_id, overrides=overrides), f"{type(exc).__name__}: {exc}"
    return emit(incident, run_id, state, error, as_json)


def emit(incident: str, run_id: str | None, state: dict, error: str | None, as_json: bool) -> int:
    result = build_result(incident, state, error)
    if run_id:
        result["run_id"] = run_id
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    elif state.get("markdown"):
        print(state["markdown"])
    if result["status"] in ("kept", "no_evidence"):  # nothing published, on purpose: not a success for scripts
        say(f"postmortem: {result['message']}")
        return 1
    if result["status"] == "failed":
        say(f"postmortem: failed: {result.get('error')}")
        if all("not set" in (s.get("error") or "") for s in result["sources"].values()):
            say("postmortem: no services are configured: set them in .env (see .env.example), "
                "or try the sandbox with --workspace summer25")
        if run_id:
            say(f"postmortem: nothing gathered is lost; retry with `postmortem resume {run_id}`")
        return 1
    page = result["page"]
    say(f"postmortem: {page['action']} {page['url']}")
    return 0


def run(args) -> int:
    sb = None
    try:
        try:
            inputs = run_inputs(args)
            via = getattr(args, "via", None)
            if args.workspace is not None:
                # mcp-atlassian reads a loopback Jira through its Data Center path (v2 search), so the sandbox is one.
                sb = start_sandbox(args.workspace, jira="datacenter" if via == "mcp" else None)
                inputs["sandbox"] = sandbox_record(args.workspace, sb) | ({"via": via} if via else {})
            overrides = (sandbox_overrides(sb) if sb else {}) | via_overrides(via, sb)
            check_run(inputs, Configuration(**overrides))
        except ValueError as exc:  # WorkspaceError and FaultSpecError among them
            return bad_input(str(exc))  # nothing has run: no checkpoint, no page
        return execute(inputs["incident"], inputs, overrides, args.json)
    finally:
        if sb:
            if sb.profile.active:  # what a slowed, rate-limited sandbox saw: the numbers a bench or a person wants
                from sandbox.throttle import describe as describe_traffic

                say(f"sandbox ({sb.profile.name} profile): {describe_traffic(sb.stats())}")
            sb.stop()


def sandbox_record(workspace: str, sb: Sandbox) -> dict:
    """Enough to serve a --workspace run's sandbox again on resume: the file (absolute) and the ports its links use."""
    path = Path(workspace)
    return {"workspace": str(path.resolve()) if path.is_file() else workspace, "ports": sb.ports}


def resume(args) -> int:
    cfg = Configuration()
    if not (cfg.database_url or Path(cfg.checkpoint_db).exists()):
        return bad_input(f"no saved runs at {cfg.checkpoint_db}")
    from graph.runner import resume_incident, saved_state
    from sandbox.faults import FaultSpecError

    sb = None
    try:
        record = saved_state(args.id).get("sandbox")
        if record:  # a --workspace run: its services lived in a sandbox that ended with the process
            via = record.get("via")
            sb = start_sandbox(record["workspace"], ports=record.get("ports"), jira="datacenter" if via == "mcp" else None)
            say(f"postmortem: serving the run's sandbox again from {record['workspace']} (Slack {sb.urls['slack']})")
        overrides = (sandbox_overrides(sb) | via_overrides((record or {}).get("via"), sb)) if sb else {}
        state = resume_incident(args.id, overrides=overrides, on_progress=_progress)
        return emit(state.get("incident", ""), args.id, state, None, args.json)
    except (LookupError, WorkspaceError, FaultSpecError, ValueError) as exc:  # ValueError: MCP servers missing
        return bad_input(str(exc))
    finally:
        if sb:
            sb.stop()
