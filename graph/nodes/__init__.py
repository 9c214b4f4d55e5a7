"""The graph's nodes: plan, the three gathers and follow_references; analyze and publish."""
