"""The summer25 incident as evidence items (thread, tickets, write-up and noise), for the offline analyzer tests."""

from __future__ import annotations

from graph.analyze.report import Report
from graph.evidence import Evidence, parse_iso

PARENT_TS = "1754298442.000000"


def slack(at: str, author: str, text: str, kind: str = "reply", matched: bool = False,
          channel: str = "marketing-ops", thread: str | None = PARENT_TS) -> Evidence:
    ts = f"{parse_iso(at).timestamp():.6f}"
    return Evidence(source="slack", ref=f"C0MKTOPS1/{ts}", channel=channel, thread_ts=thread,
                    url=f"https://acme.slack.com/archives/C0MKTOPS1/p{ts.replace('.', '')}", at=at, author=author,
                    text=text, kind=kind, matched=matched)


def jira(key: str, at: str, author: str, text: str, kind: str = "issue", title: str = "",
         matched: bool = False) -> Evidence:
    return Evidence(source="jira", ref=key, key=key, title=title or None, url=f"https://acme.atlassian.net/browse/{key}",
                    at=at, author=author, text=text, kind=kind, matched=matched)


INCIDENT_TITLE = "SUMMER25 promo code rejected at checkout"


def summer25() -> list[Evidence]:
    items = [
        slack("2025-08-03T19:42:10Z", "Stefan Ortiz", "SUMMER25 is set up in the CMS, going live tomorrow morning "
              ":rocket: Email blast goes at 06:00 UTC.", kind="message", matched=True, thread=None),
        slack("2025-08-04T09:07:22Z", "Stefan Ortiz", "Heads up: customers are telling us the SUMMER25 code shows "
              "\"Invalid Code\" at checkout. Anyone else seeing this?", kind="message", matched=True),
        slack("2025-08-04T09:07:38Z", "Tom Becker", "Confirmed, reproduced it on staging with a fresh account, same "
              "error. Rules look fine, so I suspect it's an activation issue."),
        slack("2025-08-04T09:07:47Z", "Lea Fischer", "Just checked the CMS: the code is set up but its status is "
              "'inactive'. Looks like it was never toggled live."),
        slack("2025-08-04T09:08:19Z", "Jonas Weber", "Who owned the activation checklist this time? I thought that "
              "was done last night."),
        slack("2025-08-04T09:08:46Z", "Mike Baptiste", "Activated it in the CMS just now. Works for new sessions; some "
              "users may keep seeing the error for a while because of caching."),
        slack("2025-08-04T09:09:02Z", "Lea Fischer", "thanks! :pray:"),
        slack("2025-08-04T09:12:40Z", "Stefan Ortiz", "Incident ticket is MKT-151, assigned to <@U0MIKE001>."),
        slack("2025-08-04T09:15:03Z", "Priya Nair", "Customer reports have stopped over the last few minutes, and the "
              "new checkouts we're checking go through with the discount applied."),
        slack("2025-08-04T09:31:12Z", "Priya Nair", "From the checkout logs: ~140 failed checkout attempts with the "
              "code between 06:00 and 09:08, roughly 95 unique customers. I'll put it in MKT-151 too."),
        slack("2025-08-04T09:40:05Z", "Jonas Weber", "We should add activation to the launch checklist with a named "
              "owner. The step was on the list but nobody was assigned, so everybody assumed someone else did it."),
        slack("2025-08-04T09:52:44Z", "Stefan Ortiz", "Started the write-up: <https://www.notion.so/Promo-Code-Error-"
              "24539f4de2198011a3c2c0de5a1e0425|incident notes>. Jira: MKT-142 is the launch checklist task, MKT-151 "
              "is the incident ticket."),
        slack("2025-08-04T09:18:02Z", "Mike Baptiste", "FYI the CDN cache TTL on the promo validation endpoint is "
              "1h, so worst case stragglers until ~10:08 UTC. I purged what I could."),
        slack("2025-08-04T10:15:37Z", "Stefan Ortiz", "Follow-ups from this morning are filed: MKT-152 (named owner "
              "for activation), ENG-88 (alerting). Notes: incident notes (https://www.notion.so/24539f4de2198011).",
              kind="message", matched=False, thread=None),
        slack("2025-08-04T10:06:10Z", "Tom Becker", "Filed ENG-88 so we get an alert when a live campaign's code is "
              "inactive. Should be a small check against the CMS API."),
        jira("MKT-151", "2025-08-04T09:12:00Z", "Stefan Ortiz", f"MKT-151 [Done] {INCIDENT_TITLE}. Type: Incident. "
             "Assignee: Mike Baptiste. Labels: summer25, incident. Customers report \"Invalid Code\" when applying "
             "SUMMER25 at checkout since the launch email went out at 06:00 UTC. The code exists in the CMS but its "
             "status is inactive.", title=INCIDENT_TITLE, matched=True),
        jira("MKT-151", "2025-08-04T09:13:00Z", "Mike Baptiste", "MKT-151 status To Do -> In Progress", "change",
             INCIDENT_TITLE),
        jira("MKT-151", "2025-08-04T09:20:00Z", "Mike Baptiste", "MKT-151 comment: Activated SUMMER25 in the CMS at 09:08 UTC; CDN cache "
             "TTL is 1h, so some sessions may see the old response until ~10:08.", "comment", INCIDENT_TITLE, True),
        jira("MKT-151", "2025-08-04T09:30:00Z", "Mike Baptiste", "MKT-151 status In Progress -> Done", "change",
             INCIDENT_TITLE),
        jira("MKT-151", "2025-08-04T09:33:00Z", "Priya Nair", "MKT-151 comment: ~140 affected checkout attempts between 06:00 and "
             "09:08 UTC, roughly 95 unique customers. No new reports since 09:15.", "comment", INCIDENT_TITLE),
        # The launch task: no Assignee field, as the Jira gatherer writes an unassigned issue.
        jira("MKT-142", "2025-07-28T10:00:00Z", "Stefan Ortiz", "MKT-142 [Done] Activate SUMMER25 promo code before "
             "launch. Type: Task. Labels: summer25, launch. Launch checklist step: toggle the code active before the "
             "06:00 UTC email blast.", title="Activate SUMMER25 promo code before launch", matched=True),
        jira("MKT-142", "2025-07-29T09:45:00Z", "Jonas Weber", "MKT-142 comment: Who's picking up the CMS step? "
             "Raised it at standup but no one claimed it.", "comment", "Activate SUMMER25 promo code before launch",
             True),
        jira("MKT-152", "2025-08-04T10:05:00Z", "Stefan Ortiz", "MKT-152 [To Do] Add named owner to promo activation "
             "step in launch checklist. Assignee: Stefan Ortiz. Labels: summer25, follow-up. Follow-up from MKT-151. "
             "The activation step existed on the checklist but had no owner.",
             title="Add named owner to promo activation step in launch checklist", matched=True),
        jira("ENG-88", "2025-08-04T10:04:00Z", "Tom Becker", "ENG-88 [To Do] Alert when a live campaign's promo code "
             "is inactive. Assignee: Tom Becker. Labels: summer25, follow-up. Follow-up from MKT-151.",
             title="Alert when a live campaign's promo code is inactive", matched=True),
        Evidence(source="notion", ref="24539f4d-e219-8011-a3c2-c0de5a1e0425", title="Promo Code Error – July 25 "
                 "Launch Campaign", url="https://www.notion.so/24539f4de2198011a3c2c0de5a1e0425",
                 at="2025-08-04T09:49:00Z", author="Stefan Ortiz", kind="page", matched=True,
                 text="**Status:** draft. Incident ticket: [MKT-151](https://acme.atlassian.net/browse/MKT-151)\n"
                      "# What happened\nCustomers entering the SUMMER25 code at checkout got \"Invalid Code\"."),
        # Noise the ranking let through: an old, unrelated incident and a brand page.
        slack("2025-07-22T09:20:47Z", "Mike Baptiste", "Fixed the warmup script, v2.30.0 is out. Closing.",
              channel="incidents", thread="1753174502.000000"),
        Evidence(source="notion", ref="1a239f4d", title="Brand guidelines", url="https://www.notion.so/1a239f4d",
                 at="2025-02-10T12:00:00Z", author="Lea Fischer", kind="page",
                 text="Keep clear space around the logo. Never stretch or recolour the logo."),
    ]
    for n, e in enumerate(items, 1):
        e.id = f"E{n}"
    return items


def by_author_at(evidence: list[Evidence], at: str) -> str:
    return next(e.id for e in evidence if e.at == at)


def cited_ids(report: Report) -> list[str]:
    ids = [*report.summary_evidence, *report.impact_evidence, *report.detection_evidence,
           *report.root_cause.evidence, *report.resolution.evidence]
    ids += [i for c in report.contributing_factors for i in c.evidence]
    ids += [i for t in report.timeline for i in t.evidence]
    return ids + [i for a in report.action_items for i in a.evidence]
