"""Publishing a post-mortem as a row of a Notion database (NOTION_DATABASE_ID), end to end on the sandbox."""

from __future__ import annotations

import urllib.request

import pytest
import yaml
from notion_client import Client

from graph.publish.database import _checked
from graph.publish.notion_io import PublishError
from sandbox.workspace.loader import BUNDLED
from tests.support.graph import page_texts, run_on

DB = "5c8e0f8a-1b2c-4d3e-8f90-a1b2c3d4e5f6"
FULL = {"Name": "title", "Incident date": "date", "Stage": {"status": ["Draft", "In review", "Published"]},
        "Owner": "people", "Incident key": "rich_text", "Severity": {"select": ["SEV1", "SEV2"]}}


def summer25(*databases: dict) -> dict:
    """The bundled demo workspace with databases added under its 'Post Mortems' page."""
    data = yaml.safe_load((BUNDLED / "summer25.yaml").read_text())
    data["notion"]["databases"] = [{"parent": "Post Mortems", "created": "2025-07-17T11:40:00Z", **d}
                                   for d in databases]
    return data


def postmortems(properties: dict = FULL, **kw) -> dict:
    return {"title": "Post-mortems", "id": DB, "properties": properties, **kw}


def notion(sb) -> Client:
    return Client(auth=sb.env["NOTION_TOKEN"], base_url=sb.env["NOTION_BASE_URL"])


def rows(sb, source: str | None = None) -> list[dict]:
    client = notion(sb)
    source = source or client.databases.retrieve(database_id=DB)["data_sources"][0]["id"]
    return client.data_sources.query(data_source_id=source)["results"]


def text_of(prop: dict) -> str:
    data = prop[prop["type"]]
    if prop["type"] in ("title", "rich_text"):
        return "".join(t["plain_text"] for t in data)
    if prop["type"] == "people":
        return ", ".join(u["name"] for u in data)
    return (data or {}).get("name") or (data or {}).get("start") or ""


def values(row: dict) -> dict[str, str]:
    return {name: text_of(p) for name, p in row["properties"].items()}


def run(sb, tmp_path, **overrides) -> dict:
    return run_on(sb, tmp_path, overrides={"notion_database_id": DB, **overrides})


def test_the_post_mortem_is_a_row_with_title_date_status_owner_and_the_report_as_content(make_sandbox, tmp_path):
    sb = make_sandbox(summer25(postmortems()))
    result = run(sb, tmp_path)
    assert result["status"] == "published" and result["page"]["action"] == "created"
    [row] = rows(sb)
    report = result["report"]
    owners = [a["owner"] for a in report["action_items"] if a["owner"]]  # Slack full names, as Notion knows them
    expected = {"Name": result["page"]["title"], "Incident date": report["metrics"]["started"][:10],
                "Stage": "Draft", "Owner": owners[0] if owners else "", "Incident key": "summer25", "Severity": ""}
    assert values(row) == expected and expected["Incident date"]
    assert result["page"]["title"].startswith("Post-mortem: ") and result["page"]["url"] == row["url"]
    texts = page_texts(sb, row["id"])
    assert texts[0].startswith("Incident key: summer25") and any("Root cause" in t for t in texts)
    kids = notion(sb).blocks.children.list(block_id="23339f4d-e219-808c-86ab-d3e898053672")["results"]
    assert not [k for k in kids if k["type"] == "child_page" and "SUMMER25" in k["child_page"]["title"]]
    table = urllib.request.urlopen(notion(sb).databases.retrieve(database_id=DB)["url"]).read().decode()
    assert f'>{expected["Name"]}</a></td><td>{expected["Incident date"]}</td><td>Draft</td>' in table


