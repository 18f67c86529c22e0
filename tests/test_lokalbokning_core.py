"""Lokalbokning's core: the booking rules, the week view, suggestions, series, price,
cancelling, the calendar file, and no double booking under real concurrent requests.

The rules are pure functions and are tested with rooms that never touch a
database.  The race runs on SQLite always and on PostgreSQL when
PORTAL_TEST_DATABASE_URL points to a database that may be emptied (as in
``tests/test_postgres.py``).  2026 is used for the clock changes: the last
Sundays of March and October (29 March, 25 October) are not holidays then,
unlike Easter Sunday 2027.
"""
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, text

from eservices.services.lokalbokning import availability, booking
from eservices.services.lokalbokning.availability import Slot, to_utc
from eservices.services.lokalbokning.booking import SlotTaken
from eservices.services.lokalbokning.models import WEEKDAYS, Booking, BookingStatus, CustomerType, Room
from portal.actions import ActionRefused
from portal.extensions import db
from portal.org.models import Department
from tests.conftest import make_app

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
# Monday 2 March 2026, 09.00 in Stockholm.
NOW = datetime(2026, 3, 2, 8, 0)
MON_TO_SAT = {day: ["08:00", "22:00"] for day in WEEKDAYS[:6]}
EVERY_DAY = {day: ["08:00", "22:00"] for day in WEEKDAYS}
PRICES = {"privatperson": 20000, "forening": 5000, "foretag": 40000}
RACERS = 30


def room_values(**changes):
    values = dict(name="Stora salen", description="Samlingssal med scen", address="Storgatan 1, Storstad",
                  capacity=120, accessibility="Hiss, hörslinga och RWC", equipment=["projektor", "scen"],
                  opening_hours=EVERY_DAY, open_on_holidays=False, min_minutes=60, max_minutes=240,
                  min_notice_hours=24, max_days_ahead=180, cancel_hours_before=48, auto_approve=False,
                  prices=PRICES, active=True)
    return {**values, **changes}


def make_room(**changes):
    """A room outside any database, for the pure rules."""
    return Room(id=1, department_id=1, **room_values(**changes))


def local(*parts):
    """A Stockholm wall-clock time as the naive UTC the code works in."""
    return to_utc(datetime(*parts))


def local_slot(day, starts, ends):
    return Slot(local(*day, *starts), local(*day, *ends))


def messages(problems):
    return [str(problem) for problem in problems]


# --- opening hours and the clock changes -------------------------------------------------


def test_opening_hours_follow_the_local_clock_when_summer_time_starts():
    room = make_room()
    assert availability.opening(room, date(2026, 3, 28)) == Slot(datetime(2026, 3, 28, 7),
                                                                   datetime(2026, 3, 28, 21))
    assert availability.opening(room, date(2026, 3, 29)) == Slot(datetime(2026, 3, 29, 6),
                                                                   datetime(2026, 3, 29, 20))
    half_past_six_utc = Slot(datetime(2026, 3, 29, 6, 30), datetime(2026, 3, 29, 7, 30))
    assert availability.slot_problems(room, half_past_six_utc, NOW) == []
    saturday_same_utc = Slot(datetime(2026, 3, 28, 6, 30), datetime(2026, 3, 28, 7, 30))
    assert messages(availability.slot_problems(room, saturday_same_utc, NOW)) == [
        "Lokalen är öppen 08.00–22.00 den dagen."]


def test_opening_hours_follow_the_local_clock_when_summer_time_ends():
    room = make_room(max_days_ahead=365)
    assert availability.opening(room, date(2026, 10, 24)).starts_at == datetime(2026, 10, 24, 6)
    assert availability.opening(room, date(2026, 10, 25)).starts_at == datetime(2026, 10, 25, 7)
    last_hour = local_slot((2026, 10, 25), (21, 0), (22, 0))
    assert last_hour == Slot(datetime(2026, 10, 25, 20), datetime(2026, 10, 25, 21))
    assert availability.slot_problems(room, last_hour, NOW) == []
    assert availability.slot_problems(room, Slot(last_hour.starts_at + timedelta(hours=1),
                                                 last_hour.ends_at + timedelta(hours=1)), NOW)


