"""When a room can be booked: pure functions of a room, times and the slots already taken.

Nothing here reads the database, so every rule can be tested with plain objects;
``booking.py`` loads the taken slots and calls these.  A taken slot is anything
with ``starts_at`` and ``ends_at`` (a ``Slot`` or a ``Booking`` that holds its
time).

**Time.**  Times going in and out are naive UTC, as the database holds them.
A room's opening hours are wall-clock times in Europe/Stockholm, turned into
UTC date by date, so that a room open 08.00–22.00 opens at 07.00 UTC in winter
and 06.00 UTC in summer, and on the Sundays the clocks change (the last
Sunday of March and of October) the day is 23 or 25 hours long.  Lengths,
notice and prices count real elapsed time: a booking from 01.00 to 04.00 on
the last Sunday of March lasts two hours.

**Holidays.**  A room is closed on Swedish public holidays and on the days
that are holidays in practice (midsommarafton, julafton, nyårsafton), as the
``holidays`` package lists them, unless the room is ``open_on_holidays``.
This holds for single bookings and for the dates of a series alike.

**Rules.**  ``slot_problems`` gives every reason a requested time cannot be
booked, each as a message with its numbers; an empty list means it may be
requested (whether it is free is a separate question: ``is_free``).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from flask_babel import lazy_gettext as _l

from eservices.services.lokalbokning.models import CustomerType

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")
# Suggested start times lie on this grid from the opening time, or right next to a booking.
SUGGESTION_STEP = timedelta(minutes=30)
SUGGESTION_COUNT = 3
# How many days after the requested one are searched for suggestions.
SUGGESTION_DAYS = 14

ENDS_BEFORE_START = _l("Sluttiden måste vara efter starttiden.")
ROOM_INACTIVE = _l("Lokalen går inte att boka just nu.")
CLOSED_ON_WEEKDAY = _l("Lokalen är stängd den dagen.")
CLOSED_ON_HOLIDAY = _l("Lokalen är stängd den dagen eftersom det är helgdag.")
ALREADY_PASSED = _l("Tiden har redan passerat.")
TAKEN = _l("Tiden är redan bokad.")


def opening_hours_message(opens, closes):
    return _l("Lokalen är öppen %(opens)s–%(closes)s den dagen.",
              opens=opens.replace(":", "."), closes=closes.replace(":", "."))


def too_short_message(minutes):
    return _l("En bokning måste vara minst %(minutes)d minuter lång.", minutes=minutes)


def too_long_message(minutes):
    return _l("En bokning får vara högst %(minutes)d minuter lång.", minutes=minutes)


def notice_message(hours):
    return _l("Lokalen måste bokas minst %(hours)d timmar före starttiden.", hours=hours)


def too_far_ahead_message(days):
    return _l("Lokalen kan bokas högst %(days)d dagar i förväg.", days=days)


NOT_FOR_CUSTOMER = {CustomerType.PRIVATE: _l("Lokalen kan inte bokas av privatpersoner."),
                    CustomerType.ASSOCIATION: _l("Lokalen kan inte bokas av föreningar."),
                    CustomerType.COMPANY: _l("Lokalen kan inte bokas av företag.")}


@dataclass(frozen=True, order=True)
class Slot:
    """From ``starts_at`` up to (not including) ``ends_at``, naive UTC."""

    starts_at: datetime
    ends_at: datetime

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    @property
    def local_start(self):
        return to_local(self.starts_at)

    @property
    def local_end(self):
        return to_local(self.ends_at)

    def __iter__(self):
        """``starts_at, ends_at = slot``, and ``book(room, *slot, …)``."""
        return iter((self.starts_at, self.ends_at))

    def overlaps(self, other):
        """Whether the two share any moment; back-to-back slots do not."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


# --- time ---------------------------------------------------------------------------


def to_local(moment):
    """A naive UTC time as an aware Europe/Stockholm time."""
    return moment.replace(tzinfo=timezone.utc).astimezone(LOCAL_ZONE)


def local_date(moment):
    return to_local(moment).date()


def to_utc(wall_clock):
    """A naive Europe/Stockholm wall-clock time as naive UTC.

    A time the clocks skip in March, or pass twice in October, is taken with
    the offset before the change; rooms are closed then in practice.
    """
    return wall_clock.replace(tzinfo=LOCAL_ZONE).astimezone(timezone.utc).replace(tzinfo=None)


