"""A small workspace whose incident discussion is full of pasted credentials, for the redaction tests."""

from __future__ import annotations

from tests.support.workspaces import workspace_dict

PRIVATE_KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDE1IKppV8ucYxs"
SECRETS = {  # what must never be shown, and the marker type each becomes
    "Pr0mo-Launch-2025": "password-in-url",
    "AKIAF9TNJZQMHAC2NUUB": "aws-access-key-id",
    "z91o2sjsS3gG0zdKi/OuChYNHNJcZAByo+tOEk3S": "aws-secret-key",
    "xoxb-771084408514-5847833013740-2hB4J5q3AU7RhiSWu2ARU3wY": "slack-token",
    "acme_live_9f8e7d6c5b4a3f2e1d0c": "acme-key",  # only known through POSTMORTEM_REDACT_PATTERNS
    PRIVATE_KEY_BODY: "private-key",
    "ghp_ox9yimTcfipZGnzPbDFDyFKm51zfFoWbSrHA": "github-token",
    "7f3c9a2e41b84d0d9e6b5a1c0f2d8e47b6a9c3d1": "bearer-token",
    "sk_live_xaP1Fnd4Nc493WZ0LllvBChf": "stripe-key",
    "Summer!Launch#25": "password",  # in MKT-8, which only a reference in the thread leads to
}
EXTRA_PATTERNS = "acme-key=acme_live_[a-z0-9]{20}"
USERS = [{"name": "ann", "real_name": "Ann Lee"}, {"name": "bo", "real_name": "Bo Chen"}]


def _msg(at: str, text: str, user: str = "ann") -> dict:
    return {"at": f"2025-08-04T{at}:00Z", "user": user, "text": text}


def leaky_workspace() -> dict:
    thread = _msg("09:00", "PROMO42 is rejected at checkout with Invalid Code since the CMS deploy")
    thread["replies"] = [
        _msg("09:02", "CMS can't reach its DB: DATABASE_URL=postgres://cms:Pr0mo-Launch-2025@db.internal:5432/cms",
             "bo"),
        _msg("09:04", "checked the promo bucket with aws_access_key_id = AKIAF9TNJZQMHAC2NUUB "
                      "aws_secret_access_key = z91o2sjsS3gG0zdKi/OuChYNHNJcZAByo+tOEk3S"),
        _msg("09:06", "the alert script posts with xoxb-771084408514-5847833013740-2hB4J5q3AU7RhiSWu2ARU3wY, "
                      "rotating it now", "bo"),
        _msg("09:08", "our CMS key acme_live_9f8e7d6c5b4a3f2e1d0c still works"),
        _msg("09:10", "Fixed: PROMO42 activated again in the CMS, follow-up in MKT-7 and MKT-8", "bo"),
    ]
    notes = ("PROMO42 failed because the CMS lost its database connection.\n\n"
             "```\n-----BEGIN PRIVATE KEY-----\n" + PRIVATE_KEY_BODY + "\n-----END PRIVATE KEY-----\n```\n\n"
             "Deploys used GITHUB_TOKEN=ghp_ox9yimTcfipZGnzPbDFDyFKm51zfFoWbSrHA, which is rotated.\n")
    issue = {"key": "MKT-7", "type": "Bug", "summary": "PROMO42 rejected at checkout", "status": "Done",
             "reporter": "ann", "assignee": "bo", "created": "2025-08-04T09:12:00Z",
             "description": "PROMO42 was rejected for every customer after the CMS deploy.",
             "comments": [{"author": "bo", "at": "2025-08-04T09:30:00Z",
                           "body": "PROMO42: the CMS API answered 200 to curl -H 'Authorization: Bearer "
                                   "7f3c9a2e41b84d0d9e6b5a1c0f2d8e47b6a9c3d1'; the Stripe key "
                                   "sk_live_xaP1Fnd4Nc493WZ0LllvBChf was fine."}]}
    rotate = {"key": "MKT-8", "summary": "Rotate the CMS admin credentials", "status": "To Do", "reporter": "bo",
              "created": "2025-08-04T09:40:00Z", "description": "The old CMS admin password=Summer!Launch#25 was "
                                                                 "shared in chat and must be rotated."}
    return workspace_dict(
        slack={"team": {"id": "T0TINY001", "name": "Tiny", "domain": "tiny"}, "users": USERS,
               "channels": [{"name": "incidents", "messages": [thread]}]},
        notion={"users": [], "pages": [
            {"title": "Post Mortems", "created": "2025-07-01T10:00:00Z", "content": "Incident reviews."},
            {"title": "PROMO42 incident notes", "created": "2025-08-04T10:00:00Z", "author": "ann", "content": notes}]},
        jira={"site": "tiny", "users": [], "projects": [{"key": "MKT", "name": "Marketing"}], "issues": [issue, rotate]},
    )


def leaks(text: str) -> list[str]:
    """The secrets `text` still holds (empty when it is clean)."""
    return [s for s in SECRETS if s in text]
