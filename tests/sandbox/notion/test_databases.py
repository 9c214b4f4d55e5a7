"""Notion databases and data sources (2025-09-03) in the sandbox, through the real notion_client.Client over HTTP."""

from __future__ import annotations

import urllib.request

import pytest
from notion_client import APIResponseError, Client

from tests.support.openapi_check import validate_response
from tests.support.workspaces import workspace_dict

ROOT = "11111111-1111-4111-8111-111111111111"
SECRET = "33333333-3333-4333-8333-333333333333"
DB = "55555555-5555-4555-8555-555555555555"
SOURCE = "66666666-6666-4666-8666-666666666666"
HIDDEN = "77777777-7777-4777-8777-777777777777"
MULTI = "88888888-8888-4888-8888-888888888888"
ROWS = [
    {"properties": {"Name": "Checkout outage", "Date": "2025-08-04", "Status": "Done", "Owner": "mike",
                    "Severity": "SEV1", "Key": "summer25", "Link": "https://status.acme.test/1"},
     "created": "2025-08-04T12:00:00Z", "content": "Codes were **rejected**.\n- [x] rollback"},
    {"properties": {"Name": "Login slow", "Date": "2025-07-20", "Status": "Draft", "Owner": ["stefan", "mike"],
                    "Severity": "SEV2"}, "created": "2025-07-21T09:00:00Z"},
    {"properties": {"Name": "Email bounce OUTAGE", "Status": "In review"}, "created": "2025-06-02T09:00:00Z"},
]


def databases():
    return [
        {"title": "Incidents", "id": DB, "parent": "Post Mortems", "created": "2025-06-01T10:00:00Z",
         "data_sources": [{"name": "Incidents", "id": SOURCE, "rows": ROWS, "properties": {
             "Name": "title", "Date": "date", "Status": {"status": ["Draft", "In review", "Done"]}, "Owner": "people",
             "Severity": {"select": ["SEV1", "SEV2"]}, "Key": "rich_text", "Link": "url"}}]},
        {"title": "Salaries", "id": HIDDEN, "parent": SECRET, "properties": {"Name": "title"},
         "rows": [{"properties": {"Name": "Incident pay"}}]},
        {"title": "Projects", "id": MULTI, "data_sources": [{"name": "Active", "properties": {"Name": "title"}},
                                                            {"name": "Archive", "properties": {"Title": "title"}}]},
    ]


@pytest.fixture
def sb(make_sandbox):
    return make_sandbox(workspace_dict(
        slack={"users": [{"name": "stefan", "real_name": "Stefan Ortiz"}, {"name": "mike", "real_name": "Mike Baptiste"}],
               "channels": []},
        notion={"users": [{"name": "stefan", "email": "stefan@acme.test"}, {"name": "mike"}],
                "pages": [{"title": "Post Mortems", "id": ROOT, "created": "2025-06-01T09:00:00Z"},
                          {"title": "Secret", "id": SECRET, "created": "2025-06-01T09:00:00Z", "shared": False}],
                "databases": databases()}))


@pytest.fixture
def notion(sb):
    return Client(auth=sb.env["NOTION_TOKEN"], base_url=sb.env["NOTION_BASE_URL"])


def names(results):
    return ["".join(t["plain_text"] for t in r["properties"]["Name"]["title"]) for r in results]


def query(notion, **kw):
    res = notion.data_sources.query(data_source_id=SOURCE, **kw)
    validate_response("notion", "POST", f"/v1/data_sources/{SOURCE}/query", res)
    return res


def refused(call, code: str = "validation_error") -> str:
    with pytest.raises(APIResponseError) as err:
        call()
    assert err.value.code == code
    return str(err.value)


