"""The tracking page as a citizen meets it in Chromium, with the keyboard only, in
Swedish and English: reading the officer's question, answering it with a photo (after
an empty answer and a file that is not an image), and reopening the solved case (after
an empty try).  axe-core checks every page and every error state.

These tests write to cases, so they run on a portal of their own.
"""
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from eservices.casework import OFFICER_ACTIONS
from eservices.models import Case
from portal.extensions import db
from tests.browser.conftest import assert_accessible, served
from tests.conftest import copy_of_demo
from tests.test_casework import fault_report, user

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en"]
TRACKING = {"sv": "/sv/arende/", "en": "/en/case/"}
TEXTS = {
    "sv": {"answer": "Svara på frågan", "send": "Skicka meddelandet", "sent": "Ditt meddelande är skickat.",
           "yours": "Ditt meddelande", "reopen": "Det är inte åtgärdat – öppna ärendet igen",
           "reopened": "Ärendet är öppnat igen.", "status": "Öppnat igen"},
    "en": {"answer": "Answer the question", "send": "Send the message", "sent": "Your message has been sent.",
           "yours": "Your message", "reopen": "It has not been put right – reopen the case",
           "reopened": "The case has been reopened.", "status": "Reopened"},
}


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("citizen-tracking"))
    with served(app) as url:
        yield url, app


def officer_does(app, token, action, **context):
    with app.app_context(), app.test_request_context():
        case = db.session.scalar(select(Case).where(Case.tracking_token == token))
        OFFICER_ACTIONS[action].execute(case, user("officer"), **context)


@pytest.fixture
def token(portal):
    """A fault report whose officer asks the citizen something."""
    _base, app = portal
    with app.app_context(), app.test_request_context():
        token = fault_report(app).tracking_token
    officer_does(app, token, "reply", text="Vi har fått din felanmälan.")
    officer_does(app, token, "request_information", text="Vilken stolpe gäller det? Skicka gärna en bild.")
    return token


def photo(name="stolpe.png"):
    data = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 90, 160)).save(data, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": data.getvalue()}


def press(page, name):
    """Focus a button by its name and press Enter; wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).focus()
        page.keyboard.press("Enter")


def tab_to(page, selector, limit=15):
    """Press Tab until the element ``selector`` has the focus."""
    for _tab in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def expect_error_summary(page, text):
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(text)
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_citizen_answers_with_a_photo_and_reopens_the_solved_case(page, portal, token, lang):
    base, app = portal
    words = TEXTS[lang]
    page.goto(f"{base}{TRACKING[lang]}{token}")
    expect(page.locator(".conversation-line")).to_have_count(3)
    expect(page.locator(".conversation-line").last).to_contain_text("Vilken stolpe gäller det?")
    assert_accessible(page)

    # The link at the status leads to the form; Tab goes on into it.
    page.get_by_role("link", name=words["answer"]).focus()
    page.keyboard.press("Enter")
    tab_to(page, "textarea[name=text]")
    press(page, words["send"])                                     # nothing written
    expect_error_summary(page, {"sv": "Skriv ditt meddelande.", "en": "Write your message."}[lang])

    page.locator("textarea[name=text]").focus()
    page.keyboard.type("Stolpen vid busshållplatsen.")
    tab_to(page, "input[type=file]")
    page.locator("input[type=file]").set_input_files(
        {"name": "stolpe.jpg", "mimeType": "image/jpeg", "buffer": b"<html><script>alert(1)</script></html>"})
    press(page, words["send"])                                     # a web page named .jpg
    expect_error_summary(page, "stolpe.jpg")
    expect(page.locator("textarea[name=text]")).to_have_value(re.compile(r"^\s*Stolpen vid busshållplatsen\.$"))

    page.locator("input[type=file]").focus()
    page.locator("input[type=file]").set_input_files(photo())
    tab_to(page, "button[type=submit].button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_have_text(words["sent"])
    mine = page.locator(".conversation-line.from-you")
    expect(mine).to_contain_text(words["yours"])
    expect(mine).to_contain_text("Stolpen vid busshållplatsen.")
    expect(mine.locator(".file-list li")).to_contain_text("stolpe.png")
    assert_accessible(page)

    officer_does(app, token, "solve", text="Lampan är bytt.")
    page.reload()
    expect(page.get_by_role("button", name=words["send"])).to_have_count(0)
    assert_accessible(page)
    press(page, words["reopen"])                                   # nothing written
    expect_error_summary(page, {"sv": "Skriv vad som inte är åtgärdat.", "en": "Write what has not been put right."}[lang])
    page.locator("textarea[name=text]").focus()
    page.keyboard.type("Lampan är släckt igen.")
    press(page, words["reopen"])
    expect(page.locator(".flash-success")).to_contain_text(words["reopened"])
    expect(page.locator(".summary-list")).to_contain_text(words["status"])
    assert_accessible(page)
