"""The JQL parser and evaluator on their own: precedence, quoting, dates and Jira's error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from sandbox.jira.jql import Clause, JQLError, Value, parse
from sandbox.jira.jql_eval import Query

NOW = datetime(2025, 8, 5, 12, 0, tzinfo=UTC)


@dataclass
class Rec:
    key: str
    created: datetime
    summary: str = ""
    status: str = "To Do"
    priority: str = "Medium"
    labels: list[str] = field(default_factory=list)
    assignee: str | None = None
    resolved: datetime | None = None

    def __post_init__(self):
        self.project, num = self.key.split("-")
        self.num, self.id = int(num), int(num)
        self.t_summary = self.t_text = self.summary  # the matcher indexes plain text itself
        self.t_desc = self.t_comments = ""
        self.type, self.reporter, self.parent = "Task", "stefan", None
        self.updated = self.created


class Env:
    def now(self):
        return NOW

    def zone(self):
        return UTC

    def current_user(self):
        return "stefan"

    def user(self, value):
        return {"stefan": "stefan", "mike": "mike", "mike@acme.test": "mike"}.get(value.lower())

    def project(self, value):
        return value.upper() if value.upper() in ("MKT", "ENG") else None

    def issue_key(self, value):
        return value.upper() if value.upper() in {r.key for r in RECS} else None


RECS = [Rec("MKT-1", datetime(2025, 7, 1, tzinfo=UTC), "Summer campaign plan", labels=["launch"]),
        Rec("MKT-2", datetime(2025, 7, 30, tzinfo=UTC), "Activate SUMMER25 promo code", "Done", "High",
            ["summer25"], "mike", datetime(2025, 8, 4, 9, 30, tzinfo=UTC)),
        Rec("ENG-7", datetime(2025, 8, 4, 9, 15, tzinfo=UTC), "Promo-code cache is stale", "In Progress",
            "Highest", assignee="stefan")]


def run(jql: str) -> list[str]:
    q = Query(jql, Env())
    return [r.key for r in q.sort([r for r in RECS if q.match(r)])]


def test_and_binds_tighter_than_or_and_not_tighter_than_and():
    where, _ = parse("a = 1 OR b = 2 AND NOT c = 3")
    assert where[0] == "or" and where[2][0] == "and" and where[2][2][0] == "not"
    assert run("project = ENG OR project = MKT AND labels = launch order by key asc") == ["ENG-7", "MKT-1"]
    assert run("(project = ENG OR project = MKT) AND labels = launch") == ["MKT-1"]


def test_quotes_keywords_lists_and_functions():
    where, order = parse("""Status IN ("In Progress", 'Done') and assignee = currentUser() order by created DESC, key""")
    assert where[1] == Clause("status", "in", (Value("In Progress", True), Value("Done", True)), 1)
    assert where[2].value == Value("currentUser", func=True)
    assert order == [("created", True), ("key", None)]
    assert parse(r'summary ~ "say \"hi\""')[0].value.text == 'say "hi"'
    assert run("assignee = currentUser()") == ["ENG-7"]
    assert run("assignee = 'MIKE@acme.test'") == ["MKT-2"]


def test_text_match_is_case_insensitive_and_by_whole_words():
    assert run('text ~ "summer25"') == ["MKT-2"]
    assert run("summary ~ summer order by key asc") == ["MKT-1"]  # "SUMMER25" is another word, as in Jira
    assert run('summary ~ "summ*" order by key asc') == ["MKT-1", "MKT-2"]  # unless the term says prefix
    assert run('summary ~ "ummer"') == []
    assert run('summary ~ "promo stale"') == ["ENG-7"]  # every word, any order


def test_dates_absolute_relative_and_empty():
    assert run('created >= "2025-07-06" and created <= "2025-08-04 09:15" order by created') == ["MKT-2", "ENG-7"]
    assert run("created > -1d") == []  # ENG-7 is from 2025-08-04 09:15, more than a day before now
    assert run("created > '-1d 3h'") == ["ENG-7"]
    assert run("created >= -5w order by key asc") == ["ENG-7", "MKT-2"]
    assert run("resolved is empty order by key asc") == ["ENG-7", "MKT-1"]
    assert run("resolved is not EMPTY") == ["MKT-2"]


def test_order_by_priority_and_default_order():
    assert run("order by priority desc") == ["ENG-7", "MKT-2", "MKT-1"]
    assert run("order by priority asc") == ["MKT-1", "MKT-2", "ENG-7"]
    assert run("") == ["MKT-2", "MKT-1", "ENG-7"]  # key DESC when the query names no order


@pytest.mark.parametrize(("jql", "message"), [
    ("project = MKT AND", "Error in the JQL Query: Expecting a field name but got end of query. (line 1, character 18)"),
    ("project MKT", "Error in the JQL Query: Expecting operator but got 'MKT'."),
    ('summary ~ "unclosed', "Error in the JQL Query: The quoted string 'unclosed' has not been completed."),
    ("project = MKT ENG", "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'ENG'. (line 1, character 15)"),
    ("(project = MKT", "Error in the JQL Query: Expecting ')' but got end of query."),
    ("colour = red", "Field 'colour' does not exist or you do not have permission to view it."),
    ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
    ("status = Doing", "The value 'Doing' does not exist for the field 'status'."),
    ("summary = x", "The operator '=' is not supported by the 'summary' field."),
    ('created > "last tuesday"', "Date value 'last tuesday' for field 'created' is invalid."),
    ("key = MKT-99", "An issue with key 'MKT-99' does not exist for field 'key'."),
    ("order by colour", "Field 'colour' does not exist"),
])
def test_errors_name_the_problem_like_jira(jql, message):
    with pytest.raises(JQLError) as err:
        run(jql)
    assert message in str(err.value)