def test_lengths_and_prices_count_real_hours_on_the_nights_the_clocks_change():
    night_room = make_room(opening_hours={day: ["00:00", "24:00"] for day in WEEKDAYS},
                           min_minutes=180, max_minutes=180, max_days_ahead=365)
    assert availability.local_day(date(2026, 3, 29)).duration == timedelta(hours=23)
    assert availability.local_day(date(2026, 10, 25)).duration == timedelta(hours=25)
    spring = local_slot((2026, 3, 29), (1, 0), (4, 0))     # 01.00–04.00 on the wall: two hours
    assert spring.duration == timedelta(hours=2)
    assert messages(availability.slot_problems(night_room, spring, NOW)) == [
        "En bokning måste vara minst 180 minuter lång."]
    assert booking.price(night_room, CustomerType.PRIVATE, spring.starts_at, spring.ends_at) == 40000
    autumn = Slot(local(2026, 10, 25, 1, 0), local(2026, 10, 25, 3, 0))   # 01.00–03.00: three hours
    assert availability.slot_problems(night_room, autumn, NOW) == []
    assert booking.price(night_room, CustomerType.PRIVATE, autumn.starts_at, autumn.ends_at) == 60000


# --- each rule, with its numbers ---------------------------------------------------------

WEDNESDAY = (2026, 3, 11)


@pytest.mark.parametrize("changes, slot, customer, expected", [
    ({}, local_slot(WEDNESDAY, (10, 0), (12, 0)), CustomerType.PRIVATE, []),
    ({}, local_slot(WEDNESDAY, (12, 0), (10, 0)), None, ["Sluttiden måste vara efter starttiden."]),
    ({"active": False}, local_slot(WEDNESDAY, (10, 0), (12, 0)), None,
     ["Lokalen går inte att boka just nu."]),
    ({}, local_slot((2026, 3, 1), (10, 0), (12, 0)), None, ["Tiden har redan passerat."]),
    ({}, local_slot((2026, 3, 2), (20, 0), (21, 0)), None,
     ["Lokalen måste bokas minst 24 timmar före starttiden."]),
    ({}, local_slot((2026, 9, 1), (10, 0), (12, 0)), None,
     ["Lokalen kan bokas högst 180 dagar i förväg."]),
    ({}, local_slot(WEDNESDAY, (10, 0), (10, 30)), None,
     ["En bokning måste vara minst 60 minuter lång."]),
    ({}, local_slot(WEDNESDAY, (10, 0), (15, 0)), None,
     ["En bokning får vara högst 240 minuter lång."]),
    ({}, local_slot(WEDNESDAY, (7, 0), (9, 0)), None, ["Lokalen är öppen 08.00–22.00 den dagen."]),
    ({"opening_hours": {**EVERY_DAY, "wed": ["17:00", "21:30"]}}, local_slot(WEDNESDAY, (20, 0), (22, 0)),
     None, ["Lokalen är öppen 17.00–21.30 den dagen."]),
    ({"opening_hours": MON_TO_SAT}, local_slot((2026, 3, 15), (10, 0), (12, 0)), None,
     ["Lokalen är stängd den dagen."]),
    ({}, local_slot((2026, 4, 6), (10, 0), (12, 0)), None,     # annandag påsk
     ["Lokalen är stängd den dagen eftersom det är helgdag."]),
    ({"open_on_holidays": True}, local_slot((2026, 4, 6), (10, 0), (12, 0)), None, []),
    ({"prices": {"forening": 0}}, local_slot(WEDNESDAY, (10, 0), (12, 0)), CustomerType.COMPANY,
     ["Lokalen kan inte bokas av företag."]),
    ({"prices": {"forening": 0}}, local_slot(WEDNESDAY, (10, 0), (12, 0)), CustomerType.ASSOCIATION, []),
    ({}, local_slot((2026, 3, 3), (7, 0), (7, 30)), None,
     ["Lokalen måste bokas minst 24 timmar före starttiden.",
      "En bokning måste vara minst 60 minuter lång.", "Lokalen är öppen 08.00–22.00 den dagen."]),
], ids=["fine", "reversed", "inactive", "past", "notice", "too far ahead", "too short", "too long",
        "before opening", "closes early", "closed weekday", "holiday", "open on holidays",
        "customer type", "free for associations", "several at once"])
