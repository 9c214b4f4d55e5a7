"""The post-mortem report model: every section cites evidence ids; times come from the evidence, never the model."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator


class Claim(BaseModel):
    text: str = Field(description="One or two sentences.")
    evidence: list[str] = Field(default_factory=list, description="Ids (E1, E2, …) of the evidence that supports it")
    verified: bool = Field(True, description="False when no cited evidence supports the claim")


KEY_EVENT_KINDS = ("trigger", "first_signal", "alert", "ack", "severity", "diagnosis", "cause_found", "fix_started",
                   "fix_deployed", "verified", "resolved", "follow_up")


class TimelineEvent(BaseModel):
    at: str = Field(description="UTC time copied from the cited evidence item's `at`")
    event: str = Field(description="What happened, in one sentence")
    evidence: list[str] = Field(default_factory=list, description="Evidence ids; the first one gives the time")
    kind: str | None = Field(None, description="The moment: " + " | ".join(KEY_EVENT_KINDS)
                             + "; trigger marks a change before the incident that caused it")


class Lesson(BaseModel):
    text: str = Field(description="What the team learned, in one sentence")
    evidence: list[str] = Field(default_factory=list, description="Ids of the evidence it comes from")


class ActionItem(BaseModel):
    text: str = Field(description="What should be done")
    owner: str | None = Field(None, description="A person's display name, when the evidence names one")
    jira: str | None = Field(None, description="Jira key of the follow-up ticket, when there is one")
    evidence: list[str] = Field(default_factory=list)
    done: bool = False


class Metrics(BaseModel):
    started: str | None = None
    detected: str | None = None
    resolved: str | None = None
    time_to_detect_s: int | None = None
    time_to_resolve_s: int | None = None


class Report(BaseModel):
    title: str = Field(description="Short title, e.g. 'Promo code SUMMER25 rejected at checkout'")
    summary: str
    summary_evidence: list[str] = Field(default_factory=list)
    impact: str
    impact_evidence: list[str] = Field(default_factory=list)
    detection: str
    detection_evidence: list[str] = Field(default_factory=list)
    root_cause: Claim
    contributing_factors: list[Claim] = Field(default_factory=list)
    resolution: Claim
    timeline: list[TimelineEvent] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list, description="What the evidence does not answer")
    metrics: Metrics = Field(default_factory=Metrics)
    notes: list[str] = Field(default_factory=list, description="How the report was made: analyzer, missing sources")

    @field_validator("lessons", mode="before")
    @classmethod
    def _cited_lessons(cls, value):
        # A checkpoint written before lessons cited evidence (run-result 1.0) resumes as uncited lessons.
        return [{"text": x, "evidence": []} if isinstance(x, str) else x for x in value or []]
