"""Business-hours SLA arithmetic (``eservices/sla.py``): pure functions, no app.

Times are written as Stockholm wall-clock times (``sthlm``) and compared as the
naive UTC the functions take and give; a few tests spell out the UTC value to
pin the offsets on both sides of a clock change (29 March and 25 October 2026).
Days used: Easter 2026 is 3–6 April, Kristi himmelsfärd 14 May 2026,
nationaldagen is a Friday in 2025 and a Saturday in 2026, midsommarafton
19 June 2026, julafton 2025 a Wednesday.
"""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine

from eservices.sla import (OK, OVERDUE, WARNING, BusinessHours, add_business_time,
                           answered_within_working_days, business_seconds, clock_state,
                           working_days_deadline)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HOUR = 3600
DAY = 9 * HOUR
DEFAULT = BusinessHours()
SHORT = BusinessHours(short_days=True)


def sthlm(*wall_clock):
    """A Stockholm wall-clock time as naive UTC, the database's convention."""
    return datetime(*wall_clock, tzinfo=STOCKHOLM).astimezone(timezone.utc).replace(tzinfo=None)


def hours_between(start, end, hours=DEFAULT, pauses=()):
    return business_seconds(hours, start, end, pauses) / HOUR


# --- the calendar ----------------------------------------------------------------------

def test_default_hours_are_eight_to_five_in_stockholm_without_short_days():
    assert (DEFAULT.opens, DEFAULT.closes, DEFAULT.zone, DEFAULT.short_days) == (
        time(8), time(17), "Europe/Stockholm", False)


@pytest.mark.parametrize("text, opens, closes", [
    ("08:00-17:00", time(8), time(17)),
    ("08:00-16:30", time(8), time(16, 30)),
    (" 07:00 – 16:00 ", time(7), time(16)),
])
def test_hours_from_a_config_string(text, opens, closes):
    hours = BusinessHours.from_config(text, short_days=True)
    assert (hours.opens, hours.closes, hours.short_days) == (opens, closes, True)


@pytest.mark.parametrize("text", ["", "08:00", "17:00-08:00", "08:00-08:00", "8-17", "08:00-17:00-18:00"])
def test_bad_config_strings_are_refused(text):
    with pytest.raises(ValueError):
        BusinessHours.from_config(text)


def test_open_hours_keep_the_wall_clock_across_both_clock_changes():
    assert DEFAULT.open_on(date(2026, 3, 27)) == (datetime(2026, 3, 27, 7), datetime(2026, 3, 27, 16))
    assert DEFAULT.open_on(date(2026, 3, 30)) == (datetime(2026, 3, 30, 6), datetime(2026, 3, 30, 15))
    assert DEFAULT.open_on(date(2026, 10, 23)) == (datetime(2026, 10, 23, 6), datetime(2026, 10, 23, 15))
    assert DEFAULT.open_on(date(2026, 10, 26)) == (datetime(2026, 10, 26, 7), datetime(2026, 10, 26, 16))


def test_the_short_days_are_the_bank_half_days_that_are_working_days():
    """What ``holidays`` lists in category ``bank``, less whole holidays and weekends:
    5 January 2025 is a Sunday, "dag före pingstafton" 2025 is nationaldagen."""
    def short_days(year):
        days = (date.fromordinal(n) for n in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1))
        return [day for day in days if SHORT.closing_on(day) == time(14) and SHORT.open_on(day)]
    assert short_days(2025) == [date(2025, 4, 17), date(2025, 4, 30), date(2025, 5, 28), date(2025, 6, 19),
                                date(2025, 10, 31), date(2025, 12, 23), date(2025, 12, 30)]
    assert short_days(2026) == [date(2026, 1, 5), date(2026, 4, 2), date(2026, 4, 30), date(2026, 5, 13),
                                date(2026, 5, 22), date(2026, 6, 18), date(2026, 10, 30), date(2026, 12, 23),
                                date(2026, 12, 30)]