def test_each_rule_refuses_with_its_own_message(changes, slot, customer, expected):
    assert messages(availability.slot_problems(make_room(**changes), slot, NOW, customer)) == expected


# --- week view ---------------------------------------------------------------------------


def test_week_view_lists_open_free_and_taken_slots_per_day():
    room = make_room(opening_hours=MON_TO_SAT)
    taken = [local_slot(WEDNESDAY, (10, 0), (12, 0)), local_slot(WEDNESDAY, (12, 30), (13, 0))]
    now = local(2026, 3, 9, 12, 0)          # Monday noon: the notice ends Tuesday noon
    days = availability.week(room, date(2026, 3, 11), taken, now)
    assert [day.day for day in days] == [date(2026, 3, 9) + timedelta(days=n) for n in range(7)]
    monday, tuesday, wednesday, *_rest, sunday = days
    assert monday.free == [] and monday.opening == local_slot((2026, 3, 9), (8, 0), (22, 0))
    assert tuesday.free == [local_slot((2026, 3, 10), (12, 0), (22, 0))]
    assert wednesday.taken == taken
    # 12.00–12.30 is shorter than the shortest booking and is not offered.
    assert wednesday.free == [local_slot(WEDNESDAY, (8, 0), (10, 0)), local_slot(WEDNESDAY, (13, 0), (22, 0))]
    assert sunday.opening is None and str(sunday.closed_because) == "Lokalen är stängd den dagen."


def test_week_view_across_the_spring_clock_change():
    room = make_room()
    days = availability.week(room, date(2026, 3, 29), [], NOW)
    saturday, sunday = days[5], days[6]
    assert [slot.local_start.hour for slot in saturday.free + sunday.free] == [8, 8]
    assert saturday.free[0].duration == sunday.free[0].duration == timedelta(hours=14)
    assert sunday.free[0].starts_at == datetime(2026, 3, 29, 6)


def test_week_view_shows_a_holiday_as_closed_with_its_bookings():
    room = make_room()
    staff_booking = local_slot((2026, 4, 6), (10, 0), (12, 0))
    easter_monday = availability.week(room, date(2026, 4, 6), [staff_booking], NOW)[0]
    assert easter_monday.opening is None and easter_monday.taken == [staff_booking]
    assert "helgdag" in str(easter_monday.closed_because)


# --- suggestions -------------------------------------------------------------------------


def test_suggestions_same_day_first_then_the_next_days_nearest_to_the_time():
    room = make_room()
    wanted = local_slot(WEDNESDAY, (10, 0), (12, 0))
    taken = [wanted, local_slot(WEDNESDAY, (12, 0), (14, 0)), local_slot(WEDNESDAY, (14, 0), (22, 0))]
    assert availability.nearest_free(room, wanted, taken, NOW) == [
        local_slot(WEDNESDAY, (8, 0), (10, 0)),                       # right before the booking
        local_slot((2026, 3, 12), (10, 0), (12, 0)),                  # Thursday, same time
        local_slot((2026, 3, 12), (9, 30), (11, 30)),                 # as near: the earlier first
    ]


def test_suggestions_start_right_after_an_odd_booking_and_skip_holidays():
    room = make_room()
    wanted = local_slot((2026, 5, 13), (10, 0), (11, 0))
    taken = [local_slot((2026, 5, 13), (8, 0), (10, 15)), local_slot((2026, 5, 13), (11, 30), (22, 0))]
    assert availability.nearest_free(room, wanted, taken, NOW) == [
        local_slot((2026, 5, 13), (10, 15), (11, 15)), local_slot((2026, 5, 13), (10, 30), (11, 30)),
        local_slot((2026, 5, 15), (10, 0), (11, 0))]
    whole_day = [local_slot((2026, 5, 13), (8, 0), (22, 0))]
    suggestions = availability.nearest_free(room, wanted, whole_day, NOW)
    assert [slot.local_start.date() for slot in suggestions] == [date(2026, 5, 15)] * 3  # 14 May: Kristi himmelfärd
    assert [slot.local_start.time() for slot in suggestions] == [time(10, 0), time(9, 30), time(10, 30)]