def test_a_rerun_updates_the_same_row_and_keeps_what_people_changed(make_sandbox, tmp_path):
    sb = make_sandbox(summer25(postmortems()))
    first = run(sb, tmp_path)
    priya = next(u["id"] for u in notion(sb).users.list()["results"] if u["name"] == "Priya Nair")
    notion(sb).pages.update(page_id=first["page"]["id"], properties={
        "Stage": {"status": {"name": "In review"}}, "Owner": {"people": [{"id": priya}]}})
    again = run(sb, tmp_path)
    assert again["page"]["action"] == "updated" and again["page"]["id"] == first["page"]["id"]
    [row] = rows(sb)  # one row, never a duplicate
    assert values(row)["Stage"] == "In review" and values(row)["Owner"] == "Priya Nair"
    texts = page_texts(sb, row["id"])
    assert sum(t.startswith("Incident key: summer25") for t in texts) == 1  # the report replaced, not appended


def test_the_person_who_asked_owns_the_row_when_notion_knows_them(make_sandbox, tmp_path):
    sb = make_sandbox(summer25(postmortems()))
    run_on(sb, tmp_path, requester="U0PRIYA01", overrides={"notion_database_id": DB})
    assert values(rows(sb)[0])["Owner"] == "Priya Nair"


def test_a_database_without_date_or_key_properties_still_gets_one_row(make_sandbox, tmp_path):
    older = {"properties": {"Title": "Post-mortem: Newsletter sent twice (2025-06-12)"},
             "content": "Incident key: newsletter · drafted by postmortem (offline) · made from Slack"}
    sb = make_sandbox(summer25(postmortems({"Title": "title", "State": "select"}, rows=[older])))
    first = run(sb, tmp_path)
    assert first["status"] == "published" and first["page"]["action"] == "created"
    again = run(sb, tmp_path)  # found by the marker on its first block, among rows titled like reports
    assert again["page"]["action"] == "updated" and again["page"]["id"] == first["page"]["id"]
    found = {values(r)["Title"]: values(r)["State"] for r in rows(sb)}
    assert found == {first["page"]["title"]: "Draft", older["properties"]["Title"]: ""}  # the option is created
    states = notion(sb).databases.retrieve(database_id=DB)["data_sources"][0]["id"]
    schema = notion(sb).data_sources.retrieve(data_source_id=states)["properties"]
    assert [o["name"] for o in schema["State"]["select"]["options"]] == ["Draft"]


def test_a_database_with_several_data_sources_needs_the_one_named(make_sandbox, tmp_path):
    archive = "99999999-9999-4999-8999-999999999999"
    sb = make_sandbox(summer25({"title": "Post-mortems", "id": DB, "data_sources": [
        {"name": "Current", "properties": {"Name": "title"}},
        {"name": "Archive", "id": archive, "properties": {"Name": "title", "When": "date"}}]}))
    refused = run(sb, tmp_path)
    assert refused["page"] is None and "several data sources" in refused["error"]
    assert "NOTION_DATA_SOURCE_ID" in refused["error"] and archive in refused["error"]
    assert "Incident key: summer25" in refused["markdown"]  # the report is still there to read
    chosen = run(sb, tmp_path, notion_data_source_id=archive)
    assert chosen["page"]["action"] == "created"
    assert [values(r)["When"] for r in rows(sb, archive)] == ["2025-08-04"]


@pytest.mark.parametrize("database, says", [
    (postmortems(shared=False), "not shared with the integration"),
    ({"title": "Post-mortems", "id": DB, "data_sources": []}, "has no data source"),
])
def test_a_database_that_cannot_take_rows_says_what_to_fix(make_sandbox, tmp_path, database, says):
    sb = make_sandbox(summer25(database))
    result = run(sb, tmp_path)
    assert result["page"] is None and says in result["error"]
    assert "Incident key: summer25" in result["markdown"]


def test_the_data_source_id_works_in_place_of_the_database_id(make_sandbox, tmp_path):
    sb = make_sandbox(summer25(postmortems()))
    source = notion(sb).databases.retrieve(database_id=DB)["data_sources"][0]["id"]
    result = run_on(sb, tmp_path, overrides={"notion_database_id": source})
    assert result["page"]["action"] == "created" and len(rows(sb)) == 1


def test_a_schema_without_a_title_is_refused_with_what_to_do():
    with pytest.raises(PublishError, match="has no title property, so its rows cannot be named"):
        _checked({"id": "s1", "title": [{"plain_text": "Incidents"}], "properties": {"When": {"type": "date"}}})
