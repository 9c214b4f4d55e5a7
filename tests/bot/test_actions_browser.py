"""In a real (headless) Chromium, as a person in the incident: press the result's "Create Jira tickets", untick one
item in the modal the bot opens, submit, and see the tickets announced in the thread."""

from __future__ import annotations

from sandbox.server import Sandbox
from sandbox.workspace.loader import parse_workspace
from tests.support.actions_workspace import with_open_action_items
from tests.support.bot import replies, request, running_bot, wait_until
from tests.support.browser import (
    full_page_screenshot,
    output_dir,
    script_errors,
    wait_for,
)

CHANNEL = "marketing-ops"
MODAL = "#modal form.modal"




def test_a_person_creates_tickets_from_the_modal_in_the_browser(tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    shots = output_dir("browser")
    with Sandbox(parse_workspace(with_open_action_items(), "actions")) as sb, running_bot(sb, tmp_path) as (_, drv):
        sb.ctx.bot_url = drv.bot_url  # what the page delivers clicks to, as the real Slack would
        thread = request(drv, CHANNEL, "summer25")
        reply = next(m for m in reversed(thread) if m["text"].startswith("Post-mortem "))
        parent = reply["thread_ts"]
        issues = len(sb.state("jira").issues)
        channel = sb.state("slack").channel(CHANNEL).id
        browser.get(f"{sb.urls['slack']}/archives/{channel}/p{reply['ts'].replace('.', '')}?thread_ts={parent}")
        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'button[data-action-id="postmortem_tickets"]'),
              "the result's buttons")
        Select(browser.find_element(By.ID, "as")).select_by_visible_text("Stefan Ortiz")
        button = browser.find_element(By.CSS_SELECTOR, 'button[data-action-id="postmortem_tickets"]')
        assert button.text == "Create Jira tickets (2)"
        button.click()

        wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, MODAL), "the tickets modal")
        modal = browser.find_element(By.CSS_SELECTOR, MODAL)
        assert "Create Jira tickets" in modal.text and "synthetic checkout test" in modal.text
        assert browser.find_element(By.CSS_SELECTOR, f'{MODAL} input[type=text]').get_attribute("value") == "MKT"
        boxes = browser.find_elements(By.CSS_SELECTOR, f"{MODAL} input[type=checkbox]")
        assert len(boxes) == 2 and all(b.is_selected() for b in boxes)
        boxes[1].click()  # only the first item this time
        full_page_screenshot(browser, shots / "actions-tickets-modal.png")
        browser.find_element(By.CSS_SELECTOR, f"{MODAL} button[type=submit]").click()

        wait_for(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, MODAL), "the modal to close")
        told = wait_until(lambda: [m for m in replies(drv, CHANNEL, parent) if m["text"].startswith(":ticket:")],
                          what="the tickets message")
        assert "created 1 Jira ticket" in told[0]["text"] and len(sb.state("jira").issues) == issues + 1
        made = sb.state("jira").issues[-1]
        assert made.summary.startswith("Add a synthetic checkout test"), "a summary in the imperative, not chat"
        wait_for(browser, lambda d: "created 1 Jira ticket" in d.find_element(By.ID, "messages").text,
              "the announcement on the page")
        full_page_screenshot(browser, shots / "actions-tickets-created.png")
        assert script_errors(browser) == []
