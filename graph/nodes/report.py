"""Graph nodes that turn evidence into a report and publish it: analyze and publish."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from graph.analyze.grounding import ground_report
from graph.analyze.offline.analyzer import analyze_offline
from graph.analyze.report import Report
from graph.configuration import Configuration
from graph.evidence import Evidence
from graph.nodes.gather import timed
from graph.publish.blocks import report_blocks
from graph.publish.markdown import report_markdown
from graph.publish.notion import page_title, publish_report
from graph.publish.notion_io import PublishError, make_client
from graph.result import SOURCE_NAMES, sources_summary
from graph.state import State


@timed
def analyze(state: State, config: RunnableConfig = None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    evidence = [Evidence(**e) for e in state.get("evidence", [])]
    incident = state.get("incident") or state["plan"]["key"]
    report, analyzer, usage, log = None, "offline", {"llm_calls": 0, "input_tokens": 0, "output_tokens": 0}, []
    if cfg.openai_api_key and not state.get("offline"):
        from graph.analyze.llm import analyze_llm  # the model stack loads only when a key is configured

        res = analyze_llm(incident, evidence, model=cfg.openai_model, api_key=cfg.openai_api_key,
                          base_url=cfg.openai_base_url or None, timeout=max(cfg.http_timeout_s, 60))
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
        if s["status"] != "ok":
            report.notes.append(f"{SOURCE_NAMES[name]} was not available ({s['error']}); its evidence is missing.")
            report.open_questions.append(f"What does {SOURCE_NAMES[name]} hold about this incident? It could not be "
                                         "read for this report.")
    return {"report": report.model_dump(), "analyzer": analyzer, "usage": usage, "log": log}


@timed
def publish(state: State, config: RunnableConfig = None) -> dict:
    cfg = Configuration.from_runnable_config(config)
    report = Report(**state["report"])
    evidence = [Evidence(**e) for e in state.get("evidence", [])]
    sources = sources_summary(state)
    key = state["plan"]["key"]
    common = {"incident": key, "analyzer": state.get("analyzer", "offline"), "sources": sources}
    try:
        if not cfg.notion_token:
            raise PublishError("NOTION_TOKEN is not set, so the report cannot be published to Notion")
        client = make_client(cfg.notion_token, cfg.notion_base_url, cfg.http_timeout_s)
        title = page_title(report, report.metrics.started)
        page = publish_report(client, report_blocks(report, evidence, **common), title, key,
                              parent_page_id=cfg.notion_parent_page_id or None, new_page=bool(state.get("new_page")))
    except PublishError as exc:
        return {"page": None, "publish_error": str(exc), "markdown": report_markdown(report, evidence, **common)}
    return {"page": page, "publish_error": None,
            "markdown": report_markdown(report, evidence, **common, page_url=page["url"])}
