"""Notion rows: the token (users.me), where reports are published (find_target) and whether the integration may write
there (a child page created and moved to the trash at once)."""

from __future__ import annotations

from notion_client import Client

from doctor.rows import BUDGET_S, Row, fail, ok, skip
from graph.configuration import Configuration
from graph.publish.blocks import text
from graph.publish.database_props import roles
from graph.publish.notion_io import PublishError, call, make_client, publishing
from graph.publish.target import Target, find_target

TOKEN, TARGET, WRITE = "Notion token", "Notion publish target", "Notion write access"
INTEGRATIONS = "https://www.notion.so/profile/integrations"
COPY = f"Copy the integration's Internal Integration Secret from {INTEGRATIONS} into NOTION_TOKEN"
PROBE_TITLE = "postmortem doctor: write check (safe to delete)"
CAPABILITIES = (f"In {INTEGRATIONS} -> your integration -> Capabilities, allow Read, Update and Insert content; then "
                f"share the page or database with it again (••• -> Connections)")


def check_notion(cfg: Configuration) -> list[Row]:
    if not cfg.notion_token:
        return [fail(TOKEN, "NOTION_TOKEN is not set: reports cannot be published",
                     f"Create an internal integration at {INTEGRATIONS}. {COPY}"),
                skip(TARGET, "needs a Notion token"), skip(WRITE, "needs a Notion token")]
    client = make_client(cfg.notion_token, cfg.notion_base_url, cfg.http_timeout_s, cfg.notion_rate)
    with publishing(BUDGET_S):  # every call below shares the doctor's short budget, not a run's minute
        try:
            me = call(client.users.me)
        except PublishError as exc:
            return [fail(TOKEN, *_failure(exc, cfg)), skip(TARGET, "needs a working Notion token"),
                    skip(WRITE, "needs a working Notion token")]
        rows = [ok(TOKEN, f"valid: integration '{me.get('name') or me.get('id')}'" + _workspace(me))]
        try:
            target = find_target(client, cfg)
        except PublishError as exc:
            detail = {"no_parent": "no page or database to publish under"}.get(exc.code or "", _short(exc))
            return rows + [fail(TARGET, detail, str(exc)), skip(WRITE, "needs a publish target")]
        where = "database" if target.kind == "database" else "page"
        rows.append(ok(TARGET, f"{where} '{target.title or 'Untitled'}' ({target.id})" + _found(cfg, target)))
        return rows + [_probe(client, target)]


def _workspace(me: dict) -> str:
    name = ((me.get("bot") or {}).get("workspace_name") or "").strip()
    return f" in {name}" if name else ""


def _found(cfg: Configuration, target: Target) -> str:
    if cfg.notion_database_id or cfg.notion_parent_page_id:
        return ", as configured"
    return "; " + target.note if target.note else ", found by its title"


def _short(exc: PublishError) -> str:
    """The message's first clause: the fix column holds the whole of it."""
    first = str(exc).split(": ")[0].split(". ")[0]
    return first if len(first) <= 100 else first[:99] + "…"


def _failure(exc: PublishError, cfg: Configuration) -> tuple[str, str]:
    """(detail, fix) for a users.me that failed."""
    status = getattr(exc.__cause__, "status", None)
    if exc.code == "unauthorized":
        return "Notion refused NOTION_TOKEN (401 unauthorized)", COPY
    if exc.code in ("unreachable", "timeout"):
        return (f"could not reach Notion at {cfg.notion_base_url}",
                "Check NOTION_BASE_URL (normally https://api.notion.com) and that this machine can reach it")
    if status and (status == 429 or status >= 500):
        return (f"Notion is not answering ({status} {exc.code})",
                "Notion is having trouble (see https://status.notion.so); run postmortem doctor again in a few "
                "minutes")
    return f"users.me failed ({exc.code})", COPY


def _probe(client: Client, target: Target) -> Row:
    """Create a page where a report would go and move it to the trash: the one way to know the integration may
    add pages there (Notion's API does not list an integration's capabilities). The page lives a moment, in the
    trash afterwards, titled so anyone who sees it knows it can go."""
    try:
        page = call(client.pages.create, **_page_in(client, target))
    except PublishError as exc:
        if exc.code in ("restricted_resource", "object_not_found"):
            return fail(WRITE, f"the integration may read '{target.title}' but not add pages to it ({exc.code})",
                        CAPABILITIES)
        return fail(WRITE, f"could not create a page there ({exc.code})",
                    "Run postmortem doctor again; if it keeps failing: " + CAPABILITIES)
    try:
        call(client.pages.update, page_id=page["id"], in_trash=True)
    except PublishError as exc:
        return fail(WRITE, f"created a test page but could not move it to the trash ({exc.code})",
                    f"Delete the page '{PROBE_TITLE}' in Notion; " + CAPABILITIES[0].lower() + CAPABILITIES[1:])
    return ok(WRITE, "can add pages there (a test page was created and moved to the trash)")


def _page_in(client: Client, target: Target) -> dict:
    """pages.create arguments for a titled page under the target page, or a row of the target database."""
    if target.kind != "database":
        return {"parent": {"page_id": target.id}, "properties": {"title": {"title": text(PROBE_TITLE)}}}
    source = call(client.data_sources.retrieve, data_source_id=target.data_source_id) if target.data_source_id \
        else None
    if source is None:  # a configured database without NOTION_DATA_SOURCE_ID: find_target named none
        return {"parent": {"database_id": target.id}, "properties": {"title": {"title": text(PROBE_TITLE)}}}
    title = roles(source.get("properties") or {}).title or "title"
    return {"parent": {"type": "data_source_id", "data_source_id": source["id"]},
            "properties": {title: {"title": text(PROBE_TITLE)}}}