def test_a_database_names_its_data_source_which_holds_the_schema(notion):
    db = notion.databases.retrieve(database_id=DB)
    validate_response("notion", "GET", f"/v1/databases/{DB}", db)
    assert db["object"] == "database" and db["title"][0]["plain_text"] == "Incidents"
    assert db["data_sources"] == [{"id": SOURCE, "name": "Incidents"}]
    assert db["parent"] == {"type": "page_id", "page_id": ROOT}
    src = notion.data_sources.retrieve(data_source_id=SOURCE)
    validate_response("notion", "GET", f"/v1/data_sources/{SOURCE}", src)
    assert src["object"] == "data_source" and src["parent"] == {"type": "database_id", "database_id": DB}
    schema = src["properties"]
    assert {n: p["type"] for n, p in schema.items()} == {
        "Name": "title", "Date": "date", "Status": "status", "Owner": "people", "Severity": "select",
        "Key": "rich_text", "Link": "url"}
    assert schema["Name"]["id"] == "title"
    assert [o["name"] for o in schema["Status"]["status"]["options"]] == ["Draft", "In review", "Done"]
    groups = {g["name"]: len(g["option_ids"]) for g in schema["Status"]["status"]["groups"]}
    assert groups == {"To-do": 1, "In progress": 1, "Complete": 1}
    assert [o["name"] for o in schema["Severity"]["select"]["options"]] == ["SEV1", "SEV2"]
    assert [d["name"] for d in notion.databases.retrieve(database_id=MULTI)["data_sources"]] == ["Active", "Archive"]


def test_rows_carry_typed_property_values(notion):
    row = query(notion, filter={"property": "Key", "rich_text": {"equals": "summer25"}})["results"][0]
    assert row["parent"] == {"type": "data_source_id", "data_source_id": SOURCE, "database_id": DB}
    p = row["properties"]
    assert p["Date"]["date"] == {"start": "2025-08-04", "end": None, "time_zone": None}
    assert p["Status"]["status"]["name"] == "Done" and p["Severity"]["select"]["name"] == "SEV1"
    assert [u["name"] for u in p["Owner"]["people"]] == ["Mike Baptiste"]
    assert p["Link"]["url"] == "https://status.acme.test/1"
    texts = [b["type"] for b in notion.blocks.children.list(row["id"])["results"]]
    assert texts == ["paragraph", "to_do"]  # the row's content, as real blocks
    only = notion.data_sources.query(data_source_id=SOURCE, filter_properties=["title", p["Date"]["id"]])
    assert all(set(r["properties"]) == {"Name", "Date"} for r in only["results"])


def test_query_filters_sorts_and_pages_like_notion(notion):
    assert names(query(notion)["results"]) == ["Checkout outage", "Login slow", "Email bounce OUTAGE"]  # newest first
    assert names(query(notion, filter={"property": "Status", "status": {"equals": "Done"}})["results"]) == [
        "Checkout outage"]
    assert names(query(notion, filter={"property": "Name", "title": {"contains": "outage"}})["results"]) == [
        "Checkout outage", "Email bounce OUTAGE"]
    assert names(query(notion, filter={"property": "Date", "date": {"is_empty": True}})["results"]) == [
        "Email bounce OUTAGE"]
    stefan = next(u["id"] for u in notion.users.list()["results"] if u["name"] == "Stefan Ortiz")
    both = {"and": [{"property": "Owner", "people": {"contains": stefan}},
                    {"property": "Date", "date": {"on_or_after": "2025-07-01"}}]}
    assert names(query(notion, filter=both)["results"]) == ["Login slow"]
    either = {"or": [{"property": "Severity", "select": {"equals": "SEV2"}},
                     {"property": "Key", "rich_text": {"starts_with": "SUMMER"}}]}
    assert len(query(notion, filter=either)["results"]) == 2
    by_date = query(notion, sorts=[{"property": "Date", "direction": "ascending"}])
    assert names(by_date["results"]) == ["Login slow", "Checkout outage", "Email bounce OUTAGE"]  # empty dates last
    first = query(notion, page_size=2, sorts=[{"property": "Name", "direction": "descending"}])
    assert names(first["results"]) == ["Login slow", "Email bounce OUTAGE"] and first["has_more"]
    rest = query(notion, page_size=2, start_cursor=first["next_cursor"],
                 sorts=[{"property": "Name", "direction": "descending"}])
    assert names(rest["results"]) == ["Checkout outage"] and rest["has_more"] is False and rest["next_cursor"] is None
    assert rest["type"] == "page_or_data_source"


