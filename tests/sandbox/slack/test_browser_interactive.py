"""A person in a real (headless) Chromium presses a bot message's button, fills in the modal it opens and submits it."""

from __future__ import annotations

import pytest

from sandbox.slack.events import SlackDriver
from tests.sandbox.slack.interactive_app import TOO_SHORT, post_incident, running
from tests.support.bolt_app import workspace
from tests.support.bot import wait_until
from tests.support.browser import (
    full_page_screenshot,
    output_dir,
    script_errors,
    wait_for,
)

WORKSPACE = workspace  # served by conftest.py's `sb`: #incidents with Ana, Ben and the app
MODAL = "#modal form.modal"


@pytest.fixture
def bolt(sb):
    with running(sb) as app:
        yield app




def _settled(driver) -> None:
    """The live stream is up and the refresh it starts with is done (it replaces the message elements)."""
    wait_for(driver, lambda d: d.execute_script("return document.body.dataset.live === '1' && "
                                             "Number(document.body.dataset.updates || 0) > 0"), "the live page")


def _state(driver) -> dict:
    """The modal and the incident message as the page shows them, read in one script call (live updates replace
    elements, so held references go stale)."""
    return driver.execute_script("""
        const form = document.querySelector(arguments[0]);
        const block = (id) => form && [...form.querySelectorAll('.bk-input')].find(b => b.dataset.blockId === id);
        const err = (id) => { const e = block(id) && block(id).querySelector('.bk-error'); return e ? e.textContent : null; };
        const msg = [...document.querySelectorAll('#messages .msg.bot')].pop();
        return {open: !!form, title: form && form.querySelector('#modal-title').textContent,
                summary: block('summary') && block('summary').querySelector('input').value,
                ticked: form ? [...form.querySelectorAll('.bk-input input[type=checkbox]:checked')].map(i => i.value) : [],
                summaryError: err('summary'), areasError: err('areas'),
                message: msg && msg.querySelector('.body').textContent};
    """, MODAL)


