"""Tickets made from a post-mortem's action items (Jira: jira_create.create_tickets)."""
