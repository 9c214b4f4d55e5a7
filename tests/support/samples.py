"""Evidence samples from the summer25 thread and incident ticket, shared by the analyzer and grounding tests."""

from graph.evidence import Evidence

EVIDENCE = [
    Evidence(
        id="E1",
        source="slack",
        ref="C0MKTOPS1/1754298442.908189",
        channel="marketing-ops",
        url="https://slack.test/1",
        at="2025-08-04T09:07:22Z",
        author="Stefan Ortiz",
        text='Customers say SUMMER25 shows "Invalid Code" at checkout',
    ),
    Evidence(
        id="E2",
        source="slack",
        ref="C0MKTOPS1/1754298467.000100",
        channel="marketing-ops",
        kind="reply",
        url="https://slack.test/2",
        at="2025-08-04T09:07:47Z",
        author="Lea Novak",
        text="Code is set up in the CMS but status 'inactive', never toggled live",
    ),
    Evidence(
        id="E3",
        source="slack",
        ref="C0MKTOPS1/1754298526.000200",
        channel="marketing-ops",
        kind="reply",
        url="https://slack.test/3",
        at="2025-08-04T09:08:46Z",
        author="Mike Baptiste",
        text="Activated it, works for new sessions. Follow-ups: ENG-88 and SUP-40",
    ),
    Evidence(
        id="E4",
        source="jira",
        ref="MKT-151",
        key="MKT-151",
        title="SUMMER25 promo code rejected at checkout",
        url="https://jira.test/browse/MKT-151",
        at="2025-08-04T09:30:00Z",
        author="Mike Baptiste",
        text="Done",
        kind="change",
    ),
]