@pytest.mark.parametrize("kw, message", [
    ({"filter": {"property": "Priority", "select": {"equals": "P1"}}}, "Could not find property with name or id: Priority"),
    ({"filter": {"property": "Date", "select": {"equals": "x"}}}, "database property date does not match filter select"),
    ({"filter": {"property": "Key", "rich_text": {"matches": "x"}}}, "body.filter.rich_text.matches should be"),
    ({"sorts": [{"property": "Nope", "direction": "ascending"}]}, "Could not find sort property with name or id: Nope"),
    ({"start_cursor": "not-a-cursor"}, "start_cursor provided is invalid"),
])
def test_query_refuses_what_notion_refuses(notion, kw, message):
    assert message in refused(lambda: notion.data_sources.query(data_source_id=SOURCE, **kw))


def test_a_page_made_in_a_data_source_is_a_row_with_checked_properties(notion, sb):
    made = notion.pages.create(
        parent={"type": "data_source_id", "data_source_id": SOURCE},
        properties={"Name": {"title": [{"text": {"content": "Cache stampede"}}]},
                    "Date": {"date": {"start": "2025-08-05"}}, "Status": {"status": {"name": "Draft"}},
                    "Severity": {"select": {"name": "SEV3"}}, "Key": {"rich_text": [{"text": {"content": "cache"}}]}},
        children=[{"paragraph": {"rich_text": [{"text": {"content": "What happened"}}]}}])
    validate_response("notion", "POST", "/v1/pages", made)
    assert made["parent"] == {"type": "data_source_id", "data_source_id": SOURCE, "database_id": DB}
    assert made["properties"]["Owner"]["people"] == [] and made["properties"]["Link"]["url"] is None
    found = query(notion, filter={"property": "Key", "rich_text": {"equals": "cache"}})["results"]
    assert names(found) == ["Cache stampede"]
    assert notion.blocks.children.list(made["id"])["results"][0]["paragraph"]["rich_text"][0]["plain_text"] == \
        "What happened"
    severity = notion.data_sources.retrieve(data_source_id=SOURCE)["properties"]["Severity"]["select"]["options"]
    assert [o["name"] for o in severity] == ["SEV1", "SEV2", "SEV3"]  # a new select name becomes an option
    untouched = notion.pages.create(parent={"data_source_id": SOURCE}, properties={})
    assert untouched["properties"]["Status"]["status"]["name"] == "Draft"  # a status starts at its first to-do


@pytest.mark.parametrize("properties, message", [
    ({"Priority": {"select": {"name": "P1"}}}, "Priority is not a property that exists."),
    ({"Date": {"select": {"name": "x"}}}, "Date is expected to be date."),
    ({"Status": {"status": {"name": "Shipped"}}}, 'Status option "Shipped" does not exist'),
    ({"Severity": {"select": {"name": "SEV1,SEV2"}}}, "Invalid select option, commas not allowed"),
    ({"Date": {"date": {"start": "yesterday"}}}, "body.properties.Date.date.start should be a valid ISO 8601 date"),
    ({"Name": {"title": [{"text": {"content": "x" * 2001}}]}}, "body.properties.Name.title[0].text.content.length"),
])
def test_properties_are_validated_against_the_schema(notion, properties, message):
    before = len(query(notion)["results"])
    assert message in refused(lambda: notion.pages.create(parent={"data_source_id": SOURCE}, properties=properties))
    assert len(query(notion)["results"]) == before  # nothing half-made


def test_a_database_parent_means_its_only_data_source(notion):
    made = notion.pages.create(parent={"database_id": DB}, properties={"Name": {"title": [{"text": {"content": "X"}}]}})
    assert made["parent"]["data_source_id"] == SOURCE
    message = refused(lambda: notion.pages.create(parent={"database_id": MULTI}, properties={}))
    assert "multiple data sources" in message and "data_source_id" in message
    refused(lambda: notion.pages.create(parent={"database_id": HIDDEN}, properties={}), "object_not_found")


