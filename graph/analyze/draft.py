"""The answer the model is asked for: a draft report whose claims cite evidence ids (its JSON schema goes out with
every request)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.analyze.report import ActionItem, TimelineEvent


class DraftClaim(BaseModel):
    text: str = Field(description="One or two sentences, or 'unknown' when the evidence does not say")
    evidence: list[str] = Field(default_factory=list, description="Ids (E1, E2, …) of the evidence that supports it")


class DraftMetrics(BaseModel):
    started: str | None = Field(None, description="Id of the evidence item showing when the problem began")
    detected: str | None = Field(None, description="Id of the evidence item where it was first noticed or reported")
    resolved: str | None = Field(None, description="Id of the evidence item showing when it was fixed")


class DraftReport(BaseModel):
    """A blameless post-mortem written only from the numbered evidence, citing evidence ids for every claim."""

    title: str = Field(description="Short, specific, no date, e.g. 'Promo code SUMMER25 rejected at checkout'")
    summary: str
    summary_evidence: list[str] = Field(default_factory=list)
    impact: str
    impact_evidence: list[str] = Field(default_factory=list)
    detection: str = Field(description="How and by whom the problem was noticed")
    detection_evidence: list[str] = Field(default_factory=list)
    root_cause: DraftClaim
    contributing_factors: list[DraftClaim] = Field(default_factory=list, description="Only those the evidence shows")
    resolution: DraftClaim
    timeline: list[TimelineEvent] = Field(default_factory=list, description="Key events only, at most 20")
    action_items: list[ActionItem] = Field(default_factory=list)
    lessons: list[DraftClaim] = Field(default_factory=list, description="Only lessons the evidence shows, each citing it")
    open_questions: list[str] = Field(default_factory=list, description="What the evidence does not answer")
    metrics: DraftMetrics = Field(default_factory=DraftMetrics)