def test_a_person_clicks_fills_in_the_modal_fixes_an_error_and_the_message_is_updated(sb, bolt, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    shots = output_dir("browser")
    ts = post_incident(sb)
    browser.get(sb.urls["slack"] + "/archives/" + sb.state("slack").channel("incidents").id)
    _settled(browser)
    Select(browser.find_element(By.ID, "as")).select_by_visible_text("Ana Lopez")
    button = browser.find_element(By.CSS_SELECTOR, f'#p{ts.replace(".", "")} button[data-action-id="file_incident"]')
    assert (button.text, button.get_attribute("data-value"), button.is_enabled()) == ("File an incident", "inc-1", True)
    button.click()

    # The app got block_actions as Ana, and the modal it opened shows up over the page.
    wait_for(browser, lambda d: _state(d)["open"], "the modal")
    click = bolt.clicks[0]
    assert (click["user"]["id"], click["actions"][0]["action_id"], click["actions"][0]["value"]) == (
        sb.state("slack").user_by_name("ana").id, "file_incident", "inc-1")
    assert click["container"]["message_ts"] == ts
    modal = browser.find_element(By.CSS_SELECTOR, MODAL)
    assert _state(browser)["title"] == "File the incident"
    assert "One sentence is enough." in modal.text and "(optional)" in modal.text
    assert [b.text for b in modal.find_elements(By.CSS_SELECTOR, ".modal-foot button")] == ["Cancel", "File it"]

    # An empty required input: Slack's client refuses it itself, and the app hears nothing.
    modal.find_element(By.CSS_SELECTOR, ".modal-submit").click()
    wait_for(browser, lambda d: _state(d)["summaryError"], "the required-field error")
    assert _state(browser)["summaryError"] == "Please complete this required field." and bolt.submits == []

    # Too short: the app answers response_action errors; the error shows under the block and nothing typed is lost.
    summary = browser.find_element(By.CSS_SELECTOR, f'{MODAL} .bk-input[data-block-id="summary"] input')
    summary.send_keys("db")
    browser.find_element(By.XPATH, "//label[contains(@class,'bk-choice')][.//span[text()='Database']]").click()
    browser.find_element(By.CSS_SELECTOR, f"{MODAL} .modal-submit").click()
    wait_for(browser, lambda d: _state(d)["summaryError"] == TOO_SHORT, "the app's error under the summary")
    seen = _state(browser)
    assert (seen["summary"], seen["ticked"], seen["areasError"]) == ("db", ["db"], None)
    assert SlackDriver(sb).view_errors("ana") == {"summary": TOO_SHORT}
    browser.save_screenshot(str(shots / "slack-modal-error.png"))

    # Fixed: an empty ack closes the modal, and the app's chat.update shows in the channel.
    summary = browser.find_element(By.CSS_SELECTOR, f'{MODAL} .bk-input[data-block-id="summary"] input')
    summary.send_keys(" pool ran dry")
    browser.find_element(By.CSS_SELECTOR, f"{MODAL} .modal-submit").click()
    wait_for(browser, lambda d: not _state(d)["open"] and "Filed:" in (_state(d)["message"] or ""), "the updated message")
    seen = _state(browser)
    assert seen["message"] == "✅ Filed: db pool ran dry (db)"
    assert SlackDriver(sb).views("ana") == []
    assert [v["summary"]["text"]["value"] for v in bolt.submits] == ["db", "db pool ran dry"]
    picked = bolt.submits[1]["areas"]["pick"]
    assert picked["type"] == "checkboxes" and [(o["value"], o["text"]["text"]) for o in picked["selected_options"]] == [
        ("db", "Database")]
    assert not browser.find_elements(By.CSS_SELECTOR, f'#p{ts.replace(".", "")} button[data-action-id]')
    full_page_screenshot(browser, shots / "slack-modal-done.png")
    assert script_errors(browser) == []


def test_a_confirm_dialog_comes_first_and_cancel_closes_the_modal(sb, bolt, browser):
    from selenium.webdriver.common.by import By

    ts = post_incident(sb)
    browser.get(sb.urls["slack"] + "/archives/" + sb.state("slack").channel("incidents").id)
    _settled(browser)
    sure = f'#p{ts.replace(".", "")} button[data-value="inc-1-sure"]'
    browser.find_element(By.CSS_SELECTOR, sure).click()
    dialog = wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".confirm .modal"), "the confirm dialog")[0]
    assert dialog.text.splitlines() == ["File it?", "Sure?", "Not now", "Yes, file"]
    dialog.find_element(By.CSS_SELECTOR, ".modal-cancel").click()  # "Not now": nothing goes to the app
    assert not browser.find_elements(By.CSS_SELECTOR, ".confirm") and bolt.clicks == []
    browser.find_element(By.CSS_SELECTOR, sure).click()
    wait_for(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".confirm .modal-submit"), "the dialog")[0].click()
    wait_for(browser, lambda d: _state(d)["open"], "the modal")
    assert bolt.clicks[0]["actions"][0]["value"] == "inc-1-sure"
    browser.find_element(By.CSS_SELECTOR, f'{MODAL} .bk-input[data-block-id="summary"] input').send_keys("half")
    browser.find_element(By.CSS_SELECTOR, f'{MODAL} button[data-action-id="add_note"]').click()  # in the modal
    wait_until(lambda: len(bolt.clicks) == 2, what="the click inside the modal")
    assert bolt.clicks[1]["container"]["type"] == "view"
    assert bolt.clicks[1]["view"]["state"]["values"]["summary"]["text"]["value"] == "half"
    browser.find_element(By.CSS_SELECTOR, f"{MODAL} .modal-cancel").click()
    wait_for(browser, lambda d: not _state(d)["open"], "the modal to close")
    assert SlackDriver(sb).views(browser.find_element(By.ID, "as").get_attribute("value")) == []
    assert bolt.submits == [] and script_errors(browser) == []