def test_suggestions_keep_the_wall_clock_time_across_the_clock_change():
    room = make_room()
    saturday = local_slot((2026, 3, 28), (8, 0), (22, 0))
    wanted = local_slot((2026, 3, 28), (10, 0), (11, 0))
    first = availability.nearest_free(room, wanted, [saturday], NOW)[0]
    assert first.starts_at == datetime(2026, 3, 29, 8) and first.local_start.hour == 10


def test_suggestions_respect_notice_reach_and_customer_type():
    room = make_room(max_days_ahead=10, prices={"forening": 0})
    wanted = local_slot((2026, 3, 3), (10, 0), (11, 0))
    assert availability.nearest_free(room, wanted, [], NOW, CustomerType.COMPANY) == []
    suggestions = availability.nearest_free(room, wanted, [wanted], NOW + timedelta(hours=2))
    assert all(slot.starts_at >= NOW + timedelta(hours=26) for slot in suggestions)
    assert suggestions[0] == local_slot((2026, 3, 3), (11, 0), (12, 0))
    last_day = local_slot((2026, 3, 12), (8, 0), (22, 0))
    assert availability.nearest_free(room, local_slot((2026, 3, 12), (10, 0), (11, 0)), [last_day], NOW) == []


# --- weekly series -----------------------------------------------------------------------


def test_series_dates_fall_on_the_weekday_from_first_to_last():
    assert availability.series_days(date(2026, 3, 3), date(2026, 3, 26), 3) == [
        date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 19), date(2026, 3, 26)]
    assert availability.series_days(date(2026, 3, 5), date(2026, 3, 5), 3) == [date(2026, 3, 5)]
    assert availability.series_days(date(2026, 3, 6), date(2026, 3, 11), 3) == []


def test_a_season_lists_taken_and_holiday_dates_and_keeps_the_local_time():
    room = make_room(max_days_ahead=30)
    taken = [local_slot((2026, 4, 16), (17, 0), (19, 0))]
    dates = availability.weekly_series(room, date(2026, 3, 2), date(2026, 5, 31), 3, time(18), time(20),
                                       taken, NOW, CustomerType.ASSOCIATION)
    assert len(dates) == 13 and dates[0].day == date(2026, 3, 5) and dates[-1].day == date(2026, 5, 28)
    by_day = {series_date.day: series_date for series_date in dates}
    assert by_day[date(2026, 3, 26)].slot.starts_at == datetime(2026, 3, 26, 17)   # winter time
    assert by_day[date(2026, 4, 2)].slot.starts_at == datetime(2026, 4, 2, 16)     # summer time
    conflicts = {series_date.day: messages(series_date.problems) for series_date in dates
                 if not series_date.bookable}
    assert conflicts == {date(2026, 4, 16): ["Tiden är redan bokad."],
                         date(2026, 5, 14): ["Lokalen är stängd den dagen eftersom det är helgdag."]}


def test_only_the_first_date_of_a_season_must_be_within_reach():
    room = make_room(max_days_ahead=2)
    dates = availability.weekly_series(room, date(2026, 3, 2), date(2026, 3, 31), 3, time(18), time(20),
                                       [], NOW)
    assert messages(dates[0].problems) == ["Lokalen kan bokas högst 2 dagar i förväg."]
    assert all(series_date.bookable for series_date in dates[1:])


def test_a_series_outside_the_opening_hours_or_too_long_says_so_on_every_date():
    room = make_room(opening_hours={**EVERY_DAY, "tue": ["08:00", "17:00"]})
    dates = availability.weekly_series(room, date(2026, 3, 2), date(2026, 3, 17), 1, time(16), time(21),
                                       [], NOW)
    assert [messages(series_date.problems) for series_date in dates] == [
        ["En bokning får vara högst 240 minuter lång.", "Lokalen är öppen 08.00–17.00 den dagen."]] * 3


# --- price, cancelling, changes of state -------------------------------------------------------


