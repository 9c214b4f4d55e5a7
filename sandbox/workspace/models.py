"""Pydantic models of the workspace format (docs/workspace-format.md, version 1)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    # Unknown keys are errors (typos), but `x-` keys are the format's extension point.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        # Runs once per object (100,000s in a big workspace): a mapping of known keys only, the usual case, is passed
        # on after one set comparison in C; only the others are searched for `x-` keys.
        if isinstance(data, dict) and not data.keys() <= _known(cls) and any(
                isinstance(k, str) and k.startswith("x-") for k in data):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        return data


_KNOWN: dict[type, frozenset[str]] = {}


def _known(cls: type[BaseModel]) -> frozenset[str]:
    """A model's field names and aliases, the keys its mappings may hold besides extensions."""
    if cls not in _KNOWN:
        _KNOWN[cls] = frozenset(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
    return _KNOWN[cls]


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)") from None
    return name


TimeZone = Annotated[str, AfterValidator(_zone)]  # an IANA name; unset means UTC


class Team(_Strict):
    id: str | None = None
    name: str
    domain: str


class SlackUser(_Strict):
    id: str | None = None
    name: str
    real_name: str | None = None
    display_name: str | None = None
    title: str | None = None
    email: str | None = None
    is_bot: bool = False
    tz: TimeZone | None = None


class Reaction(_Strict):
    name: str
    users: list[str] = Field(default_factory=list)


class FileMeta(_Strict):
    name: str
    title: str | None = None


class Reply(_Strict):
    at: AwareDatetime
    user: str
    text: str
    edited: AwareDatetime | None = None
    reactions: list[Reaction] = Field(default_factory=list)
    files: list[FileMeta] = Field(default_factory=list)
    ts: str | None = None  # filled by the loader: Slack's message id


class Message(Reply):
    replies: list[Reply] = Field(default_factory=list)


class Channel(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    id: str | None = None
    private: bool = False
    topic: str | None = None
    purpose: str | None = None
    members: list[str] | None = None
    messages: list[Message] = Field(default_factory=list)


class Slack(_Strict):
    team: Team = Team(name="Acme", domain="acme")
    users: list[SlackUser] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)


class NotionUser(_Strict):
    name: str
    email: str | None = None
    id: str | None = None


class Page(_Strict):
    title: str
    id: str | None = None
    parent: str | None = None
    created: AwareDatetime
    edited: AwareDatetime | None = None
    author: str | None = None
    shared: bool = True
    content: str = ""


class Row(_Strict):
    """A page in a data source; `properties` are checked against its schema by sandbox/workspace/databases.py."""

    properties: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None
    created: AwareDatetime | None = None
    author: str | None = None
    content: str = ""


class DataSource(_Strict):
    name: str
    id: str | None = None
    properties: dict[str, Any]  # name -> type ("title", "date"…) or {select|status|multi_select: [options]}
    rows: list[Row] = Field(default_factory=list)


class Database(_Strict):
    title: str
    id: str | None = None
    parent: str | None = None
    shared: bool = True
    created: AwareDatetime | None = None
    # One data source named after the database (properties + rows), or several (data_sources), never both.
    properties: dict[str, Any] | None = None
    rows: list[Row] = Field(default_factory=list)
    data_sources: list[DataSource] | None = None


class Notion(_Strict):
    users: list[NotionUser] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    databases: list[Database] = Field(default_factory=list)


class JiraUser(_Strict):
    name: str
    display_name: str | None = None
    email: str | None = None
    account_id: str | None = None
    tz: TimeZone | None = None  # default: the same person's Slack tz, else UTC


class Project(_Strict):
    key: str = Field(pattern=r"^[A-Z][A-Z0-9]+$")
    name: str


class Comment(_Strict):
    author: str
    at: AwareDatetime
    body: str


class Transition(_Strict):
    at: AwareDatetime
    by: str
    from_: str = Field(alias="from")
    to: str


class Link(_Strict):
    type: str
    key: str


Status = Literal["To Do", "In Progress", "In Review", "Done", "Closed"]


class Issue(_Strict):
    key: str = Field(pattern=r"^[A-Z][A-Z0-9]+-[1-9][0-9]*$")
    type: Literal["Task", "Bug", "Story", "Epic", "Incident", "Sub-task"] = "Task"
    summary: str
    description: str = ""
    status: Status = "To Do"
    priority: Literal["Highest", "High", "Medium", "Low", "Lowest"] = "Medium"
    reporter: str
    assignee: str | None = None
    labels: list[str] = Field(default_factory=list)
    parent: str | None = None
    links: list[Link] = Field(default_factory=list)
    created: AwareDatetime
    updated: AwareDatetime | None = None
    resolved: AwareDatetime | None = None
    comments: list[Comment] = Field(default_factory=list)
    transitions: list[Transition] = Field(default_factory=list)


class Jira(_Strict):
    site: str = "acme"
    users: list[JiraUser] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)


class Workspace(_Strict):
    format: Literal[1]
    name: str = Field(pattern=r"^[a-z0-9-]+$")
    description: str | None = None
    now: AwareDatetime
    slack: Slack = Slack()
    notion: Notion = Notion()
    jira: Jira = Jira()
    source: str = Field(default="", exclude=True)  # the file it came from, for messages
