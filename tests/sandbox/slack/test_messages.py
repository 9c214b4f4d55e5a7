"""Messages on the sandbox Slack pages: Block Kit and mrkdwn rendered safely, threads folded under their parent."""

from __future__ import annotations

from tests.support.slack_pages import bot_client, fragment, get, uid


# --- rendering --------------------------------------------------------------------------------------------
def test_a_bot_reply_renders_its_block_kit_and_everything_is_escaped(tiny):
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Post-mortem <img src=x onerror=alert(1)>"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*<https://notion.test/p-1|SUMMER25 review>*\n"
                                     f"_I created_ a ~new~ page :white_check_mark: for <@{uid(tiny, 'ana')}> `run-7`"},
         "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Open"}, "url": "https://notion.test"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Owner*\nTom"},
                                       {"type": "plain_text", "text": "Status: done"}]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Sources: Slack · :warning: Jira down"},
                                         {"type": "mrkdwn", "text": "<javascript:alert(1)|click me>"}]},
        {"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Retry"},
                                          "style": "primary", "action_id": "retry"}]},
        {"type": "rich_text", "elements": [
            {"type": "rich_text_list", "style": "bullet", "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": "<script>x()</script>",
                                                            "style": {"bold": True}}]}]},
            {"type": "rich_text_section", "elements": [{"type": "emoji", "name": "tada", "unicode": "1f389"},
                                                       {"type": "emoji", "name": "evil", "unicode": "3c-69-3e"}]},
            {"type": "rich_text_quote", "elements": [{"type": "text", "text": "quoted"}]},
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "a < b"}]}]},
    ]
    ts = bot_client(tiny).chat_postMessage(channel="incidents", text="fallback *only*", blocks=blocks)["ts"]
    page = get(f"{tiny.urls['slack']}/archives/C0INCID001")
    msg = page.split(f'id="p{ts.replace(".", "")}"')[1].split('<div class="msg')[0]
    assert 'class="bk-header">Post-mortem &lt;img src=x onerror=alert(1)&gt;</div>' in msg
    assert '<strong><a href="https://notion.test/p-1" rel="noopener noreferrer">SUMMER25 review</a></strong>' in msg
    assert "<em>I created</em> a <s>new</s> page ✅ for <b>@Ana Lopez</b> <code>run-7</code>" in msg
    assert '<div class="bk-field"><strong>Owner</strong><br>Tom</div>' in msg and "Status: done" in msg
    assert '<hr class="bk-divider">' in msg and "⚠️ Jira down" in msg
    assert "javascript:" not in msg and "click me" in msg  # an unsafe link is shown as its label only
    assert (f'<button class="bk-btn primary" type="button" data-button="1" data-action-id="retry" '
            f'data-channel="C0INCID001" data-ts="{ts}">Retry</button>') in msg  # a real button: it can be pressed
    assert "<li><strong>&lt;script&gt;x()&lt;/script&gt;</strong></li>" in msg and "<pre>a &lt; b</pre>" in msg
    assert '<div class="rt-section">🎉&lt;i&gt;</div>' in msg  # even an emoji's code points are escaped
    assert "<script>x()" not in page and "<img src=x" not in page
    assert "fallback" not in msg  # with blocks, Slack shows the blocks and not the text
    assert 'class="badge">APP</span>' in msg


def test_text_without_blocks_is_rendered_as_mrkdwn(tiny):
    text = ("> quoted line\n• first\n• second\n```SELECT *\nFROM t```\n<!here> see <#C0INCID001> "
            "<https://x.test/a?b=1&amp;c=2|the doc> :rotating_light: :no_such_emoji: 10:00:00 &lt;b&gt;")
    bot_client(tiny).chat_postMessage(channel="incidents", text=text)
    body = fragment(tiny, "C0INCID001").rsplit('<div class="body">', 1)[1]
    assert body.startswith("<blockquote>quoted line</blockquote><ul><li>first</li><li>second</li></ul>")
    assert "<pre>SELECT *\nFROM t</pre>" in body and "<b>@here</b>" in body
    assert '<a class="chan" href="/archives/C0INCID001">#incidents</a>' in body
    assert '<a href="https://x.test/a?b=1&amp;c=2" rel="noopener noreferrer">the doc</a>' in body
    assert "🚨 :no_such_emoji: 10:00:00 &lt;b&gt;" in body


def test_threads_fold_under_their_parent_with_a_reply_count(tiny):
    s = tiny.state("slack")
    parent = s.messages("C0INCID001")[-1]
    page = get(f"{tiny.urls['slack']}/archives/C0INCID001")
    link = f'/archives/C0INCID001/p{parent.ts.replace(".", "")}?thread_ts={parent.ts}&amp;cid=C0INCID001'
    assert f'<a class="thread-summary" href="{link}"' in page
    assert '<span class="count">3 replies</span><span class="last">Last reply Aug 4 at 10:07</span>' in page
    assert "rolled back" not in page  # replies live in the thread, not in the channel
    thread = get(tiny.urls["slack"] + link.replace("&amp;", "&"))
    assert all(t in thread for t in ("Checkout is DOWN", "looking", "rolled back", "all green", "3 replies"))
    assert 'data-thread="' + parent.ts + '"' in thread and 'id="composer"' in thread
    # A reply's permalink opens the thread with that reply highlighted.
    reply = s.thread("C0INCID001", parent.ts)[2]
    hl = get(tiny.urls["slack"] + s.permalink("C0INCID001", reply).removeprefix(s.base_url))
    assert f'<div class="msg hl" id="p{reply.ts.replace(".", "")}"' in hl