def test_a_short_day_closing_never_comes_later_than_the_own_closing():
    early = BusinessHours(time(7), time(13), short_days=True)
    late = BusinessHours(time(14), time(20), short_days=True)
    assert early.open_on(date(2026, 4, 30))[1] == sthlm(2026, 4, 30, 13)
    assert late.open_on(date(2026, 4, 30)) is None
    assert late.open_on(date(2026, 4, 29)) == (sthlm(2026, 4, 29, 14), sthlm(2026, 4, 29, 20))


# --- business_seconds ----------------------------------------------------------------------

def test_one_working_day_is_nine_hours_and_the_night_counts_nothing():
    assert hours_between(sthlm(2026, 3, 9, 8), sthlm(2026, 3, 9, 17)) == 9
    assert hours_between(sthlm(2026, 3, 9, 6), sthlm(2026, 3, 10, 9, 30)) == 10.5
    assert hours_between(sthlm(2026, 3, 9, 17), sthlm(2026, 3, 10, 8)) == 0


def test_end_before_start_is_no_time():
    assert hours_between(sthlm(2026, 3, 10, 12), sthlm(2026, 3, 9, 12)) == 0


def test_a_weekend_counts_nothing():
    assert hours_between(sthlm(2026, 3, 6, 16), sthlm(2026, 3, 9, 9)) == 2


def test_easter_from_skartorsdagen_to_the_tuesday_after_annandag_pask():
    assert hours_between(sthlm(2026, 4, 2, 8), sthlm(2026, 4, 7, 17)) == 18
    assert hours_between(sthlm(2026, 4, 2, 8), sthlm(2026, 4, 7, 17), SHORT) == 15


def test_julafton_through_nyarsdagen_leaves_four_working_days_two_of_them_short():
    start, end = sthlm(2025, 12, 23, 8), sthlm(2026, 1, 2, 17)
    assert hours_between(start, end) == 4 * 9
    assert hours_between(start, end, SHORT) == 2 * 9 + 2 * 6


def test_nationaldagen_on_a_weekday_is_closed_and_on_a_saturday_gives_no_day_off():
    assert hours_between(sthlm(2025, 6, 5, 8), sthlm(2025, 6, 9, 17)) == 18
    assert hours_between(sthlm(2026, 6, 5, 8), sthlm(2026, 6, 8, 17)) == 18


def test_across_a_clock_change_a_day_is_still_nine_hours():
    assert hours_between(sthlm(2026, 3, 27, 8), sthlm(2026, 3, 30, 17)) == 18
    assert hours_between(sthlm(2026, 10, 23, 8), sthlm(2026, 10, 26, 17)) == 18


def test_per_forvaltning_hours_seven_to_four():
    early = BusinessHours.from_config("07:00-16:00")
    assert hours_between(sthlm(2026, 3, 9, 6), sthlm(2026, 3, 9, 16, 30), early) == 9
    assert add_business_time(early, sthlm(2026, 3, 9, 15), 2 * HOUR) == sthlm(2026, 3, 10, 8)


# --- pauses ----------------------------------------------------------------------------------

def test_overlapping_pauses_in_any_order_count_once():
    pauses = [(sthlm(2026, 3, 9, 11), sthlm(2026, 3, 9, 13)), (sthlm(2026, 3, 9, 10), sthlm(2026, 3, 9, 12))]
    assert hours_between(sthlm(2026, 3, 9, 8), sthlm(2026, 3, 9, 17), pauses=pauses) == 6


def test_a_pause_inside_another_counts_once():
    pauses = [(sthlm(2026, 3, 9, 10), sthlm(2026, 3, 9, 14)), (sthlm(2026, 3, 9, 11), sthlm(2026, 3, 9, 12))]
    assert hours_between(sthlm(2026, 3, 9, 8), sthlm(2026, 3, 9, 17), pauses=pauses) == 5


