"""The agent workspace in Chromium, with the keyboard only: a call logged beside the
knowledge base (searched as the agent types, an article linked from a hit, the
error state of a forward without its handover, the forward), in Swedish and in
English with axe-core on every state; the same without JavaScript; and the
contact centre's other pages."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login, press, served, type_into
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser

WORKSPACE = {"sv": "/sv/kontakt", "en": "/en/contact-log"}
WORDS = {
    "sv": {"forward": "Skicka vidare", "solved": "Löst vid första kontakten", "search": "Sök",
           "link": "Koppla till kontakten", "registered": "Kontakten är registrerad som",
           "department": "Välj förvaltningen som ska ta över ärendet.", "find": "Hitta",
           "searches": ("hemtjänst", "trygghetslarm"), "alarm": "Trygghetslarm"},
    "en": {"forward": "Forward", "solved": "Solved at first contact", "search": "Search",
           "link": "Link to the contact", "registered": "The contact is registered as",
           "department": "Choose the department that is to take over the case.", "find": "Find",
           "searches": ("home help", "safety alarm"), "alarm": "Personal safety alarm"},
}
HANDOVER = {"asked": "Hur man ansöker om hemtjänst.", "answered": "Att en biståndshandläggare utreder.",
            "needs": "Ett hembesök.", "reach": "Telefon efter klockan 15."}


def add_callback_request(app):
    """A call-back request waiting, so that the list has a row to check."""
    from eservices.models import Case
    from portal.extensions import db
    from portal.org.models import Department

    with app.app_context():
        klf = db.session.scalar(db.select(Department.id).where(Department.code == "KLF"))
        db.session.add(Case(reference="SJB-2026-555555", service_code="bli-uppringd", title="Ring upp: Bygglov",
                            department_id=klf, lang="sv", tracking_token="browser-callback",
                            contact_name="Ada Andersson", contact_phone="070-123 45 67",
                            answers={"samtal": {"topic": "Bygglov", "window": "morning"}}))
        db.session.commit()


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("agent-browser"))
    add_callback_request(app)
    with served(app) as url:
        yield url


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_agent_logs_and_forwards_a_call_with_the_keyboard_only(page, portal, lang):
    words = WORDS[lang]
    login(page, portal, "agent")
    page.goto(f"{portal}{WORKSPACE[lang]}")
    assert_accessible(page)

    first_search, second_search = words["searches"]
    type_into(page, "#q", first_search)                 # results as the agent types
    first_hit = page.locator("#contact-hits .result-title a").first
    expect(first_hit).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(first_hit).to_be_focused()
    page.keyboard.press("Tab")                          # from the hit to its checkbox
    expect(page.locator("#contact-hits input[type=checkbox]").first).to_be_focused()
    page.keyboard.press("Space")
    linked_title = page.locator("#contact-hits input[type=checkbox]").first.get_attribute("data-title")
    assert_accessible(page)

    type_into(page, "#q", second_search)                # a new search keeps the linked article
    expect(page.locator("#contact-hits .result-title a").first).to_contain_text(words["alarm"])
    expect(page.locator("#linked-articles-list input:checked")).to_have_count(1)
    expect(page.locator("#linked-articles-list label")).to_have_text(linked_title)

    page.locator("#question_type").focus()
    page.locator("#question_type").select_option("topic:omsorg-och-stod")
    type_into(page, "#text", "Frågar om hemtjänst till sin mamma.")
    press(page, words["forward"])                       # without the handover: the error state
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#department-error")).to_contain_text(words["department"])
    expect(page.locator("#text")).to_have_value("Frågar om hemtjänst till sin mamma.")
    expect(page.locator("#linked-articles-list input:checked")).to_have_count(1)
    assert_accessible(page)

    page.locator("#department").focus()
    page.locator("#department").select_option("SOF")
    for field, text in HANDOVER.items():
        type_into(page, f"#{field}", text)
    press(page, words["forward"])
    flash = page.locator(".flash-success")
    expect(flash).to_contain_text(words["registered"])
    assert re.search(r"SJB-\d{4}-\d{6}", flash.inner_text())
    assert_accessible(page)


def test_without_javascript_a_search_keeps_the_contact(browser, portal):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    try:
        page = context.new_page()
        login(page, portal, "agent")
        page.goto(f"{portal}/sv/kontakt")
        type_into(page, "#text", "Frågar om sophämtning.")
        type_into(page, "#q", "sophämtning")
        with page.expect_navigation():
            page.keyboard.press("Enter")                 # Enter searches: the first button is "Sök"
        expect(page.locator("#text")).to_have_value("Frågar om sophämtning.")
        checkbox = page.locator("#contact-hits input[type=checkbox]").first
        checkbox.focus()
        page.keyboard.press("Space")
        page.locator("#question_type").select_option("topic:avfall-vatten-och-miljo")
        press(page, "Löst vid första kontakten")
        expect(page.locator(".flash-success")).to_contain_text("löst vid första kontakten")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_contact_centres_other_pages_are_accessible(page, portal, lang):
    words = WORDS[lang]
    paths = {"sv": ("/sv/kontakt/arenden", "/sv/kontakt/ring-upp", "/sv/kontakt/reception"),
             "en": ("/en/contact-log/cases", "/en/contact-log/call-backs", "/en/contact-log/reception")}[lang]
    login(page, portal, "agent")
    lookup, callbacks, reception = (f"{portal}{path}" for path in paths)
    page.goto(lookup)
    assert_accessible(page)
    type_into(page, "#q", "Bo Berg")                    # neither reference, address nor number
    press(page, words["find"])
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)
    type_into(page, "#q", "070-123 45 67")
    press(page, words["find"])
    assert_accessible(page)
    expect(page.locator("tbody tr")).to_have_count(1)    # the call-back request, found by its number
    assert_accessible(page)
    page.goto(callbacks)
    expect(page.get_by_text("Ada Andersson")).to_be_visible()
    assert_accessible(page)
    page.goto(reception)
    assert_accessible(page)
    press(page, {"sv": "Registrera besöket", "en": "Register the visit"}[lang])
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)
