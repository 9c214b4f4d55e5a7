"""Vocabulary and text builders for sandbox.generate: plausible chat lines, page bodies and issue texts."""

from __future__ import annotations

import random

FIRST = ("alex ana ben carla dan eva finn gina hugo iris jack kara liam maya noah olga paul quinn rosa sam tara "
         "umar vera will xena yuri zoe amir bea cole dana eli faye gus hana ivan jade kai lena milo nora omar "
         "pia raj sofia theo uma").split()
LAST = ("kim ortiz baptiste novak silva chen meyer rossi dubois khan lopez berg nagy costa haas ito moreau "
        "sato weber ali park quinn frost lund").split()
TITLES = ("Engineer", "Senior Engineer", "SRE", "Product Manager", "Designer", "Support Lead", "Marketing Ops",
          "Data Analyst", "Engineering Manager", "QA Engineer")
TEAMS = ("eng", "ops", "web", "data", "mobile", "payments", "growth", "support", "marketing", "design", "infra",
         "security", "platform", "sales")
TOPICS = ("general", "alerts", "deploys", "standup", "oncall", "random", "help", "releases", "reviews", "planning")
SYSTEMS = ("checkout", "payments API", "login service", "search index", "CDN", "orders database", "email queue",
           "mobile app", "promo engine", "billing job", "auth gateway", "inventory sync")
# Words the project's searches look for: enough of them that a search for any one has hits.
INCIDENT = ("outage", "incident", "rollback", "500 errors", "latency spike", "timeout", "degraded", "sev1", "sev2",
            "postmortem", "pager", "hotfix", "error rate", "root cause")
CHAT = (
    "Can someone review my PR for the {sys}?", "Standup: working on the {sys} cleanup today.",
    "Deployed {sys} v{n}.{m} to staging.", "Meeting notes for {sys} are in Notion.",
    "Anyone seen flaky tests in the {sys} suite?", "Reminder: planning at 14:00.", "Lunch anyone?",
    "Thanks {mention}, that fixed it.", "I'll pick up the {sys} ticket after lunch.",
    "Draft of the Q{q} roadmap is ready for comments.", "Load test for the {sys} passed, p95 at {n}0 ms.",
    "FYI the {sys} dashboard moved: <https://grafana.acme.test/d/{n}{m}|dashboard>.",
)
ALARM = (
    "Seeing {inc} on the {sys} since {hh}:{mm} UTC.", "{mention} are you on it? The {sys} has {inc} again.",
    "Declaring an incident: {sys} {inc}. Bridge is open.", "Rolled back the {sys} deploy, {inc} is dropping.",
    "Customers report {inc} at the {sys}, support has {n} tickets.", "Root cause for the {sys} {inc}: a bad config push.",
    "Status page updated for the {sys} {inc}.", "Is the {sys} {inc} related to the deploy at {hh}:{mm}?",
)
REPLY = ("On it.", "Looking now.", "+1", "Confirmed on my side.", "Can you share the logs?", "Fixed, please verify.",
         "Not yet, still digging.", "Done.", "Good catch!", "Which environment?", "I'll open a Jira ticket.",
         "Error rate back to normal.", "Let's write this up in the postmortem.")
EMOJI = ("eyes", "white_check_mark", "+1", "fire", "rotating_light", "tada", "thinking_face", "pray")
ROOTS = ("Engineering", "Post Mortems", "Runbooks", "Product", "Marketing", "Team Handbook", "Meeting Notes",
         "Projects")
PAGE_KINDS = ("Runbook", "Design doc", "Meeting notes", "Retro", "Spec", "Onboarding", "Postmortem", "Checklist")
ISSUE_VERBS = ("Fix", "Investigate", "Add", "Remove", "Migrate", "Document", "Monitor", "Speed up", "Refactor")
LABELS = ("backend", "frontend", "incident", "tech-debt", "customer", "launch", "infra", "flaky", "security")


def _fill(rng: random.Random, template: str, mention: str) -> str:
    return template.format(sys=rng.choice(SYSTEMS), inc=rng.choice(INCIDENT), mention=mention, n=rng.randint(1, 9),
                           m=rng.randint(0, 9), q=rng.randint(1, 4), hh=f"{rng.randint(0, 23):02d}",
                           mm=f"{rng.randint(0, 59):02d}")


def chat_line(rng: random.Random, mention: str, alarm: bool) -> str:
    return _fill(rng, rng.choice(ALARM if alarm else CHAT), mention)


def reply_line(rng: random.Random, mention: str) -> str:
    return rng.choice(REPLY) if rng.random() < 0.8 else _fill(rng, rng.choice(ALARM), mention)


def page_title(rng: random.Random, n: int) -> str:
    kind = rng.choice(PAGE_KINDS)
    # Notion search matches titles, so incident pages carry the incident words in theirs.
    what = f"{rng.choice(SYSTEMS)} {rng.choice(INCIDENT)}" if kind in ("Postmortem", "Retro") else rng.choice(SYSTEMS)
    return f"{kind}: {what} #{n}"


def page_content(rng: random.Random, title: str, people: list[str]) -> str:
    """A Markdown body using the format's subset: headings, bullets, to-dos, now and then a table or code."""
    sys, inc = rng.choice(SYSTEMS), rng.choice(INCIDENT)
    lines = [f"Notes about the **{sys}** ({title.lower()}).", "## Summary",
             f"On day {rng.randint(1, 28)} the {sys} had {inc}; see [the dashboard](https://grafana.acme.test/{sys[:4]}).",
             "## Details"]
    lines += [f"- {_fill(rng, rng.choice(ALARM + CHAT), people[0])}" for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:
        lines += ["", "| Time (UTC) | Event | Owner |", "|---|---|---|"]
        lines += [f"| {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} | {rng.choice(REPLY)} | {rng.choice(people)} |"
                  for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.2:
        lines += ["### Commands", "```bash", f"kubectl rollout undo deploy/{sys.split()[0].lower()}", "```"]
    lines += ["## Action items"]
    lines += [f"- [{'x' if rng.random() < 0.5 else ' '}] {rng.choice(ISSUE_VERBS)} {rng.choice(SYSTEMS)} alerting"
              for _ in range(rng.randint(1, 3))]
    lines += [f"1. {rng.choice(REPLY)}", f"> {rng.choice(CHAT).split('{')[0].strip() or 'Keep it blameless.'}"]
    return "\n".join(lines) + "\n"


def issue_summary(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f"{rng.choice(SYSTEMS).capitalize()} {rng.choice(INCIDENT)} after deploy"
    return f"{rng.choice(ISSUE_VERBS)} {rng.choice(SYSTEMS)} {rng.choice(('alerts', 'tests', 'config', 'docs', 'limits'))}"


def issue_description(rng: random.Random, people: list[str]) -> str:
    return (f"{_fill(rng, rng.choice(ALARM + CHAT), people[0])}\n\n"
            f"Acceptance: the {rng.choice(SYSTEMS)} has no {rng.choice(INCIDENT)} for a week.")


def comment_body(rng: random.Random, mention: str) -> str:
    return _fill(rng, rng.choice(ALARM + CHAT), mention) if rng.random() < 0.5 else rng.choice(REPLY)