def test_a_pause_partly_outside_counts_only_inside():
    pauses = [(sthlm(2026, 3, 6, 12), sthlm(2026, 3, 9, 10)), (sthlm(2026, 3, 9, 16), sthlm(2026, 3, 11, 8))]
    assert hours_between(sthlm(2026, 3, 9, 8), sthlm(2026, 3, 9, 17), pauses=pauses) == 6


def test_a_pause_over_a_weekend_takes_friday_afternoon_and_monday_morning():
    pauses = [(sthlm(2026, 3, 6, 15), sthlm(2026, 3, 9, 10))]
    assert hours_between(sthlm(2026, 3, 6, 8), sthlm(2026, 3, 9, 17), pauses=pauses) == 7 + 7
    assert add_business_time(DEFAULT, sthlm(2026, 3, 6, 14), 2 * HOUR, pauses) == sthlm(2026, 3, 9, 11)


def test_an_open_pause_stops_the_clock():
    pauses = [(sthlm(2026, 3, 9, 12), None)]
    assert hours_between(sthlm(2026, 3, 9, 8), sthlm(2026, 3, 20, 17), pauses=pauses) == 4
    assert add_business_time(DEFAULT, sthlm(2026, 3, 9, 8), 5 * HOUR, pauses) is None
    assert add_business_time(DEFAULT, sthlm(2026, 3, 9, 8), 4 * HOUR, pauses) == sthlm(2026, 3, 9, 12)


def test_an_open_pause_stops_the_clock_whatever_pauses_follow_it():
    pauses = [(sthlm(2026, 3, 10, 9), sthlm(2026, 3, 10, 10)), (sthlm(2026, 3, 9, 12), None)]
    assert add_business_time(DEFAULT, sthlm(2026, 3, 9, 8), 5 * HOUR, pauses) is None


# --- add_business_time -------------------------------------------------------------------------

@pytest.mark.parametrize("start, seconds, due", [
    (sthlm(2026, 3, 9, 10), 2 * HOUR, sthlm(2026, 3, 9, 12)),                  # same day
    (sthlm(2026, 3, 9, 10), 7 * HOUR, sthlm(2026, 3, 9, 17)),                  # closing, not next opening
    (sthlm(2026, 3, 6, 16), 2 * HOUR, sthlm(2026, 3, 9, 9)),                   # weekend
    (sthlm(2026, 3, 7, 20), 1 * HOUR, sthlm(2026, 3, 9, 9)),                   # Saturday evening
    (sthlm(2026, 3, 7, 20), 0, sthlm(2026, 3, 9, 8)),                          # next opening
    (sthlm(2026, 4, 2, 16), 2 * HOUR, sthlm(2026, 4, 7, 9)),                   # Easter
    (sthlm(2026, 5, 13, 16), 2 * HOUR, sthlm(2026, 5, 15, 9)),                 # Kristi himmelsfärd
    (sthlm(2025, 6, 5, 16), 2 * HOUR, sthlm(2025, 6, 9, 9)),                   # nationaldagen, Friday
    (sthlm(2026, 6, 18, 16), 2 * HOUR, sthlm(2026, 6, 22, 9)),                 # midsommarafton
    (sthlm(2025, 12, 23, 16), 4 * DAY, sthlm(2026, 1, 5, 16)),                 # jul to trettondagsafton
    (sthlm(2026, 1, 5, 16), 2 * HOUR, sthlm(2026, 1, 7, 9)),                   # trettondagen
    (sthlm(2026, 3, 27, 16), 2 * HOUR, datetime(2026, 3, 30, 7)),              # to summer time
    (sthlm(2026, 10, 23, 16), 2 * HOUR, datetime(2026, 10, 26, 8)),            # to winter time
])
def test_add_business_time(start, seconds, due):
    assert add_business_time(DEFAULT, start, seconds) == due


def test_short_days_close_at_two():
    assert add_business_time(SHORT, sthlm(2026, 4, 2, 13), 2 * HOUR) == sthlm(2026, 4, 7, 9)
    assert add_business_time(DEFAULT, sthlm(2026, 4, 2, 13), 2 * HOUR) == sthlm(2026, 4, 2, 15)
    assert add_business_time(SHORT, sthlm(2026, 6, 18, 16), HOUR) == sthlm(2026, 6, 22, 9)