def test_price_per_customer_type_to_the_nearest_ore():
    room = make_room()
    start = local(2026, 3, 11, 10, 0)
    assert booking.price(room, CustomerType.PRIVATE, start, start + timedelta(minutes=90)) == 30000
    assert booking.price(room, "forening", start, start + timedelta(minutes=50)) == 4167   # 4166.67
    assert booking.price(room, CustomerType.COMPANY, start, start + timedelta(hours=3)) == 120000
    assert booking.price(make_room(prices={"forening": 0}), "foretag", start, start + timedelta(hours=1)) is None
    assert booking.price(make_room(prices={"forening": 0}), "forening", start, start + timedelta(hours=1)) == 0


def a_booking(status=BookingStatus.CONFIRMED, **room_changes):
    room = make_room(**room_changes)
    return Booking(id=42, room=room, room_id=room.id, starts_at=datetime(2026, 3, 13, 9),
                   ends_at=datetime(2026, 3, 13, 11), status=status, customer_type=CustomerType.PRIVATE)


def test_cancelling_is_possible_until_the_deadline():
    confirmed = a_booking(cancel_hours_before=48)
    assert booking.cancel_deadline(confirmed) == datetime(2026, 3, 11, 9)
    assert booking.can_cancel(confirmed, datetime(2026, 3, 11, 9))
    assert not booking.can_cancel(confirmed, datetime(2026, 3, 11, 9, 1))
    assert not booking.can_cancel(a_booking(BookingStatus.DENIED), NOW)
    assert booking.can_cancel(a_booking(BookingStatus.PRELIMINARY, cancel_hours_before=0),
                              datetime(2026, 3, 13, 9))


def test_only_a_preliminary_booking_is_approved_or_denied_and_only_a_held_one_cancelled():
    preliminary = a_booking(BookingStatus.PRELIMINARY)
    booking.approve(preliminary)
    assert preliminary.status == BookingStatus.CONFIRMED and preliminary.holds_slot
    for change in (booking.approve, booking.deny):
        with pytest.raises(ActionRefused, match="redan besvarat"):
            change(preliminary)
    denied = a_booking(BookingStatus.PRELIMINARY)
    booking.deny(denied)
    assert denied.status == BookingStatus.DENIED and not denied.holds_slot
    booking.cancel(preliminary)
    assert preliminary.status == BookingStatus.CANCELLED
    for change in (booking.cancel, booking.approve):
        with pytest.raises(ActionRefused):
            change(preliminary)


# --- the calendar file --------------------------------------------------------------------


def test_the_calendar_file_parses_back_with_the_right_times(tmp_path):
    app = make_app(tmp_path, PORTAL_BASE_URL="https://portal.storstad.se")
    confirmed = a_booking()
    with app.app_context():
        data = booking.ics(confirmed, confirmed.room, "LB-2026-0007")
        again = booking.ics(confirmed, confirmed.room, "LB-2026-0007")
    assert b"\r\n" in data and data.startswith(b"BEGIN:VCALENDAR")
    calendar = Calendar.from_ical(data)
    assert str(calendar["METHOD"]) == "PUBLISH" and str(calendar["VERSION"]) == "2.0"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 3, 13, 9, tzinfo=timezone.utc)
    assert event.decoded("DTEND") == datetime(2026, 3, 13, 11, tzinfo=timezone.utc)
    assert event.decoded("DTSTART").astimezone(availability.LOCAL_ZONE).hour == 10
    assert str(event["UID"]) == "lokalbokning-42@portal.storstad.se"
    assert str(Calendar.from_ical(again).walk("VEVENT")[0]["UID"]) == str(event["UID"])
    assert "DTSTAMP" in event and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Stora salen"
    assert str(event["LOCATION"]) == "Stora salen, Storgatan 1, Storstad"
    assert "LB-2026-0007" in str(event["DESCRIPTION"])


# --- on a database ---------------------------------------------------------------------------


def prepared_app(folder, url=None, racers=RACERS):
    """A migrated, empty portal database with a pool large enough for every racer."""
    config = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": racers + 5, "max_overflow": 0}}
    if url:
        config["SQLALCHEMY_DATABASE_URI"] = url
    app = make_app(folder, **config)
    if url:
        with app.app_context():
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.add(Department(code="KF", names={"sv": "Kultur- och fritidsförvaltningen"}))
        db.session.commit()
    return app


