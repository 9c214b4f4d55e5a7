"""Editing one part of a published page in place: a section replaced (an approved redraft), ticket keys on to-dos."""

from __future__ import annotations

from graph.analyze.report import Claim
from graph.publish.sections import mark_tickets, plain, replace_section, report_blocks_of, section
from tests.graph.publish.test_notion import PARENT, blocks_for, client_for, notion_ws, publish
from tests.graph.publish.test_render import sample_report


def _texts(blocks: list[dict]) -> list[str]:
    return [plain(b) for b in blocks]


def test_a_section_is_replaced_and_every_other_block_stays_as_it_was(make_sandbox):
    sb = make_sandbox(notion_ws(PARENT))
    page = publish(sb)
    client = client_for(sb)
    _, before = report_blocks_of(client, page["id"])
    report = sample_report()
    report.root_cause = Claim(text="The activation step was skipped: the code stayed inactive.", evidence=[])
    new_blocks = blocks_for(report=report)
    head = next(i for i, b in enumerate(new_blocks) if b["type"] == "heading_2"
                and b["heading_2"]["rich_text"][0]["text"]["content"] == "Root cause")
    deleted = replace_section(client, page["id"], "Root cause", new_blocks[head + 1:head + 2])
    _, after = report_blocks_of(client, page["id"])
    assert deleted == 1 and len(after) == len(before)
    assert _texts(section(after, "Root cause")[1]) == [
        "The activation step was skipped: the code stayed inactive. (unverified)"]  # no evidence cited: said so
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a["id"] != b["id"]]
    assert len(changed) == 1, "only the section's block is new; every other block keeps its id"
    assert _texts(section(after, "Summary")[1]) == _texts(section(before, "Summary")[1])


def test_ticket_keys_go_onto_their_to_dos_once_before_the_citations(make_sandbox):
    sb = make_sandbox(notion_ws(PARENT))
    page = publish(sb)
    client = client_for(sb)
    items = sample_report().action_items
    first = items[0].text
    assert mark_tickets(client, page["id"], {first: ("MKT-200", "https://jira.example/browse/MKT-200")}) == 1
    assert mark_tickets(client, page["id"], {first: ("MKT-200", None)}) == 0, "a key already there is not added twice"
    _, blocks = report_blocks_of(client, page["id"])
    todos = [b for b in section(blocks, "Action items")[1] if b["type"] == "to_do"]
    line = plain(todos[0])
    assert line.startswith(first) and "· MKT-200" in line
    if "[E" in line:
        assert line.index("MKT-200") < line.index("[E"), "the key comes before the evidence citations"
    assert all("MKT-200" not in plain(t) for t in todos[1:])
