"""Each e-service as a citizen meets it in Chromium, with the keyboard only: the
landing page, every page of the form (first sent empty, so its error state is
checked too), check your answers, the receipt and the tracking page, each
checked with axe-core in Swedish and in English."""
import io
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, served
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en"]
PATHS = {"sv": "/sv/e-tjanster", "en": "/en/e-services"}
CONTACT = {"name": "Bo Berg", "email": "bo@example.se", "notify_by": "email"}

# Per service: the pages in order, each a {field: value} typed with the keyboard
# (a value for a radio group is the option's value; files are attached).
SERVICES = {
    "bli-uppringd": [{"name": "Anna Andersson", "phone": "070-123 45 67",
                      "topic": "Fråga om bygglov", "window": "afternoon"}],
    "parkeringstillstand": [
        {"name": "Bo Berg", "personnummer": "19121212-1212", "street": "Storgatan 1",
         "postcode": "123 45", "city": "Sjöbacka"},
        {"role": "passenger", "impairment": "Kan gå högst 50 meter.", "valid_from": "2030-01-01",
         "valid_to": "2031-12-31"},
        {"certificate": "intyg.png"},
        CONTACT],
    "felanmalan": [{"category": "gatubelysning", "description": "Lampan vid busshållplatsen är släckt."},
                   {"address": "Storgatan 12"},
                   CONTACT],
    "lokalbokning": [{"room": "2", "customer_type": "privatperson", "day": "wednesday", "starts": "10.00",
                      "ends": "11.00"},
                     {**CONTACT, "organisation": ""}],
}


def a_wednesday_ahead(lang):
    """A Wednesday one to three weeks ahead, another for each language (the same hour
    cannot be booked twice): inside the library's booking window and opening hours."""
    day = date.today() + timedelta(days=8 + 7 * LANGUAGES.index(lang))
    return (day + timedelta(days=(2 - day.weekday()) % 7)).isoformat()


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("eservices-browser"))
    with served(app) as url:
        yield url


def png_file(name):
    data = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 90, 160)).save(data, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": data.getvalue()}


def press_button(page, name):
    """Focus a button or link by its name and press Enter, as a keyboard user does."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name)).first.focus()
        page.keyboard.press("Enter")


def type_into(page, field, value):
    """Fill one field with the keyboard: type into text fields, choose an option of a
    select or a radio group with the arrow keys and space."""
    element = page.locator(f"[name='{field}']").first
    kind = element.evaluate("e => e.type")
    if kind == "file":
        element.set_input_files(png_file(value))
    elif kind == "radio":
        page.locator(f"[name='{field}'][value='{value}']").focus()
        page.keyboard.press("Space")
    elif kind in ("select-one", "date"):
        element.focus()   # a date's keys depend on the browser's locale: set it as the picker would
        element.select_option(value) if kind == "select-one" else element.fill(value)
    else:
        element.focus()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)


def continue_label(lang):
    return {"sv": "Fortsätt", "en": "Continue"}[lang]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", SERVICES)
def test_a_citizen_sends_each_service_with_the_keyboard(page, portal, lang, code):
    page.goto(f"{portal}{PATHS[lang]}/{code}")
    assert_accessible(page)
    start = page.locator("a.button-start")
    start.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for answers in SERVICES[code]:
        press_button(page, continue_label(lang))           # empty: the error state
        expect(page.locator(".error-summary")).to_be_focused()
        assert_accessible(page)
        for field, value in answers.items():
            if field == "organisation":
                continue   # asked only of föreningar and företag
            type_into(page, field, a_wednesday_ahead(lang) if value == "wednesday" else value)
        press_button(page, continue_label(lang))
    expect(page.locator("h1")).to_have_text({"sv": "Kontrollera dina svar", "en": "Check your answers"}[lang])
    assert_accessible(page)
    press_button(page, {"sv": "Skicka", "en": "Send"}[lang])
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"SJB-\d{4}-\d{6}", reference)
    assert_accessible(page)
    tracking = page.get_by_role("link", name=re.compile(reference))
    tracking.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(reference)
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_is_accessible(page, portal, lang):
    page.goto(f"{portal}{PATHS[lang]}")
    expect(page.locator("main .card")).to_have_count(len(SERVICES))
    assert_accessible(page)
