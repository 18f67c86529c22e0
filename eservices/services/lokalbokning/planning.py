"""What a booking request's answers mean: the room, the time or the weekly series,
what stands in its way, and the price.

The form keeps what the person typed: a local date and ``HH:MM`` texts.  The
booking page, check your answers, ``check_answers``, ``after_submit`` and the
case's title all read the answers through :func:`read`, so a request means
the same thing everywhere it is looked at.  The rules themselves are
``availability``'s; this module only says which field each problem belongs to.
"""
import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from flask_babel import format_currency, lazy_gettext as _l

from eservices.services.lokalbokning import availability, booking
from eservices.services.lokalbokning.models import CustomerType, Room
from portal.clock import utcnow
from portal.extensions import db
from portal.templating import date_filter, time_of_day

PAGE = "bokning"               # the page of the service's form that holds the request
SERIES_MAX_DAYS = 366
CLOCK = re.compile(r"^\s*(\d{1,2})(?:[.:]?(\d{2}))?\s*$")

NO_ROOM = _l("Lokalen finns inte längre. Välj en annan lokal.")
SERIES_ONLY_ASSOCIATIONS = _l("Bara föreningar kan boka samma tid varje vecka.")
SERIES_NEEDS_END = _l("Skriv sista datum i serien, till exempel 2027-05-31.")
SERIES_TOO_SHORT = _l("Sista datumet i serien måste vara minst en vecka efter det första.")
SERIES_TOO_LONG = _l("En serie kan vara högst ett år. Välj ett tidigare sista datum.")
SERIES_NOTHING_FREE = _l("Inget av datumen i serien går att boka. Välj en annan tid eller veckodag.")


def field_clock(moment):
    """A time of day for a link that fills in the booking form: ``18.00`` in every
    language, as the form's hint writes it and :func:`parse_clock` reads it (a
    language's own way, such as Arabic's "6:00 م", would not be read back)."""
    return f"{moment.hour:02d}.{moment.minute:02d}"


def parse_clock(text):
    """``"18"``, ``"18.00"``, ``"18:00"`` or ``"1800"`` as ``"18:00"``; None when it is no time of day."""
    match = CLOCK.match(text or "")
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def as_time(text):
    hours, minutes = (int(part) for part in text.split(":"))
    return time(hours, minutes)


def as_date(value):
    return value if isinstance(value, date) or value is None else date.fromisoformat(value)


@dataclass(frozen=True)
class Wanted:
    """One booking request: a room at a local time on one date, or weekly until ``until``."""

    room: Room
    customer_type: CustomerType
    day: date
    starts: time
    ends: time
    until: date | None = None

    @property
    def is_series(self):
        return self.until is not None

    @property
    def slot(self):
        """The first (or only) date's time as a UTC slot."""
        return availability.local_slot(self.day, self.starts, self.ends)

    def plan(self, now=None):
        """Every date of the series with what stands in its way (``SeriesDate``)."""
        return booking.plan_series(self.room, self.day, self.until, self.day.weekday(), self.starts,
                                   self.ends, self.customer_type, now)

    def slots(self, now=None):
        """The slots that would be booked now: the one slot, or the series' free dates."""
        if not self.is_series:
            return [self.slot]
        return [series_date.slot for series_date in self.plan(now) if series_date.bookable]

    def price(self, slots):
        """The price in öre of ``slots`` for this customer."""
        return sum(booking.price(self.room, self.customer_type, *slot) or 0 for slot in slots)


def read(answers):
    """The request in a case's or a draft's answers ({page: {field: value}}), or None
    when the room has gone."""
    return read_page(answers.get(PAGE) or {})


def read_page(values):
    """The request in the booking page's values (the form's data, or what was kept of it)."""
    room = db.session.get(Room, int(values["room"])) if str(values.get("room") or "").isdigit() else None
    if room is None:
        return None
    series = bool(values.get("weekly")) and values.get("until")
    return Wanted(room=room, customer_type=CustomerType(values["customer_type"]),
                  day=as_date(values["day"]), starts=as_time(values["starts"]), ends=as_time(values["ends"]),
                  until=as_date(values["until"]) if series else None)


# --- what stands in the way, field by field ---------------------------------------------


def problems(wanted, now=None):
    """[(field, message)] of everything that keeps the request from being sent now:
    the series' own limits, the rules for the first date (``slot_problems``), a
    single booking's time being taken, a series without a free date."""
    now = now or utcnow()
    found = series_problems(wanted)
    if found:
        return found
    found = [(field_of(problem, wanted), problem)
             for problem in availability.slot_problems(wanted.room, wanted.slot, now, wanted.customer_type)]
    if found:
        return found
    if not wanted.is_series and booking.taken_slots(wanted.room.id, wanted.slot):
        return [("starts", availability.TAKEN)]
    if wanted.is_series and not wanted.slots(now):
        return [("until", SERIES_NOTHING_FREE)]
    return []


def series_problems(wanted):
    if not wanted.is_series:
        return []
    if wanted.customer_type != CustomerType.ASSOCIATION:
        return [("weekly", SERIES_ONLY_ASSOCIATIONS)]
    if wanted.until < wanted.day + timedelta(days=7):
        return [("until", SERIES_TOO_SHORT)]
    if (wanted.until - wanted.day).days > SERIES_MAX_DAYS:
        return [("until", SERIES_TOO_LONG)]
    return []


def field_of(problem, wanted):
    """The field of the booking page a rule's message is about: the end time for the
    order and the length, the start for the opening hours, the customer type for
    who may book, and the date for the rest (passed, notice, reach, closed)."""
    room = wanted.room
    by_text = {str(availability.ENDS_BEFORE_START): "ends",
               str(availability.too_short_message(room.min_minutes)): "ends",
               str(availability.too_long_message(room.max_minutes)): "ends",
               **{str(message): "customer_type" for message in availability.NOT_FOR_CUSTOMER.values()}}
    hours = room.hours_on(wanted.day.weekday())
    if hours:
        by_text[str(availability.opening_hours_message(*hours))] = "starts"
    return by_text.get(str(problem), "day")


# --- words for people ---------------------------------------------------------------------


def slot_text(slot):
    """``onsdag 11 mars 18.00–20.00``: a UTC slot (or a booking) in local time, in the
    current language."""
    start, end = availability.to_local(slot.starts_at), availability.to_local(slot.ends_at)
    return f"{date_filter(start.date(), 'weekday')} {time_of_day(start)}–{time_of_day(end)}"


def moment_text(moment):
    """``måndag 9 mars 18.00``: a naive UTC moment in local time, in the current language."""
    local = availability.to_local(moment)
    return f"{date_filter(local.date(), 'weekday')} {time_of_day(local)}"


def kronor(ore):
    """A price in öre as the current language writes kronor: ``1 200 kr``, ``212,50 kr``."""
    pattern = "#,##0 ¤" if ore % 100 == 0 else "#,##0.00 ¤"
    return format_currency(ore / 100, "SEK", format=pattern, currency_digits=False)


def suggestions_text(wanted):
    """The nearest free times of the same length, in words, for a message at the field."""
    free = booking.nearest_free_slots(wanted.room, wanted.slot, customer_type=wanted.customer_type)
    return ", ".join(slot_text(slot) for slot in free)