def test_adding_and_measuring_agree():
    start = sthlm(2025, 12, 19, 11, 17)
    for hours in (DEFAULT, SHORT, BusinessHours.from_config("08:00-16:30")):
        due = add_business_time(hours, start, 40 * HOUR + 7)
        assert business_seconds(hours, start, due) == 40 * HOUR + 7


# --- working_days_deadline ------------------------------------------------------------------

@pytest.mark.parametrize("received, days, due", [
    (sthlm(2026, 3, 10, 10), 1, sthlm(2026, 3, 11, 17)),         # Tuesday → Wednesday
    (sthlm(2026, 3, 10, 22), 1, sthlm(2026, 3, 11, 17)),         # after closing: the same day
    (sthlm(2026, 3, 6, 10), 1, sthlm(2026, 3, 9, 17)),           # Friday → Monday
    (sthlm(2026, 3, 7, 20), 1, sthlm(2026, 3, 9, 17)),           # Saturday → Monday
    (sthlm(2026, 4, 2, 10), 2, sthlm(2026, 4, 8, 17)),           # over Easter
    (sthlm(2025, 12, 23, 10), 3, sthlm(2026, 1, 2, 17)),         # over jul and nyår
    (sthlm(2026, 1, 5, 10), 1, sthlm(2026, 1, 7, 17)),           # over trettondagen
    (sthlm(2026, 3, 27, 10), 1, datetime(2026, 3, 30, 15)),      # to summer time
    (sthlm(2026, 10, 24, 1, 30), 1, datetime(2026, 10, 26, 16)),  # to winter time
])
def test_working_days_deadline(received, days, due):
    assert working_days_deadline(DEFAULT, received, days) == due


def test_a_deadline_on_a_short_day_is_at_two():
    assert working_days_deadline(SHORT, sthlm(2026, 4, 1, 10), 1) == sthlm(2026, 4, 2, 14)
    assert working_days_deadline(DEFAULT, sthlm(2026, 4, 1, 10), 1) == sthlm(2026, 4, 2, 17)


def test_the_receipt_day_is_the_local_date():
    """00.30 on Wednesday in Stockholm is still Tuesday in UTC."""
    received = sthlm(2026, 3, 11, 0, 30)
    assert received.date() == date(2026, 3, 10)
    assert working_days_deadline(DEFAULT, received, 1) == sthlm(2026, 3, 12, 17)


def test_a_deadline_needs_a_working_day():
    with pytest.raises(ValueError):
        working_days_deadline(DEFAULT, sthlm(2026, 3, 10, 10), 0)


# --- clock_state ----------------------------------------------------------------------------

MONDAY_MORNING = sthlm(2026, 3, 9, 8)


def state_at(*wall_clock, target=DAY, pauses=()):
    with time_machine.travel(datetime(*wall_clock, tzinfo=STOCKHOLM), tick=False):
        return clock_state(DEFAULT, MONDAY_MORNING, target, pauses=pauses)


@pytest.mark.parametrize("wall_clock, state", [
    ((2026, 3, 9, 8), OK),
    ((2026, 3, 9, 14, 44, 59), OK),
    ((2026, 3, 9, 14, 45), WARNING),              # 6 h 45 min of 9 h: 75 % exactly
    ((2026, 3, 9, 16, 59, 59), WARNING),
    ((2026, 3, 9, 17), OVERDUE),                  # 100 % exactly
    ((2026, 3, 9, 23), OVERDUE),
])
def test_warning_from_75_and_overdue_from_100_percent(wall_clock, state):
    assert state_at(*wall_clock).state == state


def test_the_clock_reports_elapsed_fraction_and_due():
    clock = state_at(2026, 3, 9, 12, 30)
    assert (clock.elapsed, clock.target, clock.fraction, clock.paused) == (4.5 * HOUR, DAY, 0.5, False)
    assert clock.due == sthlm(2026, 3, 9, 17)