def test_updating_a_row_changes_only_the_properties_sent(notion):
    row = query(notion, filter={"property": "Key", "rich_text": {"equals": "summer25"}})["results"][0]
    out = notion.pages.update(page_id=row["id"], properties={"Status": {"status": {"name": "In review"}},
                                                             "Name": {"title": [{"text": {"content": "Promo outage"}}]}})
    validate_response("notion", "PATCH", f"/v1/pages/{row['id']}", out)
    again = notion.pages.retrieve(page_id=row["id"])["properties"]
    assert again["Status"]["status"]["name"] == "In review" and names([{"properties": again}]) == ["Promo outage"]
    assert again["Date"]["date"]["start"] == "2025-08-04" and again["Severity"]["select"]["name"] == "SEV1"
    assert "Nope is not a property" in refused(
        lambda: notion.pages.update(page_id=row["id"], properties={"Nope": {"url": None}}))


def test_search_finds_data_sources_and_rows_but_not_unshared_ones(notion):
    res = notion.search(filter={"property": "object", "value": "data_source"})
    validate_response("notion", "POST", "/v1/search", res)
    assert {r["object"] for r in res["results"]} == {"data_source"}
    assert sorted(r["title"][0]["plain_text"] for r in res["results"]) == ["Active", "Archive", "Incidents"]
    assert [r["id"] for r in notion.search(query="incid", filter={"property": "object", "value": "data_source"})[
        "results"]] == [SOURCE]
    pages = notion.search(query="outage", filter={"property": "object", "value": "page"})["results"]
    assert {r["object"] for r in pages} == {"page"} and len(pages) == 2  # database rows are pages too
    everything = notion.search(query="Incid")["results"]  # no filter: pages and data sources together
    assert [r["object"] for r in everything] == ["data_source"]  # "Incident pay" sits in an unshared database
    first = notion.search(page_size=1, filter={"property": "object", "value": "data_source"})
    assert len(first["results"]) == 1 and first["has_more"]


def test_an_unshared_database_and_its_rows_are_not_found(notion, sb):
    assert "Make sure the relevant pages and databases are shared" in refused(
        lambda: notion.databases.retrieve(database_id=HIDDEN), "object_not_found")
    hidden_source = sb.state("notion").databases[HIDDEN].sources[0]
    refused(lambda: notion.data_sources.retrieve(data_source_id=hidden_source), "object_not_found")
    refused(lambda: notion.data_sources.query(data_source_id=hidden_source), "object_not_found")
    refused(lambda: notion.databases.retrieve(database_id=SOURCE), "object_not_found")  # a data source is no database
    assert notion.search(query="Incident pay")["results"] == []


def test_the_database_is_a_table_at_its_url_and_a_block_of_its_page(notion, sb):
    kids = notion.blocks.children.list(ROOT)["results"]
    assert [(k["type"], k["id"]) for k in kids] == [("child_database", DB)]
    assert kids[0]["child_database"] == {"title": "Incidents"}
    db = notion.databases.retrieve(database_id=DB)
    html = urllib.request.urlopen(db["url"]).read().decode()
    assert "<th>Name</th><th>Date</th><th>Status</th>" in html
    row = query(notion, filter={"property": "Key", "rich_text": {"equals": "summer25"}})["results"][0]
    assert f'<a href="{row["url"]}">Checkout outage</a></td><td>2025-08-04</td><td>Done</td>' in html
    root = urllib.request.urlopen(f"{sb.env['NOTION_BASE_URL']}/{ROOT.replace('-', '')}").read().decode()
    assert f'<a href="{db["url"]}">Incidents</a>' in root
    page = urllib.request.urlopen(row["url"]).read().decode()
    assert "<th>Status</th><td>Done</td>" in page and "<strong>rejected</strong>" in page