@pytest.fixture(scope="module", params=[
    "sqlite",
    pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.skipif(
        not PG_URL, reason="PORTAL_TEST_DATABASE_URL is not set")]),
])
def db_app(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    app = prepared_app(folder, request.getfixturevalue("postgres_url") if request.param == "postgres" else None)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def room_id(db_app):
    """A new room for each test, so that no test sees another's bookings."""
    with db_app.app_context():
        department = db.session.scalar(select(Department).where(Department.code == "KF"))
        room = Room(department_id=department.id, **room_values())
        db.session.add(room)
        db.session.commit()
        return room.id


def bookings_of(room_id):
    return db.session.scalars(select(Booking).where(Booking.room_id == room_id)
                              .order_by(Booking.starts_at)).all()


def test_a_booking_is_preliminary_unless_the_room_approves_itself(db_app, room_id):
    with db_app.app_context():
        room = db.session.get(Room, room_id)
        first = booking.book(room, *local_slot(WEDNESDAY, (10, 0), (11, 30)), CustomerType.ASSOCIATION, now=NOW)
        db.session.commit()
        assert (first.status, first.price_ore) == (BookingStatus.PRELIMINARY, 7500)
        room.auto_approve = True
        second = booking.book(room, *local_slot(WEDNESDAY, (11, 30), (12, 30)), "privatperson", now=NOW)
        db.session.commit()
        assert second.status == BookingStatus.CONFIRMED      # back to back with the first


def test_an_overlap_is_refused_with_suggestions_and_a_freed_slot_can_be_booked(db_app, room_id):
    with db_app.app_context():
        room = db.session.get(Room, room_id)
        held = booking.book(room, *local_slot(WEDNESDAY, (10, 0), (12, 0)), CustomerType.PRIVATE, now=NOW)
        db.session.commit()
        with pytest.raises(SlotTaken) as refused:
            booking.book(room, *local_slot(WEDNESDAY, (11, 0), (13, 0)), CustomerType.PRIVATE, now=NOW)
        db.session.rollback()
        assert refused.value.suggestions[0] == local_slot(WEDNESDAY, (12, 0), (14, 0))
        assert "närmaste lediga" in refused.value.message
        booking.deny(held)
        db.session.commit()
        booking.book(room, *local_slot(WEDNESDAY, (11, 0), (13, 0)), CustomerType.PRIVATE, now=NOW)
        db.session.commit()
        assert [b.status for b in bookings_of(room_id)] == [BookingStatus.DENIED, BookingStatus.PRELIMINARY]


def test_a_refusal_leaves_the_callers_transaction_usable(db_app, room_id):
    """The case written before the booking in the same transaction can still be saved
    (on PostgreSQL the refused insert was in a savepoint)."""
    with db_app.app_context():
        room = db.session.get(Room, room_id)
        booking.book(room, *local_slot(WEDNESDAY, (10, 0), (12, 0)), CustomerType.PRIVATE, now=NOW)
        db.session.commit()
        room.description = "Written first in the caller's transaction"
        db.session.flush()
        with pytest.raises(SlotTaken):
            booking.book(room, *local_slot(WEDNESDAY, (10, 0), (12, 0)), CustomerType.PRIVATE, now=NOW)
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Room, room_id).description == "Written first in the caller's transaction"


def test_a_series_is_booked_under_one_id_and_its_plan_sees_the_bookings(db_app, room_id):
    with db_app.app_context():
        room = db.session.get(Room, room_id)
        booking.book(room, *local_slot((2026, 3, 19), (18, 0), (19, 0)), CustomerType.PRIVATE, now=NOW)
        plan = booking.plan_series(room, date(2026, 3, 2), date(2026, 3, 31), 3, time(18), time(20),
                                   CustomerType.ASSOCIATION, now=NOW)
        assert [series_date.day for series_date in plan if not series_date.bookable] == [date(2026, 3, 19)]
        booked = booking.book_series(room, [d.slot for d in plan if d.bookable], CustomerType.ASSOCIATION,
                                     now=NOW)
        db.session.commit()
        assert len(booked) == 3 and len({b.series_id for b in booked}) == 1
        week = booking.week_view(room, date(2026, 3, 19), now=NOW)
        assert week[3].taken == [local_slot((2026, 3, 19), (18, 0), (19, 0))]
        assert week[3].free == [local_slot((2026, 3, 19), (8, 0), (18, 0)), local_slot((2026, 3, 19), (19, 0), (22, 0))]


