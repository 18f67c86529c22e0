"""Felanmälan in Chromium: "Använd min position" fills the coordinates from the
browser's position, the map (Leaflet from the portal, under the page's
Content-Security-Policy) picks a place and shows the open reports, the pages
pass axe, and without JavaScript the button stays hidden and the form works."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login, served
from tests.conftest import copy_of_demo
from tests.test_felanmalan import add_report

pytestmark = pytest.mark.browser

LAT, LON = 56.6612, 16.2001
TILES = "https://tiles.invalid/{z}/{x}/{y}.png"   # never reached: the map works without its tiles


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("felanmalan-browser"),
                       PORTAL_MAP_TILE_URL=TILES, PORTAL_MAP_ATTRIBUTION="© Kartbolaget <b>AB</b>")
    with app.app_context():
        add_report("klotter", LAT, LON, place="Stortorget")
        add_report("park", LAT + 0.002, LON + 0.003, place="Norrparken")
    with served(app) as url:
        yield url


@pytest.fixture
def located_page(browser):
    context = browser.new_context(locale="sv-SE", geolocation={"latitude": LAT, "longitude": LON},
                                  permissions=["geolocation"])
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def press(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).focus()
        page.keyboard.press("Enter")


def to_the_place_page(page, portal):
    page.goto(f"{portal}/sv/e-tjanster/felanmalan/steg/fel")
    page.select_option("#category", "gatubelysning")
    page.fill("#description", "Lampan är släckt sedan i måndags.")
    press(page, "Fortsätt")
    expect(page.locator("h1")).to_have_text("Platsen")


def test_use_my_position_and_the_map_fill_the_coordinates(located_page, portal):
    page = located_page
    refused = []   # what the Content-Security-Policy blocked (tiles, scripts, styles)
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    to_the_place_page(page, portal)
    button = page.get_by_role("button", name="Använd min position")
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#latitude")).to_have_value("56.661200")
    expect(page.locator("#longitude")).to_have_value("16.200100")
    expect(page.locator("#geolocate-status")).to_contain_text("Din position är ifylld")
    expect(page.locator("#fault-map .leaflet-marker-icon")).to_have_count(1)
    assert "Kartbolaget <b>AB</b>" in page.locator(".leaflet-control-attribution").inner_text()
    assert_accessible(page)
    page.locator("#fault-map").click(position={"x": 260, "y": 220})   # away from the zoom buttons
    expect(page.locator("#latitude")).not_to_have_value("56.661200")
    press(page, "Fortsätt")
    page.fill("#name", "Bo Berg")
    page.fill("#email", "bo@example.se")
    press(page, "Fortsätt")
    expect(page.locator("h1")).to_have_text("Kontrollera dina svar")
    press(page, "Skicka")
    assert re.fullmatch(r"SJB-\d{4}-\d{6}", page.locator(".reference").inner_text())
    assert not refused, refused


def test_the_public_list_shows_its_reports_on_the_map(page, portal):
    page.goto(f"{portal}/sv/felanmalningar")
    rows = page.locator("#reports-table tbody tr[data-lat]").count()
    assert rows >= 1
    expect(page.locator("#fault-map .leaflet-marker-icon")).to_have_count(rows)
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("#reports-table tbody a").first.click()
    expect(page.locator("#fault-map .leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)


def test_without_javascript_there_is_no_button_and_no_map(browser, portal):
    context = browser.new_context(locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        to_the_place_page(page, portal)
        expect(page.get_by_role("button", name="Använd min position")).to_be_hidden()
        expect(page.locator("#fault-map")).to_be_hidden()
        page.fill("#address", "Storgatan 12")
        press(page, "Fortsätt")
        expect(page.locator("h1")).to_have_text("Så får du besked")
    finally:
        context.close()


def test_the_category_pages_are_accessible(page, portal):
    login(page, portal, "admin")
    page.goto(f"{portal}/sv/admin/felkategorier")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Ny kategori").click()
    press(page, "Spara")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
