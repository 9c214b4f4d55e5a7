"""The tickets form: what it accepts, and how an action item reads as a ticket."""

from __future__ import annotations

from bot.tickets import incident_ticket, summary, validate


def _values(project: str | None, chosen: list[str]) -> dict:
    return {"project": {"key": {"type": "plain_text_input", "value": project}},
            "items": {"chosen": {"type": "checkboxes", "selected_options": [{"value": v} for v in chosen]}}}


def test_a_project_key_and_at_least_one_item_are_needed():
    assert validate(_values("MKT", ["0"])) == {}
    assert set(validate(_values("", ["0"]))) == {"project"}
    assert set(validate(_values("MKT 1", []))) == {"project", "items"}


def test_chat_wording_becomes_a_ticket_summary():
    assert summary("I'll add a synthetic checkout test.") == "Add a synthetic checkout test"
    assert summary("we should   document the toggle") == "Document the toggle"
    assert summary("Alert when a code is inactive") == "Alert when a code is inactive"


def test_new_tickets_relate_to_the_incidents_own_ticket_not_any_ticket_in_scope():
    evidence = [{"source": "jira", "kind": "issue", "key": "ENG-88", "text": "ENG-88 [Done] Alert. Type: Task."},
                {"source": "jira", "kind": "issue", "key": "MKT-151", "text": "MKT-151 [Done] Promo. Type: Incident."}]
    assert incident_ticket({"evidence": evidence}) == "MKT-151"
    labelled = [{"source": "jira", "kind": "issue", "key": "OPS-7", "text": "OPS-7 [Open] x. Type: Bug. Labels: sev2, incident."}]
    assert incident_ticket({"evidence": labelled}) == "OPS-7"
    assert incident_ticket({"evidence": evidence[:1]}) is None
