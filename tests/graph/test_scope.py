"""The incident's own range and scope: the episode it lives in, what is left out around it and what comes back."""

from __future__ import annotations

from graph.evidence import Evidence, parse_iso
from graph.scope import change_names, describe_scope, find_scope, in_scope
from graph.terms import incident_dates, is_match, match_count

TERMS = ["zap9", "checkout"]


def msg(at: str, text: str, channel: str = "C0OPS0001", thread: str | None = None, **kw) -> Evidence:
    ts = f"{parse_iso(at).timestamp():.6f}"
    return Evidence(source="slack", ref=f"{channel}/{ts}", channel=channel.lower(), thread_ts=thread, url="u", at=at,
                    author="Ana", text=text, matched=is_match(text, TERMS), score=float(match_count(text, TERMS)), **kw)


def thread(at: str, texts: list[str], channel: str = "C0OPS0001") -> list[Evidence]:
    root = f"{parse_iso(at).timestamp():.6f}"
    start = parse_iso(at).timestamp()
    return [msg(_iso(start + 60 * i), t, channel, thread=root) for i, t in enumerate(texts)]


def issue(key: str, at: str, text: str, kind: str = "issue") -> Evidence:
    return Evidence(source="jira", ref=key, key=key, url="u", at=at, text=f"{key} {text}", kind=kind,
                    matched=is_match(text, TERMS), score=float(match_count(text, TERMS)))


def page(title: str, at: str, text: str) -> Evidence:
    return Evidence(source="notion", ref=f"{abs(hash(title)):032x}"[:32], title=title, url="u", at=at,
                    text=f"{title}\n{text}", kind="page", matched=is_match(title + " " + text, TERMS))


def _iso(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


OLD = thread("2025-07-20T10:00:00Z", ["ZAP9 checkout errors again", "looking", "fixed, a config typo"])
NOW = thread("2025-08-04T12:00:00Z", ["ZAP9 is rejected at checkout for everyone", "on it", "it's the 2.3 release",
                                      "rolled back, checkout works", "confirmed, resolved"])
OLD_TICKET = [issue("OPS-1", "2025-07-20T10:05:00Z", "ZAP9 checkout errors"),
              issue("OPS-1", "2025-07-20T11:00:00Z", "status In Progress -> Done", kind="change")]


def refs(items: list[Evidence]) -> set[str]:
    return {e.ref for e in items}


def test_the_latest_episode_is_the_incident_and_an_older_one_with_the_same_words_is_left_out():
    items = [*OLD, *OLD_TICKET, *NOW]
    scope = find_scope(items, TERMS, [], None)
    assert (scope.start, scope.end) == (parse_iso(NOW[0].at), parse_iso(NOW[-1].at))
    kept, out = in_scope(items, scope, TERMS)
    assert refs(kept) == refs(NOW) and refs(out) == refs(OLD) | {"OPS-1"}


def test_a_date_typed_in_the_request_or_the_thread_it_came_from_picks_the_older_episode():
    items = [*OLD, *OLD_TICKET, *NOW]
    dated = find_scope(items, TERMS, incident_dates("zap9 checkout 2025-07-20"), None)
    assert dated.start == parse_iso(OLD[0].at)
    seeded = find_scope(items, TERMS, [], {"channel": "C0OPS0001", "ts": OLD[0].thread_ts})
    assert seeded.start == parse_iso(OLD[0].at)


def test_set_up_naming_the_incident_just_before_it_stays_a_word_shared_elsewhere_does_not():
    setup = msg("2025-08-03T19:00:00Z", "ZAP9 checkout code goes live tomorrow", channel="C0MKT0001")
    chatter = msg("2025-08-01T12:00:00Z", "the checkout line at lunch was long", channel="C0RANDOM1")
    plan = page("Q3 planning", "2025-03-01T09:00:00Z", "checkout redesign ideas")  # shares one word
    about = page("ZAP9 launch plan", "2025-03-01T09:00:00Z", "the ZAP9 code at checkout")  # names it fully
    about.edited = "2025-08-02T09:00:00Z"
    items = [setup, chatter, plan, about, *NOW]
    kept, out = in_scope(items, find_scope(items, TERMS, [], None), TERMS)
    assert {setup.ref, about.ref} <= refs(kept)
    assert refs(out) == {chatter.ref, plan.ref}


def test_follow_ups_after_the_range_stay_chatter_after_it_does_not():
    follow = issue("OPS-9", "2025-08-05T09:00:00Z", "Follow-up: alert when a ZAP9 checkout code is inactive")
    later = msg("2025-08-05T11:00:00Z", "anyone for checkout of the new coffee machine?", channel="C0RANDOM1")
    items = [*NOW, follow, later]
    kept, out = in_scope(items, find_scope(items, TERMS, [], None), TERMS)
    assert follow.ref in refs(kept) and refs(out) == {later.ref}


def test_a_thread_naming_the_incident_ticket_is_the_incidents_whatever_words_it_uses():
    ticket = issue("INC-7", "2025-08-04T12:03:00Z", "ZAP9 rejected at checkout")
    sev = thread("2025-08-04T12:10:00Z", ["SEV2 declared, tracking in INC-7", "comms drafted"], channel="C0INCIDNT")
    items = [*NOW, ticket, *sev]
    scope = find_scope(items, TERMS, [], None)
    assert "C0INCIDNT" in scope.channels and "INC-7" in scope.keys
    kept, out = in_scope(items, scope, TERMS)
    assert refs(sev) <= refs(kept) and not out


def test_too_little_to_go_on_leaves_everything_in_and_says_no_range():
    items = [msg("2025-08-04T12:00:00Z", "ZAP9 checkout question"), page("ZAP9", "2025-01-01T00:00:00Z", "x")]
    scope = find_scope(items, TERMS, [], None)
    kept, out = in_scope(items, scope, TERMS)
    assert scope.start is None and kept == items and out == []
    assert scope.summary(TERMS, None)["core_range"] is None
    assert "own range" not in describe_scope(scope.summary(TERMS, None))


def test_an_older_page_naming_the_incident_stays_only_if_it_was_worked_on_around_it():
    plan = page("ZAP9 launch plan", "2025-07-01T09:00:00Z", "the ZAP9 code at checkout")
    plan.edited = "2025-08-03T19:00:00Z"  # the launch checklist, edited the evening before
    old = page("ZAP9 checkout review (July)", "2025-07-01T09:00:00Z", "the ZAP9 code at checkout failed")
    old.edited = "2025-07-02T10:00:00Z"  # a review of another episode, untouched since
    items = [plan, old, *NOW]
    kept, out = in_scope(items, find_scope(items, TERMS, [], None), TERMS)
    assert plan.ref in refs(kept) and refs(out) == {old.ref}


def test_the_change_names_its_evidence_keeps_repeating_are_what_to_look_for():
    items = [msg("2025-08-04T12:00:00Z", "ZAP9 checkout broke after 2.3.1, see #4521"),
             msg("2025-08-04T12:05:00Z", "rolling back 2.3.1 (PR #4521 reverted)"),
             msg("2025-08-04T12:06:00Z", "node 10.2.3.4 is fine, #12 is unrelated")]
    assert change_names(items) == ["#4521", "2.3.1"]
