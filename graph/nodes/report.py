"""Graph nodes that turn evidence into a report and publish it: analyze and publish."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from graph.analyze.grounding import ground_report
from graph.analyze.offline.analyzer import analyze_offline
from graph.analyze.report import Report
from graph.configuration import Configuration
from graph.evidence import Evidence
from graph.http_counts import for_config
from graph.nodes.gather import private_channel, timed
from graph.outcome import kept, ok_sources
from graph.publish.blocks import report_blocks
from graph.publish.database import publish_row
from graph.publish.database_props import owner_names
from graph.publish.markdown import report_markdown
from graph.publish.notion import STALE, page_title, publish_report
from graph.publish.notion_io import PublishError, publishing
from graph.publish.target import Target, find_target, remember, remembered
from graph.result import SOURCE_NAMES, sources_summary
from graph.sources.base import SourceError
from graph.sources.mcp.via import write_client
from graph.sources.notion import make_client as notion_client
from graph.sources.notion_shared import store_for
from graph.sources.notion_store import NotionStore
from graph.state import State


@timed
def analyze(state: State, config: RunnableConfig = None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    evidence = [Evidence(**e) for e in state.get("evidence", [])]
    incident = state.get("incident") or state["plan"]["key"]
    report, analyzer, usage, log = None, "offline", {"llm_calls": 0, "input_tokens": 0, "output_tokens": 0}, []
    if cfg.openai_api_key and not state.get("offline"):
        import httpx

        from graph.analyze.llm import analyze_llm  # the model stack loads only when a key is configured

        with for_config(config).watch_httpx(httpx.Client(), "model") as counted:  # each request, retries included
            res = analyze_llm(incident, evidence, model=cfg.openai_model, api_key=cfg.openai_api_key,
                              base_url=cfg.openai_base_url or None, timeout=max(cfg.http_timeout_s, 60),
                              http_client=counted, names=state.get("people") or {})
        usage = {"llm_calls": res.calls, "input_tokens": res.input_tokens, "output_tokens": res.output_tokens}
        log.extend(res.notes)
        if res.report is not None:
            report, analyzer = res.report, f"llm:{cfg.openai_model}"
        else:
            log.append(f"The model's answer could not be used ({res.error}); drafted by the offline analyzer instead.")
    if report is None:
        report = analyze_offline(incident, evidence)
    report, notes = ground_report(report, evidence, state.get("people") or {})
    report.notes.extend(log + notes)
    for name, s in sources_summary(state).items():
        for gap in (state.get(name) or {}).get("gaps") or []:  # e.g. history an MCP tool cannot page back through
            report.notes.append(f"{SOURCE_NAMES[name]}: {gap}")
        if s["status"] != "ok":
            report.notes.append(f"{SOURCE_NAMES[name]} was not available ({s['error']}); its evidence is missing.")
            report.open_questions.append(f"What does {SOURCE_NAMES[name]} hold about this incident? It could not be "
                                         "read for this report.")
    return {"report": report.model_dump(), "analyzer": analyzer, "usage": usage, "log": log}


RESTRICTED_NO_PARENT = (
    "This report uses a private conversation, so it was not published to Notion, where people outside that "
    "conversation could open it. Set NOTION_RESTRICTED_PARENT_PAGE_ID to a page only its members can open; until "
    "then the report stays in this private thread.")


def parent_page(cfg: Configuration, private: str | None) -> str | None:
    """Where the page goes: reports for a private audience only ever under the restricted parent."""
    if not private:
        return cfg.notion_parent_page_id or None
    restricted = cfg.notion_restricted_parent_page_id
    if not restricted:
        raise PublishError(RESTRICTED_NO_PARENT, "no_restricted_parent")
    if cfg.notion_parent_page_id and _plain_id(restricted) == _plain_id(cfg.notion_parent_page_id):
        raise PublishError("NOTION_RESTRICTED_PARENT_PAGE_ID names the same page as NOTION_PARENT_PAGE_ID, so "
                           "private content would sit beside public reports; point it at a page only the "
                           "conversation's members can open.", "restricted_parent_is_public")
    return restricted


def _plain_id(page: str) -> str:
    return page.replace("-", "").lower()[-32:]


@timed
def publish(state: State, config: RunnableConfig = None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    report = Report(**state["report"])
    evidence = [Evidence(**e) for e in state.get("evidence", [])]
    sources = sources_summary(state)
    key = state["plan"]["key"]
    private = private_channel(state)
    restricted = ((state.get("audience") or {}).get("name") or private) if private else None
    common = {"incident": key, "analyzer": state.get("analyzer", "offline"), "sources": sources,
              "restricted": restricted, "redactions": state.get("redactions"), "scope": state.get("scope")}
    log: list[str] = []
    try:
        parent = parent_page(cfg, private)
        http = for_config(config)  # the run's Notion client, shared with gathering (graph/nodes/gather.py)
        try:
            client = write_client(cfg, http)  # the Notion MCP server, only when POSTMORTEM_MCP_WRITE allows it
        except SourceError as exc:
            raise PublishError(f"the Notion MCP server cannot publish: {exc}") from None
        if client is None and not cfg.notion_token:
            raise PublishError("NOTION_TOKEN is not set, so the report cannot be published to Notion")
        client = client or http.shared("notion", lambda: http.watch_notion(notion_client(cfg)))
        title = page_title(report, report.metrics.started)
        made_from = ok_sources(state)
        once = {"new_page": bool(state.get("new_page")), "made_from": made_from, "force": bool(state.get("force"))}
        owners = owner_names(state.get("requester"), state.get("people"), report.action_items)
        store = store_for(cfg.checkpoint_db, cfg.notion_base_url, cfg.notion_token, cfg.database_url)

        def to(target: Target) -> dict:
            if target.note and target.note not in report.notes:  # several matched: the report says which it went to
                report.notes.append(target.note)
            blocks = report_blocks(report, evidence, **common)
            if target.kind == "database":
                return publish_row(client, blocks, title, key, database_id=target.id,
                                   data_source_id=target.data_source_id, started=report.metrics.started,
                                   owners=owners, **once)
            return publish_report(client, blocks, title, key, parent_page_id=target.id, store=store, **once)

        with publishing(cfg.source_budget_s):
            if cfg.notion_database_id and not private:  # a private report never goes to the shared database
                page = to(Target("database", cfg.notion_database_id, "", data_source_id=cfg.notion_data_source_id
                                 or None))
            elif parent:  # set, or the restricted parent of a private report
                page = to(Target("page", parent, ""))
            else:
                page = _to_found(client, cfg, store, to, log)
    except PublishError as exc:
        return {"page": None, "publish_error": str(exc), "markdown": report_markdown(report, evidence, **common),
                "report": report.model_dump(), "log": log}
    done = {"report": report.model_dump(), "log": log}
    if page["action"] == "kept":  # this run's report stays in the result and the Markdown; the page is untouched
        return done | {"page": page, "publish_error": None, "outcome": kept(page, made_from),
                       "markdown": report_markdown(report, evidence, **common)}
    return done | {"page": page | {"sources": made_from}, "publish_error": None,
                   "markdown": report_markdown(report, evidence, **common, page_url=page["url"])}


def _to_found(client, cfg: Configuration, store: NotionStore, to, log: list[str]) -> dict:
    """Publish to the collection found by its title (graph/publish/target.py): the one an earlier run found, else
    found now, and found again when the remembered one is gone."""
    target = remembered(store, cfg.parent_titles)
    if target:
        try:
            return to(target)
        except PublishError as exc:
            if exc.code not in STALE:
                raise
            remember(store, cfg.parent_titles, None)
    target = find_target(client, cfg.parent_titles, hint=store.parent(""))  # "": the gather's hint (parent_hint)
    where = f"the database '{target.title}'" if target.kind == "database" else f"the page '{target.title}'"
    log.append(target.note or f"Notion: publishing to {where} (id {target.id}), found by its title.")
    remember(store, cfg.parent_titles, target)  # first: publish_report then needs no request to check the page
    return to(target)