def test_over_a_weekend_the_clock_stands_still():
    friday = state_at(2026, 3, 13, 17, target=5 * DAY)
    saturday = state_at(2026, 3, 14, 12, target=5 * DAY)
    assert friday.elapsed == saturday.elapsed == 5 * DAY
    assert saturday.state == OVERDUE


def test_while_waiting_for_the_citizen_the_clock_is_paused_without_due():
    clock = state_at(2026, 3, 10, 12, pauses=[(sthlm(2026, 3, 9, 12), None)])
    assert (clock.elapsed, clock.state, clock.paused, clock.due) == (4 * HOUR, OK, True, None)


def test_a_pause_ending_after_now_is_still_running():
    pauses = [(sthlm(2026, 3, 9, 12), sthlm(2026, 3, 12, 8))]
    clock = state_at(2026, 3, 10, 12, pauses=pauses)
    assert (clock.elapsed, clock.paused, clock.due) == (4 * HOUR, True, None)


def test_after_a_pause_the_due_moment_moves_on_by_the_pause():
    pauses = [(sthlm(2026, 3, 9, 12), sthlm(2026, 3, 10, 12))]
    clock = state_at(2026, 3, 10, 13, pauses=pauses)
    assert (clock.elapsed, clock.paused, clock.state) == (5 * HOUR, False, OK)
    assert clock.due == sthlm(2026, 3, 10, 17)


def test_a_pause_after_the_target_keeps_the_past_due_moment():
    clock = state_at(2026, 3, 11, 10, pauses=[(sthlm(2026, 3, 10, 9), None)])
    assert (clock.state, clock.paused, clock.due) == (OVERDUE, True, sthlm(2026, 3, 9, 17))


def test_now_can_be_given():
    clock = clock_state(DEFAULT, MONDAY_MORNING, DAY, now=sthlm(2026, 3, 9, 11))
    assert clock.elapsed == 3 * HOUR


def test_a_target_must_be_positive():
    with pytest.raises(ValueError):
        clock_state(DEFAULT, MONDAY_MORNING, 0, now=MONDAY_MORNING)


# --- KKiK -------------------------------------------------------------------------------------

@pytest.mark.parametrize("received, answered, days, within", [
    (sthlm(2026, 3, 9, 10), sthlm(2026, 3, 9, 10, 5), 1, True),       # same day
    (sthlm(2026, 3, 9, 10), sthlm(2026, 3, 10, 22), 1, True),         # next working day, late
    (sthlm(2026, 3, 9, 10), sthlm(2026, 3, 11, 0, 1), 1, False),
    (sthlm(2026, 3, 9, 10), sthlm(2026, 3, 11, 16), 2, True),
    (sthlm(2026, 3, 9, 10), sthlm(2026, 3, 12, 8), 2, False),
    (sthlm(2026, 3, 9, 22), sthlm(2026, 3, 10, 16), 1, True),         # mail after closing
    (sthlm(2026, 3, 6, 16), sthlm(2026, 3, 9, 16), 1, True),          # Friday → Monday
    (sthlm(2026, 3, 7, 11), sthlm(2026, 3, 9, 16), 1, True),          # Saturday → Monday
    (sthlm(2026, 3, 7, 11), sthlm(2026, 3, 10, 16), 1, False),
    (sthlm(2026, 4, 2, 15), sthlm(2026, 4, 7, 9), 1, True),           # over Easter
    (sthlm(2026, 4, 2, 15), sthlm(2026, 4, 8, 9), 1, False),
    (sthlm(2026, 6, 18, 15), sthlm(2026, 6, 22, 16), 1, True),        # over midsommar
    (sthlm(2026, 3, 9, 10), None, 2, False),                          # never answered
])
def test_answered_within_working_days(received, answered, days, within):
    assert answered_within_working_days(DEFAULT, received, answered, days) is within
