"""The sandbox Slack's message box: posting as a chosen user, what Slack refuses, commands reaching the real bot."""

from __future__ import annotations

import pytest

from sandbox.server import Sandbox
from sandbox.slack.socket import hub_of
from tests.support.bot import final_reply, page_link, page_text, running_bot, wait_until
from tests.support.slack_pages import fragment, get, send, uid


# --- the message box --------------------------------------------------------------------------------------
def test_posting_from_the_box_as_a_chosen_user_creates_the_message(tiny):
    s = tiny.state("slack")
    page = get(f"{tiny.urls['slack']}/archives/C0INCID001")
    assert '<select id="as" name="user">' in page and f'<option value="{uid(tiny, "ana")}" selected>' in page
    out = send(tiny, "C0INCID001", uid(tiny, "ben"), "hi @Ana Lopez and @cara, see #incidents <b>not bold</b>")
    assert out["posted"] and out["kind"] == "message" and out["clear"]
    msg = s.message("C0INCID001", out["ts"])
    assert msg.user == uid(tiny, "ben") and not msg.bot
    assert msg.text == (f"hi <@{uid(tiny, 'ana')}> and <@{uid(tiny, 'cara')}>, see <#C0INCID001> "
                        "&lt;b&gt;not bold&lt;/b&gt;")
    html = fragment(tiny, "C0INCID001")
    assert "hi <b>@Ana Lopez</b> and <b>@Cara Diaz</b>" in html and "&lt;b&gt;not bold&lt;/b&gt;" in html
    parent = s.messages("C0INCID001")[1]
    reply = send(tiny, "C0INCID001", uid(tiny, "cara"), "me too", thread_ts=parent.ts)
    assert s.message("C0INCID001", reply["ts"]).thread_ts == parent.ts
    assert "4 replies" in get(f"{tiny.urls['slack']}/archives/C0INCID001")


def test_a_private_channel_lets_only_its_members_type_and_says_who_can_see_it(tiny):
    page = get(f"{tiny.urls['slack']}/archives/G0SECRET01")
    assert "Private channel: only its members can see it — Ana Lopez and the postmortem app." in page
    assert uid(tiny, "ana") in page.split('<select id="as"')[1] and uid(tiny, "ben") not in page.split('<select')[1]
    out = send(tiny, "G0SECRET01", uid(tiny, "ben"), "let me in")
    assert out["error"] == "cant_post" and len(tiny.state("slack").messages("G0SECRET01")) == 1


def test_commands_slack_refuses_never_reach_the_bot(tiny):
    hub, s = hub_of(tiny), tiny.state("slack")
    parent = s.messages("C0INCID001")[1]
    ana = uid(tiny, "ana")
    out = send(tiny, "C0INCID001", ana, "/postmortem summer25", thread_ts=parent.ts)
    assert out["error"] == "not_supported_in_threads" and not out["posted"]
    assert "/postmortem is not supported in threads. Sorry!" in fragment(tiny, "C0INCID001", ana, parent.ts)
    assert "not supported" not in fragment(tiny, "C0INCID001", uid(tiny, "ben"), parent.ts)  # only the typist sees it
    out = send(tiny, "C0INCID001", ana, "/nosuch thing")
    assert out["error"] == "invalid_command"
    assert "/nosuch is not a valid command." in fragment(tiny, "C0INCID001", ana)
    out = send(tiny, "C0INCID001", ana, "/postmortem summer25")  # no bot connected, no Request URL
    assert out["error"] == "no_bot" and "postmortem dev" in out["notice"] and not out["clear"]
    assert hub.sent == [] and len(s.messages("C0INCID001")) == 2


def test_a_mention_typed_in_a_thread_is_posted_there_even_when_no_bot_is_listening(tiny):
    s, ana = tiny.state("slack"), uid(tiny, "ana")
    parent = s.messages("C0INCID001")[1]
    out = send(tiny, "C0INCID001", ana, "@postmortem write this up", thread_ts=parent.ts)
    assert out["kind"] == "mention" and out["posted"] and out["error"] == "no_bot"
    msg = s.message("C0INCID001", out["ts"])
    assert (msg.thread_ts, msg.text) == (parent.ts, f"<@{s.bot_user_id}> write this up")
    assert "<b>@Postmortem</b> write this up" in fragment(tiny, "C0INCID001", ana, parent.ts)


# --- the real bot -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def summer(tmp_path_factory):
    with Sandbox() as sb:
        yield sb, tmp_path_factory.mktemp("ui-bot")


def _command_makes_a_thread(sb) -> None:
    stefan, s = uid(sb, "stefan"), sb.state("slack")
    seen = {m.ts for m in s.messages("C0MKTOPS1")}
    out = send(sb, "C0MKTOPS1", stefan, "/postmortem summer25")
    assert out["posted"] and out["delivery"]["acked"]
    parent = wait_until(lambda: [m for m in s.messages("C0MKTOPS1") if m.ts not in seen and m.bot], what="parent")[0]
    assert parent.text == f"Post-mortem for *summer25* requested by <@{stefan}>"
    from sandbox.slack.events import SlackDriver

    result = final_reply(SlackDriver(sb), "marketing-ops", parent.ts)
    assert "SUMMER25" in page_text(page_link(result))
    thread = fragment(sb, "C0MKTOPS1", stefan, parent.ts)
    assert "Slack: " in thread and "done ✅" in thread and "post-mortem page" in thread


def test_a_command_typed_in_the_box_reaches_the_bot_over_socket_mode(summer):
    sb, tmp = summer
    with running_bot(sb, tmp, socket=True):
        wait_until(lambda: hub_of(sb).connections, what="the Socket Mode connection")
        before = len(hub_of(sb).sent)
        _command_makes_a_thread(sb)
        assert hub_of(sb).sent[before]["type"] == "slash_commands"
        out = send(sb, "C0MKTOPS1", uid(sb, "mike"), "/postmortem help")  # the ack's text, shown only to mike
        assert out["posted"]
        html = fragment(sb, "C0MKTOPS1", uid(sb, "mike"))
        assert "Only visible to you" in html and "How to use me" in html
        assert "How to use me" not in fragment(sb, "C0MKTOPS1", uid(sb, "stefan"))


def test_a_command_typed_in_the_box_reaches_the_bot_over_signed_http(summer):
    sb, tmp = summer
    wait_until(lambda: not hub_of(sb).connections, what="no Socket Mode connection")
    with running_bot(sb, tmp) as (bot, _):
        sb.ctx.bot_url = bot.url + "/slack/events"  # the app's Request URL; Bolt checks every signature
        try:
            sent = len(hub_of(sb).sent)
            _command_makes_a_thread(sb)
            assert len(hub_of(sb).sent) == sent  # nothing went over Socket Mode
            out = send(sb, "C0MKTOPS1", uid(sb, "lea"), "@postmortem summer25")
            assert out["kind"] == "mention" and (out["delivery"]["via"], out["delivery"]["acked"]) == ("http", True)
            mention = sb.state("slack").message("C0MKTOPS1", out["ts"])
            assert mention.text == f"<@{sb.state('slack').bot_user_id}> summer25"
            from sandbox.slack.events import SlackDriver

            assert final_reply(SlackDriver(sb), "marketing-ops", mention.ts)["text"].startswith("Post-mortem ")
        finally:
            sb.ctx.bot_url = None