def wall_clock(day, clock_text):
    """The local date and an opening-hours text (``"08:00"``, ``"24:00"``) as a naive
    wall-clock time; counting on the wall clock keeps 08.00 at 08.00 on the days
    the clocks change."""
    hours, minutes = (int(part) for part in clock_text.split(":"))
    return datetime.combine(day, time()) + timedelta(hours=hours, minutes=minutes)


def local_slot(day, starts, ends):
    """The UTC slot of local times ``starts``–``ends`` (``datetime.time``) on a local date."""
    return Slot(to_utc(datetime.combine(day, starts)), to_utc(datetime.combine(day, ends)))


def local_day(day):
    """The whole local date as a UTC slot (23, 24 or 25 hours long)."""
    return Slot(to_utc(wall_clock(day, "00:00")), to_utc(wall_clock(day, "24:00")))


# --- opening hours ------------------------------------------------------------------


@lru_cache(maxsize=16)
def _holidays(year):
    return holidays.Sweden(years=year, categories=("public", "de_facto"), include_sundays=False)


def is_holiday(day):
    return day in _holidays(day.year)


def closed_because(room, day):
    """Why the room is closed all of a local date, or None when it opens."""
    if not room.active:
        return ROOM_INACTIVE
    if room.hours_on(day.weekday()) is None:
        return CLOSED_ON_WEEKDAY
    if is_holiday(day) and not room.open_on_holidays:
        return CLOSED_ON_HOLIDAY
    return None


def opening(room, day):
    """The UTC slot the room is open on a local date, or None when it is closed."""
    if closed_because(room, day):
        return None
    opens, closes = room.hours_on(day.weekday())
    return Slot(to_utc(wall_clock(day, opens)), to_utc(wall_clock(day, closes)))


# --- the rules for one requested slot -------------------------------------------------


def slot_problems(room, slot, now, customer_type=None, *, check_days_ahead=True):
    """Every reason ``slot`` cannot be requested at ``now``, as messages for the person.

    ``check_days_ahead`` is off for the later dates of a series: a season is
    requested at once, and only its first date must lie within reach.
    """
    if slot.ends_at <= slot.starts_at:
        return [ENDS_BEFORE_START]
    if not room.active:
        return [ROOM_INACTIVE]
    found = [_customer_problem(room, customer_type), _timing_problem(room, slot, now, check_days_ahead),
             _length_problem(room, slot), _hours_problem(room, slot)]
    return [problem for problem in found if problem is not None]


def _customer_problem(room, customer_type):
    if customer_type is not None and room.price_per_hour(customer_type) is None:
        return NOT_FOR_CUSTOMER[CustomerType(customer_type)]
    return None


def _timing_problem(room, slot, now, check_days_ahead):
    if slot.starts_at < now:
        return ALREADY_PASSED
    if slot.starts_at < now + timedelta(hours=room.min_notice_hours):
        return notice_message(room.min_notice_hours)
    if check_days_ahead and (local_date(slot.starts_at) - local_date(now)).days > room.max_days_ahead:
        return too_far_ahead_message(room.max_days_ahead)
    return None


def _length_problem(room, slot):
    minutes = slot.duration / timedelta(minutes=1)
    if minutes < room.min_minutes:
        return too_short_message(room.min_minutes)
    if minutes > room.max_minutes:
        return too_long_message(room.max_minutes)
    return None


def _hours_problem(room, slot):
    """Outside the opening hours of the local date the slot starts on."""
    day = local_date(slot.starts_at)
    if reason := closed_because(room, day):
        return reason
    opened = opening(room, day)
    if opened.starts_at <= slot.starts_at and slot.ends_at <= opened.ends_at:
        return None
    return opening_hours_message(*room.hours_on(day.weekday()))


def is_free(slot, taken):
    return not any(slot.overlaps(other) for other in taken)


# --- the week view ------------------------------------------------------------------


@dataclass(frozen=True)
class DayView:
    """One row of the week view: a local date, when the room is open (None when closed,
    with the reason), the free slots that can still be requested (each at least
    the shortest booking) and the taken ones."""

    day: date
    opening: Slot | None
    closed_because: object = None
    free: list = field(default_factory=list)
    taken: list = field(default_factory=list)


def week(room, day, taken, now):
    """The seven days, Monday to Sunday, of the week ``day`` falls in."""
    monday = day - timedelta(days=day.weekday())
    return [day_view(room, monday + timedelta(days=n), taken, now) for n in range(7)]


