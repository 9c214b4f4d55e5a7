"""Who a ticket goes to: an owner's name as the post-mortem writes it, resolved to one Jira account."""

from __future__ import annotations

from jira import JIRA


def is_cloud(deployment: str | None) -> bool:
    """Jira's serverInfo deploymentType ('Cloud', 'DataCenter', 'Server') or the sandbox's 'cloud'/'datacenter'."""
    return (deployment or "").strip().lower() == "cloud"


def resolve_assignee(client: JIRA, name: str, deployment: str) -> dict | None:
    """The assignee field for `name` ({"accountId": …} on Cloud, {"name": …} on Data Center and Server), or None
    when no single active person matches.

    Cloud finds people by `query` (a prefix of the display name, one of its words, or the email); Data Center by
    `username` (the same, plus the username). A name, email or username matched whole wins over prefixes, so
    'Mike Baptiste' is found among two Mikes; a lone prefix match is taken ('Mike' when only one Mike exists).
    Apps and inactive accounts never match. Jira's own errors (JIRAError, requests' exceptions) propagate."""
    wanted = name.strip().lstrip("@").strip()
    if not wanted:
        return None
    cloud = is_cloud(deployment)
    found = client.search_users(query=wanted, maxResults=50) if cloud else client.search_users(user=wanted,
                                                                                              maxResults=50)
    people: dict[str, dict] = {}
    for user in found:
        raw = user.raw
        if raw.get("active") is False or raw.get("accountType", "atlassian") != "atlassian":
            continue
        ident = raw.get("accountId") if cloud else raw.get("name")
        if ident:
            people[ident] = raw
    fold = wanted.casefold()
    whole = [ident for ident, raw in people.items()
             if fold in {str(raw.get(k) or "").casefold() for k in ("displayName", "emailAddress", "name")}]
    pick = whole or list(people)
    if len(pick) != 1:
        return None
    return {"accountId": pick[0]} if cloud else {"name": pick[0]}
