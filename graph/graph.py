"""The post-mortem graph, wiring only: plan -> gather_slack | gather_notion | gather_jira -> follow_references
-> analyze -> publish."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from graph.nodes.gather import gather_jira, gather_notion, gather_slack, plan
from graph.nodes.references import follow_references
from graph.nodes.report import analyze, publish
from graph.state import InputState, OutputState, State

GATHERS = ("gather_slack", "gather_notion", "gather_jira")


def build_graph(checkpointer=None):
    builder = StateGraph(State, input_schema=InputState, output_schema=OutputState)
    builder.add_node("plan", plan)
    builder.add_node("gather_slack", gather_slack)
    builder.add_node("gather_notion", gather_notion)
    builder.add_node("gather_jira", gather_jira)
    builder.add_node("follow_references", follow_references)
    builder.add_node("analyze", analyze)
    builder.add_node("publish", publish)

    builder.add_edge(START, "plan")
    for gather in GATHERS:  # one superstep: the three sources are read concurrently
        builder.add_edge("plan", gather)
    builder.add_edge(list(GATHERS), "follow_references")
    # No evidence at all: the run ends here and says what it searched, rather than publish a page about nothing.
    builder.add_conditional_edges("follow_references", lambda s: "analyze" if s.get("evidence") else END,
                                  ["analyze", END])
    builder.add_edge("analyze", "publish")
    builder.add_edge("publish", END)
    return builder.compile(checkpointer=checkpointer)
