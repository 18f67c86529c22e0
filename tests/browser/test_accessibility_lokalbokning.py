"""Lokalbokning's pages pass axe-core's WCAG 2.1 A/AA rules in Swedish and English, on
a phone's width (390 px) and a desktop's: the rooms, a room's week, the booking page
with its messages, check your answers with a series' conflicts, a refusal with the
nearest free times, the tracking page with its cancel button, and the rooms' admin
pages.  The week view works by keyboard: Tab reaches the first free time.

These tests book rooms, so they run on a portal of their own.
"""
import itertools
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from eservices.services.lokalbokning import availability, booking
from eservices.services.lokalbokning.models import WEEKDAYS, CustomerType, Room
from portal.clock import utcnow
from portal.extensions import db
from tests.browser.conftest import assert_accessible, follow, login, served
from tests.browser.test_accessibility_content import switch_to_english
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en"]
PHONE = {"width": 390, "height": 844}
# Each run of a parametrised test books a time of its own (the portal is shared by the module).
RUNS = itertools.count()


def next_tuesday():
    day = availability.local_date(utcnow()) + timedelta(days=4)
    return day + timedelta(days=(1 - day.weekday()) % 7)


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    """(base URL, app, room id) of a demo portal of this module's own; the hall is booked on
    the second Tuesday evening, so a series from the first Tuesday has a conflict."""
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("rooms-pages"))
    with app.app_context():
        hall = Room(department_id=db.session.scalar(select(Room.department_id).where(Room.name == "Sjöbackahallen")),
                    name="Testhallen", capacity=80, accessibility="Ramp och RWC", equipment=["Mål"],
                    opening_hours={day: ["08:00", "22:00"] for day in WEEKDAYS}, open_on_holidays=True,
                    min_minutes=60, max_minutes=240, min_notice_hours=24, max_days_ahead=180, cancel_hours_before=48,
                    prices={"privatperson": 20000, "forening": 5000})
        db.session.add(hall)
        db.session.flush()
        second = next_tuesday() + timedelta(days=7)
        booking.book(hall, *availability.local_slot(second, time(17), time(22)), CustomerType.PRIVATE)
        db.session.commit()
        hall_id = hall.id
    with served(app) as url:
        yield url, app, hall_id


@pytest.fixture(params=["phone", "desktop"])
def sized_page(request, page):
    if request.param == "phone":
        page.set_viewport_size(PHONE)
    return page


def go(page, base, path, lang):
    assert page.goto(f"{base}{path}").status == 200
    if lang == "en":
        switch_to_english(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_rooms_and_a_rooms_week(sized_page, portal, lang):
    page = sized_page
    base, _app, hall_id = portal
    go(page, base, "/sv/lokaler", lang)
    expect(page.locator(".room-card")).to_have_count(5)
    assert_accessible(page)
    follow(page, page.locator(f"a[href$='/{hall_id}']").first)
    table = page.locator("table.week-table")
    expect(table.locator("caption")).to_be_visible()
    expect(table.locator("tbody th[scope=row]")).to_have_count(7)
    assert_accessible(page)
    follow(page, page.locator(".week-nav a").last)          # the next week
    expect(table.locator("tbody tr")).to_have_count(7)
    assert_accessible(page)


def test_the_week_view_by_keyboard(page, portal):
    base, _app, hall_id = portal
    page.goto(f"{base}/sv/lokaler/{hall_id}?vecka={next_tuesday().isoformat()}")
    first_free = page.locator("table.week-table tbody a").first
    for _tab in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('table.week-table') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == first_free.text_content()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/steg/bokning?lokal=" in page.url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_booking_a_season_from_the_form_to_the_tracking_page(sized_page, portal, lang):
    page = sized_page
    base, _app, hall_id = portal
    go(page, base, f"/sv/e-tjanster/lokalbokning/steg/bokning?lokal={hall_id}", lang)
    follow(page, page.locator("main form button.button"))
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    first, hour = next_tuesday(), 17 + next(RUNS) % 5          # the second Tuesday is taken 17–22
    page.check("input[name=customer_type][value=forening]")
    page.fill("#day", first.isoformat())
    page.fill("#starts", f"{hour}.00" if lang == "sv" else f"{hour}:00")
    page.fill("#ends", f"{hour + 1}.00" if lang == "sv" else f"{hour + 1}:00")
    page.check("#weekly")
    page.fill("#until", (first + timedelta(days=21)).isoformat())
    follow(page, page.locator("main form button.button"))
    page.fill("#name", "Bo Berg")
    page.fill("#email", "bo@example.se")
    follow(page, page.locator("main form button.button"))
    expect(page.locator("#organisation-error")).to_be_visible()
    assert_accessible(page)
    page.fill("#organisation", "Sjöbacka IK")
    follow(page, page.locator("main form button.button"))
    expect(page.locator("#series-conflicts li")).to_have_count(1)
    assert_accessible(page)
    follow(page, page.locator("main form button.button").first)
    follow(page, page.locator("main a[href*='/arende/'], main a[href*='/case/']").first)
    expect(page.locator("table.booking-table tbody tr")).to_have_count(3)
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_taken_time_offers_the_nearest_free_ones(sized_page, portal, lang):
    page = sized_page
    base, app, hall_id = portal
    day = next_tuesday() + timedelta(days=2 + next(RUNS))
    go(page, base, f"/sv/e-tjanster/lokalbokning/steg/bokning?lokal={hall_id}", lang)
    page.check("input[name=customer_type][value=privatperson]")
    page.fill("#day", day.isoformat())
    page.fill("#starts", "10")
    page.fill("#ends", "12")
    follow(page, page.locator("main form button.button"))
    page.fill("#name", "Ada Ek")
    page.check("input[name=notify_by][value=page]")
    follow(page, page.locator("main form button.button"))
    with app.app_context():
        hall = db.session.get(Room, hall_id)
        booking.book(hall, *availability.local_slot(day, time(9), time(11)), CustomerType.PRIVATE)
        db.session.commit()
    follow(page, page.locator("main form button.button").first)
    expect(page.locator(".error-summary .suggestions li")).to_have_count(3)
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_room_admin_pages(page, portal, lang):
    base, _app, hall_id = portal
    login(page, base, "admin")
    go(page, base, "/sv/hantera-lokaler", lang)
    assert_accessible(page)
    go(page, base, "/sv/hantera-lokaler/ny", lang)
    page.fill("#mon_opens", "08.00")
    follow(page, page.locator("main form button.button"))
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    go(page, base, f"/sv/hantera-lokaler/{hall_id}", lang)
    assert_accessible(page)
