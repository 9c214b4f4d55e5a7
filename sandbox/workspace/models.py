"""Pydantic models of the workspace format (docs/workspace-format.md, version 1)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    # Unknown keys are errors (typos), but `x-` keys are the format's extension point.
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith("x-") for k in data):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        return data


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


class Notion(_Strict):
    users: list[NotionUser] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)


class JiraUser(_Strict):
    name: str
    display_name: str | None = None
    email: str | None = None
    account_id: str | None = None


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
