"""A person in a real (headless) Chromium types /postmortem in the sandbox Slack and opens the Notion page it links."""

from __future__ import annotations

import re
import time

from sandbox.server import Sandbox
from sandbox.slack.socket import hub_of
from tests.support.bot import running_bot, wait_until
from tests.support.browser import (
    full_page_screenshot,
    output_dir,
    script_errors,
    wait_for,
)

# Read the DOM in one script call: live updates replace elements, so held element references go stale.
THREAD_LINK = """return [...document.querySelectorAll('.msg.bot')]
  .filter(m => m.textContent.includes('Post-mortem for') && m.textContent.includes(arguments[0]))
  .map(m => m.querySelector('.thread-summary')).filter(Boolean).map(a => a.getAttribute('href')).pop() || null"""
THREAD_STATE = """const bots = [...document.querySelectorAll('#messages .msg.bot')].slice(1);
return bots.map(m => ({text: m.querySelector('.body').textContent,
                       link: (m.querySelector('.body a[href*="' + arguments[0] + '"]') || {}).href || null}))"""




def test_a_person_asks_for_the_post_mortem_and_opens_the_notion_page(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    shots = output_dir("browser")
    started = time.monotonic()
    with Sandbox() as sb, running_bot(sb, tmp_path, socket=True):  # Socket Mode, as `postmortem dev` runs it
        wait_until(lambda: hub_of(sb).connections, what="the bot's Socket Mode connection")
        browser.get(sb.urls["slack"] + "/archives/C0MKTOPS1")
        wait_for(browser, lambda d: d.execute_script("return document.body.dataset.live === '1'"), "the live stream")
        assert browser.find_element(By.CSS_SELECTOR, "header.top h1").text == "# marketing-ops"

        who = Select(browser.find_element(By.ID, "as"))
        who.select_by_visible_text("Priya Nair")  # a member of #marketing-ops
        assert who.first_selected_option.get_attribute("value") == "U0PRIYA01"
        box = browser.find_element(By.ID, "box")
        box.send_keys("/postmortem summer25")
        box.send_keys(Keys.ENTER)

        # The bot's parent appears live in the channel, folded with its thread's replies.
        href = wait_for(browser, lambda d: d.execute_script(THREAD_LINK, "@Priya Nair"), "the bot's parent message")
        assert browser.find_element(By.ID, "box").get_attribute("value") == ""
        browser.save_screenshot(str(shots / "slack-channel.png"))
        browser.get(sb.urls["slack"] + href)
        # The thread page remembers who is typing (localStorage) rather than falling back to the default.
        assert Select(browser.find_element(By.ID, "as")).first_selected_option.get_attribute("value") == "U0PRIYA01"

        notion = sb.urls["notion"]
        progress = wait_for(browser, lambda d: (d.execute_script(THREAD_STATE, notion) or [None])[0], "the progress line")
        assert re.match(r"Slack: .+ · Notion: .+ · Jira: ", progress["text"])  # whatever stage it is at
        replies = wait_for(browser, lambda d: [r for r in d.execute_script(THREAD_STATE, notion) if r["link"]] and
                        d.execute_script(THREAD_STATE, notion), "the reply with the Notion link")
        assert replies[0]["text"].startswith("Slack: ") and "done ✅" in replies[0]["text"]  # progress first…
        result = next(r for r in replies if r["link"])  # …then the reply with the link
        assert "Root cause:" in result["text"] and "Action items" in result["text"]
        assert not browser.find_elements(By.CSS_SELECTOR, "#messages .msg.ephemeral")
        full_page_screenshot(browser, shots / "slack-thread.png")
        assert script_errors(browser) == []

        browser.find_element(By.CSS_SELECTOR, f'#messages a[href="{result["link"]}"]').click()
        wait_for(browser, lambda d: d.current_url.startswith(notion) and d.find_elements(By.CSS_SELECTOR, "table td"),
              "the Notion page's timeline table")
        title = browser.find_element(By.CSS_SELECTOR, "h1").text
        assert "SUMMER25" in title.upper()
        cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table td")]
        assert any(re.search(r"\b\d\d:\d\d\b", c) for c in cells), cells[:8]
        time_cell = browser.find_element(By.CSS_SELECTOR, "table td.nowrap")
        assert time_cell.value_of_css_property("white-space") == "nowrap"  # "2025-08-04 09:07:22" on one line
        lines = browser.execute_script("""const r = document.createRange(); r.selectNodeContents(arguments[0]);
            return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size""", time_cell)
        assert lines == 1, f"the time {time_cell.text!r} wraps onto {lines} lines"
        full_page_screenshot(browser, shots / "notion-page.png", max_height=1600)  # title, summary, timeline

        # An evidence link to a Jira comment opens the ticket scrolled to that comment, highlighted, as Jira does.
        comment_link = browser.find_element(By.CSS_SELECTOR, 'a[href*="focusedCommentId="]').get_attribute("href")
        browser.set_window_size(1280, 700)
        browser.get(comment_link)
        comment_id = re.search(r"focusedCommentId=(\d+)", comment_link).group(1)
        seen = browser.execute_script("""const el = document.getElementById('comment-' + arguments[0]);
            const r = el.getBoundingClientRect();
            return {focused: el.classList.contains('focused'), top: r.top, bottom: r.bottom,
                    viewport: innerHeight, scrolled: scrollY};""", comment_id)
        assert seen["focused"] and seen["scrolled"] > 0, seen
        assert 0 <= seen["top"] and seen["bottom"] <= seen["viewport"], seen
        browser.save_screenshot(str(shots / "jira-comment.png"))
    for name in ("slack-channel.png", "slack-thread.png", "notion-page.png", "jira-comment.png"):
        assert (shots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"browser test: {time.monotonic() - started:.1f}s, screenshots in {shots}")
