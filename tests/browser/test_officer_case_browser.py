"""The officer's case page in Chromium, with the keyboard only, in Swedish and in
English, with axe-core on every state: taking a fault report, writing an internal
note, sending a reply (after an empty one), and two officers on one case, where the
second one's reply is refused because the first changed the case meanwhile: the page
says so, keeps the reply and marks what is new.

The tests write to cases, so they run on a portal of their own.
"""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.auth.models import OFFICER
from portal.auth.operations import create_user
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.org.models import Department
from tests.browser.conftest import assert_accessible, served, sign_in_at, tab_to
from tests.conftest import copy_of_demo
from tests.test_casework import fault_report

pytestmark = pytest.mark.browser

LANGUAGES = [("sv", "sv-SE"), ("en", "en-GB")]
CASE_PAGE = {"sv": "/sv/handlaggning/{}", "en": "/en/casework/{}"}
WORDS = {
    "sv": {"actions": "Åtgärder", "take": "Ta ärendet", "taken": "Du handlägger nu ärendet.",
           "save_note": "Spara anteckningen", "noted": "Anteckningen är sparad.", "internal": "Intern",
           "send_reply": "Skicka svaret", "replied": "Svaret är skickat.", "empty": "Skriv ett svar.",
           "to_citizen": "Meddelande till invånaren", "officer": "Hugo Handläggare",
           "changed": "Någon annan har ändrat ärendet sedan du öppnade sidan.",
           "see_new": "Se vad som har hänt sedan du öppnade sidan", "new": "Nytt sedan du öppnade sidan"},
    "en": {"actions": "Actions", "take": "Take the case", "taken": "You are now handling the case.",
           "save_note": "Save the note", "noted": "The note is saved.", "internal": "Internal",
           "send_reply": "Send the reply", "replied": "The reply is sent.", "empty": "Write a reply.",
           "to_citizen": "Message to the resident", "officer": "Hugo Handläggare",
           "changed": "Someone else has changed the case since you opened the page.",
           "see_new": "See what has happened since you opened the page", "new": "New since you opened the page"},
}
NOTE = "Lampan sitter på stolpe 1142 enligt kartan."
REPLY = "Tack! Vi byter lampan på stolpe 1142 i morgon."


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    """The demo portal with a second case officer at Tekniska förvaltningen."""
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("officer-case"))
    with app.app_context():
        tf = db.session.scalar(select(Department.id).where(Department.code == "TF"))
        create_user("kollega", "Klara Kollega", DEMO_PASSWORD, [(OFFICER, tf, None)],
                    email="kollega@sjobacka.example")
        db.session.commit()
    with served(app) as url:
        yield url, app


@pytest.fixture
def case_url(portal, lang):
    """A new fault report at Tekniska förvaltningen: its case page in ``lang``."""
    base, app = portal
    with app.app_context(), app.test_request_context():
        case_id = fault_report(app).id
    return base + CASE_PAGE[lang].format(case_id)


def timeline_row(page, text):
    return page.locator(".timeline-table tbody tr", has_text=text)


def go_to_actions(page, lang):
    """Follow "Åtgärder" in the page's contents with the keyboard: Tab goes on from there."""
    page.get_by_role("navigation").get_by_role("link", name=WORDS[lang]["actions"], exact=True).focus()
    page.keyboard.press("Enter")


def press_after_tabbing(page, name):
    """Tab on to the button ``name`` and press Enter; wait for the page it leads to."""
    tab_to(page, page.get_by_role("button", name=name, exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize(("lang", "browser_locale"), LANGUAGES)
def test_the_officer_takes_notes_and_replies_with_the_keyboard(page, case_url, lang):
    words = WORDS[lang]
    sign_in_at(page, case_url, "officer")
    assert_accessible(page)

    go_to_actions(page, lang)
    press_after_tabbing(page, words["take"])           # the first action after the heading
    expect(page.locator(".flash-success")).to_have_text(words["taken"])
    expect(page.locator(".summary-list").first).to_contain_text(words["officer"])
    expect(page.get_by_role("button", name=words["take"], exact=True)).to_have_count(0)

    go_to_actions(page, lang)
    tab_to(page, page.locator("#note-text"))
    page.keyboard.type(NOTE)
    press_after_tabbing(page, words["save_note"])
    expect(page.locator(".flash-success")).to_have_text(words["noted"])
    note = timeline_row(page, NOTE)
    expect(note).to_contain_text(words["internal"])      # the officer sees it is not for the citizen
    assert_accessible(page)

    go_to_actions(page, lang)
    press_after_tabbing(page, words["send_reply"])     # nothing written
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    empty = summary.get_by_role("link", name=words["empty"], exact=True)
    expect(empty).to_have_attribute("href", "#reply-text")
    expect(page.locator("#reply-text-error")).to_contain_text(words["empty"])
    expect(page.locator("#reply-text")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    page.keyboard.press("Tab")                            # from the summary to its link …
    expect(empty).to_be_focused()
    page.keyboard.press("Enter")                          # … which leads to the field
    expect(page.locator("#reply-text")).to_be_focused()
    page.keyboard.type(REPLY)
    press_after_tabbing(page, words["send_reply"])
    expect(page.locator(".flash-success")).to_have_text(words["replied"])
    expect(timeline_row(page, REPLY)).to_contain_text(words["to_citizen"])
    assert_accessible(page)


@pytest.mark.parametrize(("lang", "browser_locale"), LANGUAGES)
def test_a_reply_to_a_case_someone_changed_meanwhile_is_kept_and_the_change_shown(new_page, case_url, lang):
    words = WORDS[lang]
    first, second = new_page(), new_page()
    sign_in_at(first, case_url, "officer")
    sign_in_at(second, case_url, "kollega")               # both have the case open

    second.locator("#reply-text").focus()
    second.keyboard.type(REPLY)                           # the second starts a reply …
    go_to_actions(first, lang)
    tab_to(first, first.locator("#note-text"))
    first.keyboard.type(NOTE)                             # … while the first writes a note
    press_after_tabbing(first, words["save_note"])
    expect(first.locator(".flash-success")).to_have_text(words["noted"])

    second.locator("#reply-text").focus()
    press_after_tabbing(second, words["send_reply"])
    summary = second.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(words["changed"])
    expect(second.locator("#reply-error")).to_contain_text(words["changed"])  # at the form too
    expect(second.locator("#reply-text")).to_have_value(REPLY)                # nothing typed is lost
    new = second.locator(".timeline-table tr.event-new")
    expect(new).to_have_count(1)                          # the note, and only the note, is new
    expect(new).to_contain_text(NOTE)
    expect(new).to_contain_text(words["new"])
    expect(timeline_row(second, REPLY)).to_have_count(0)  # the reply was not sent
    assert_accessible(second)

    see_new = summary.get_by_role("link", name=words["see_new"], exact=True)
    expect(see_new).to_have_attribute("href", f"#{new.get_attribute('id')}")
    see_new.focus()
    expect(new).not_to_be_in_viewport()
    second.keyboard.press("Enter")                        # the link leads to the new line
    expect(new).to_be_in_viewport()

    second.locator("#reply-text").focus()                 # having read it, the second sends again
    press_after_tabbing(second, words["send_reply"])
    expect(second.locator(".flash-success")).to_have_text(words["replied"])
    expect(timeline_row(second, REPLY)).to_contain_text(words["to_citizen"])