# --- the race: many requests for one slot at once ----------------------------------------------

RACED_SLOT = local_slot(WEDNESDAY, (18, 0), (20, 0))


def race(app, room_id, racers=RACERS):
    """``racers`` threads, each with its own app context and session, book one slot at once.

    Returns what each got: ``"booked"``, the ``SlotTaken`` it raised, or another error.
    """
    start = threading.Barrier(racers)

    def attempt(_number):
        with app.app_context():
            room = db.session.get(Room, room_id)
            start.wait()
            try:
                booking.book(room, *RACED_SLOT, CustomerType.ASSOCIATION, now=NOW)
                db.session.commit()
                return "booked"
            except SlotTaken as taken:
                db.session.rollback()
                return taken
            except Exception as error:      # reported by the test, not swallowed
                db.session.rollback()
                return error

    with ThreadPoolExecutor(racers) as pool:
        return list(pool.map(attempt, range(racers)))


def holding_bookings(app, room_id):
    with app.app_context():
        return db.session.scalar(select(func.count(Booking.id)).where(
            Booking.room_id == room_id, Booking.status.in_(["preliminary", "confirmed"])))


def test_of_concurrent_requests_for_one_slot_exactly_one_wins(db_app, room_id, monkeypatch):
    refused_by_constraint = []
    is_overlap = booking._is_overlap
    monkeypatch.setattr(booking, "_is_overlap",
                        lambda error: refused_by_constraint.append(1) or is_overlap(error))
    outcomes = race(db_app, room_id)
    losers = [outcome for outcome in outcomes if outcome != "booked"]
    assert outcomes.count("booked") == 1, outcomes
    assert all(isinstance(loser, SlotTaken) for loser in losers), losers
    assert all(loser.suggestions and not any(slot.overlaps(RACED_SLOT) for slot in loser.suggestions)
               for loser in losers)
    assert losers[0].suggestions[:2] == [local_slot(WEDNESDAY, (16, 0), (18, 0)),
                                         local_slot(WEDNESDAY, (20, 0), (22, 0))]
    assert holding_bookings(db_app, room_id) == 1
    print(f"\n{db_app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: 1 booked, {len(losers)} refused, "
          f"{len(refused_by_constraint)} of them by the database's constraint")


def test_the_constraint_alone_keeps_postgresql_from_double_booking(db_app, room_id, monkeypatch):
    """With the check before the insert taken away, every loser is refused by the
    exclusion constraint."""
    if db_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has no exclusion constraint")
    monkeypatch.setattr(booking, "_overlaps_a_booking", lambda room_id, slot: False)
    outcomes = race(db_app, room_id)
    assert outcomes.count("booked") == 1, outcomes
    assert all(isinstance(outcome, SlotTaken) for outcome in outcomes if outcome != "booked")
    assert holding_bookings(db_app, room_id) == 1


def test_without_the_guards_the_race_double_books(db_app, room_id, monkeypatch):
    """The race is real: with the overlap check and the constraint taken away it books
    the slot many times over, so the tests above would fail."""
    monkeypatch.setattr(booking, "_overlaps_a_booking", lambda room_id, slot: False)
    postgres = not db_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if postgres:
        with db_app.app_context():
            db.session.execute(text("ALTER TABLE room_booking DROP CONSTRAINT ex_room_booking_no_overlap"))
            db.session.commit()
    try:
        outcomes = race(db_app, room_id)
    finally:
        with db_app.app_context():
            db.session.execute(text("DELETE FROM room_booking WHERE room_id = :id"), {"id": room_id})
            if postgres:
                db.session.execute(text(
                    "ALTER TABLE room_booking ADD CONSTRAINT ex_room_booking_no_overlap EXCLUDE USING gist "
                    "(room_id WITH =, tsrange(starts_at, ends_at) WITH &&) "
                    "WHERE (status IN ('preliminary', 'confirmed'))"))
            db.session.commit()
    assert outcomes.count("booked") == RACERS, outcomes
