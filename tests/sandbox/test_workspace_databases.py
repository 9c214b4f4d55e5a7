"""`notion.databases` in workspace files: loaded strictly, errors name the path, ids are stable, YAML dates work."""

from __future__ import annotations

import pytest
import yaml

from sandbox.workspace.loader import WorkspaceError, load_workspace, parse_workspace
from tests.support.workspaces import workspace_dict

PAGES = [{"title": "Post Mortems", "created": "2025-07-01T10:00:00Z"}]


def with_db(**db) -> dict:
    base = {"title": "Post-mortems", "parent": "Post Mortems",
            "properties": {"Name": "title", "Date": "date", "Status": {"select": ["Draft", "Done"]}, "Owner": "people"}}
    return workspace_dict(notion={"users": [{"name": "ann"}], "pages": PAGES, "databases": [{**base, **db}]})


def problem(data) -> str:
    with pytest.raises(WorkspaceError) as info:
        parse_workspace(data, "team.yaml")
    return str(info.value)


def test_a_database_loads_with_stable_ids_and_one_data_source(tmp_path):
    data = with_db(rows=[{"properties": {"Name": "Outage", "Date": "2025-08-04", "Status": "Done", "Owner": "ann"},
                          "content": "Body"}])
    path = tmp_path / "ws.yaml"
    path.write_text(yaml.safe_dump(data).replace("'2025-08-04'", "2025-08-04"))  # a YAML date, not a string
    one, two = load_workspace(path), load_workspace(path)
    db = one.notion.databases[0]
    assert db.id == two.notion.databases[0].id and db.parent == one.notion.pages[0].id
    [src] = db.data_sources
    assert src.name == "Post-mortems" and src.id == two.notion.databases[0].data_sources[0].id
    assert src.rows[0].properties == {"Name": "Outage", "Date": "2025-08-04", "Status": "Done", "Owner": ["ann"]}
    assert src.properties["Status"] == {"type": "select", "options": ["Draft", "Done"]}


@pytest.mark.parametrize("db, where, says", [
    ({"parent": "Nowhere"}, "notion.databases[0].parent", "no page with title or id 'Nowhere'"),
    ({"properties": {"Date": "date"}}, "notion.databases[0].properties", "needs exactly one title property, has 0"),
    ({"properties": {"Name": "title", "When": "datetime"}}, "notion.databases[0].properties.When",
     "unknown property type 'datetime'"),
    ({"properties": {"Name": "title", "S": {"select": ["a,b"]}}}, "notion.databases[0].properties.S.select",
     "comma"),
    ({"rows": [{"properties": {"Nmae": "x"}}]}, "notion.databases[0].rows[0].properties.Nmae",
     "unknown property 'Nmae'"),
    ({"rows": [{"properties": {"Status": "Drfat"}}]}, "notion.databases[0].rows[0].properties.Status",
     "'Drfat' is not an option of Status (Draft, Done)"),
    ({"rows": [{"properties": {"Owner": "bob"}}]}, "notion.databases[0].rows[0].properties.Owner",
     "unknown user 'bob'"),
    ({"rows": [{"properties": {"Date": "2025-08-04T09:00:00"}}]}, "notion.databases[0].rows[0].properties.Date",
     "time without a zone"),
    ({"rows": [{"created": "2030-01-01T00:00:00Z"}]}, "notion.databases[0].rows[0].created", "after the workspace"),
    ({"data_sources": [{"name": "A", "properties": {"Name": "title"}}]}, "notion.databases[0].data_sources",
     "not both"),
    ({"id": "nope"}, "notion.databases[0].id", "'nope' is not a UUID"),
    ({"colour": "red"}, "notion.databases[0].colour", "unknown key"),
])
def test_broken_databases_name_the_path_and_the_problem(db, where, says):
    message = problem(with_db(**db))
    assert message.startswith(f"team.yaml: {where}: ") and says in message


def test_several_data_sources_each_have_their_own_schema():
    data = with_db(properties=None, data_sources=[
        {"name": "Active", "properties": {"Name": "title"}, "rows": [{"properties": {"Name": "x"}}]},
        {"name": "Archive", "properties": {"Title": "title", "Year": "number"},
         "rows": [{"properties": {"Year": "2024"}}]}])
    assert "notion.databases[0].data_sources[1].rows[0].properties.Year: a number value should be a number" in \
        problem(data)
    data["notion"]["databases"][0]["data_sources"][1]["rows"] = []
    ids = [s.id for s in parse_workspace(data).notion.databases[0].data_sources]
    assert len(set(ids)) == 2