def day_view(room, day, taken, now):
    whole_day = local_day(day)
    taken_that_day = sorted(_clip(other, whole_day) for other in taken if whole_day.overlaps(other))
    opened = opening(room, day)
    if opened is None:
        return DayView(day, None, closed_because(room, day), taken=taken_that_day)
    free = [gap for gap in _gaps(_requestable(room, opened, now), taken_that_day)
            if gap.duration >= timedelta(minutes=room.min_minutes)]
    return DayView(day, opened, None, free, taken_that_day)


def _clip(other, bounds):
    return Slot(max(other.starts_at, bounds.starts_at), min(other.ends_at, bounds.ends_at))


def _requestable(room, opened, now):
    """The part of a day's opening that may still be requested: after the notice, within reach."""
    if (local_date(opened.starts_at) - local_date(now)).days > room.max_days_ahead:
        return None
    earliest = max(opened.starts_at, now + timedelta(hours=room.min_notice_hours))
    return Slot(earliest, opened.ends_at) if earliest < opened.ends_at else None


def _gaps(window, taken_sorted):
    """The parts of ``window`` that no taken slot covers."""
    if window is None:
        return []
    gaps, cursor = [], window.starts_at
    for other in taken_sorted:
        if other.starts_at > cursor:
            gaps.append(Slot(cursor, min(other.starts_at, window.ends_at)))
        cursor = max(cursor, other.ends_at)
        if cursor >= window.ends_at:
            break
    if cursor < window.ends_at:
        gaps.append(Slot(cursor, window.ends_at))
    return [gap for gap in gaps if gap.ends_at > gap.starts_at]


# --- suggestions ---------------------------------------------------------------------


def nearest_free(room, wanted, taken, now, customer_type=None, count=SUGGESTION_COUNT):
    """Up to ``count`` free slots as long as ``wanted``: on its day first, nearest in
    time first, then on the following days, nearest to the same time of day."""
    found = []
    first_day = local_date(wanted.starts_at)
    for offset in range(SUGGESTION_DAYS + 1):
        day = first_day + timedelta(days=offset)
        found += _free_on(room, day, wanted, taken, now, customer_type)[:count - len(found)]
        if len(found) >= count:
            break
    return found


def _free_on(room, day, wanted, taken, now, customer_type):
    """The free slots of ``wanted``'s length on a local date, nearest to its time of day first."""
    opened = opening(room, day)
    if opened is None:
        return []
    length = wanted.duration
    target = to_utc(datetime.combine(day, to_local(wanted.starts_at).time()))
    starts = _candidate_starts(opened, length, taken)
    candidates = [Slot(start, start + length) for start in starts]
    usable = [slot for slot in candidates if slot != wanted and is_free(slot, taken)
              and not slot_problems(room, slot, now, customer_type)]
    return sorted(usable, key=lambda slot: (abs(slot.starts_at - target), slot.starts_at))


def _candidate_starts(opened, length, taken):
    """Start times on the grid from the opening, and those right before or after a booking."""
    latest = opened.ends_at - length
    grid = set()
    start = opened.starts_at
    while start <= latest:
        grid.add(start)
        start += SUGGESTION_STEP
    beside = {edge for other in taken for edge in (other.ends_at, other.starts_at - length)}
    return grid | {start for start in beside if opened.starts_at <= start <= latest}


# --- weekly series --------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesDate:
    """One date of a weekly series and why it cannot be booked (empty when it can)."""

    day: date
    slot: Slot
    problems: list

    @property
    def bookable(self):
        return not self.problems


def series_days(first_day, last_day, weekday):
    """Every date from ``first_day`` to ``last_day`` (both included) on ``weekday`` (0 is Monday)."""
    day = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
    days = []
    while day <= last_day:
        days.append(day)
        day += timedelta(days=7)
    return days


def weekly_series(room, first_day, last_day, weekday, starts, ends, taken, now, customer_type=None):
    """The dates of a season's weekly series, local ``starts``–``ends`` (``datetime.time``)
    each week, each with its problems: taken, closed (a holiday, a closed weekday),
    outside the opening hours, too short or long.  The first date must also lie
    within reach; the later ones may go further (see ``slot_problems``)."""
    dates = []
    for index, day in enumerate(series_days(first_day, last_day, weekday)):
        slot = local_slot(day, starts, ends)
        problems = slot_problems(room, slot, now, customer_type, check_days_ahead=index == 0)
        if not is_free(slot, taken):
            problems.append(TAKEN)
        dates.append(SeriesDate(day, slot, problems))
    return dates
