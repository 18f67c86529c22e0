"""Booking a room without ever booking it twice, and what happens to a booking afterwards.

**No double booking.**  ``book`` adds the booking inside the caller's
transaction (the case that requests it is written in the same one) and
guarantees that no other booking holding a slot overlaps it:

* On SQLite, writers are serialised: ``hold_write_lock`` begins the
  transaction with ``BEGIN IMMEDIATE``, which takes the database's write lock
  (or waits for it, up to the busy timeout of ``portal.database``) before the
  overlap is looked for.  Whoever holds the lock sees every booking committed
  before it, and no other can commit until it has finished, so the check
  and the insert cannot be overtaken.
* On PostgreSQL, two transactions may both look and see nothing; the partial
  exclusion constraint ``ex_room_booking_no_overlap`` (``models.py``, created by
  the migration) then makes the second insert wait for the first transaction
  and fail when it commits.  The insert runs in a savepoint, so the refusal
  leaves the caller's transaction usable.  The check before the insert gives
  the usual case its answer without a failed statement.

Either way a conflict raises :class:`SlotTaken`, which carries the nearest
free slots of the same length (``availability.nearest_free``).

``book`` guards only what must hold for every booking, whoever makes it: the
room is active, the times are in order, the customer may book the room, the
slot is free.  The rules of a citizen's request (opening hours, notice, how
far ahead, length) are checked with ``availability.slot_problems`` before,
by the form; staff may book outside them.  The functions that change a
booking do not commit: the caller's action does.
"""
import uuid
from datetime import timedelta, timezone
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eservices.services.lokalbokning import availability
from eservices.services.lokalbokning.availability import Slot
from eservices.services.lokalbokning.models import SLOT_HOLDING, Booking, BookingStatus, CustomerType
from portal.actions import ActionRefused, require
from portal.clock import utcnow
from portal.extensions import db

# SQLSTATE of exclusion_violation: PostgreSQL refused an overlapping booking.
EXCLUSION_VIOLATION = "23P01"

SLOT_TAKEN = _l("Tiden hann bokas av någon annan. Här är de närmaste lediga tiderna med samma längd.")
SLOT_TAKEN_NOTHING_NEAR = _l("Tiden hann bokas av någon annan, och det finns ingen ledig tid med "
                             "samma längd de närmaste två veckorna.")
NOT_HOLDING = _l("Bokningen är redan avbokad eller nekad.")
NOT_PRELIMINARY = _l("Förvaltningen har redan besvarat bokningen.")
ICS_STATUS = {BookingStatus.PRELIMINARY: "TENTATIVE", BookingStatus.CONFIRMED: "CONFIRMED",
              BookingStatus.CANCELLED: "CANCELLED", BookingStatus.DENIED: "CANCELLED"}


class SlotTaken(ActionRefused):
    """The slot overlaps a booking that holds it; ``suggestions`` are free slots (``Slot``)."""

    def __init__(self, suggestions):
        super().__init__(SLOT_TAKEN if suggestions else SLOT_TAKEN_NOTHING_NEAR)
        self.suggestions = suggestions


# --- reading --------------------------------------------------------------------------


def taken_slots(room_id, window):
    """The slots of the room's slot-holding bookings that overlap ``window``, in order."""
    rows = db.session.execute(
        select(Booking.starts_at, Booking.ends_at)
        .where(Booking.room_id == room_id, Booking.status.in_(SLOT_HOLDING),
               Booking.starts_at < window.ends_at, Booking.ends_at > window.starts_at)
        .order_by(Booking.starts_at))
    return [Slot(starts_at, ends_at) for starts_at, ends_at in rows]


def nearest_free_slots(room, wanted, now=None, customer_type=None):
    """``availability.nearest_free`` over the bookings of the days it searches."""
    first_day = availability.local_day(availability.local_date(wanted.starts_at))
    window = Slot(first_day.starts_at,
                  first_day.starts_at + timedelta(days=availability.SUGGESTION_DAYS + 2))
    return availability.nearest_free(room, wanted, taken_slots(room.id, window), now or utcnow(),
                                     customer_type)


def week_view(room, day, now=None):
    """``availability.week`` for the week of the local date ``day``."""
    monday = day - timedelta(days=day.weekday())
    window = Slot(availability.local_day(monday).starts_at,
                  availability.local_day(monday + timedelta(days=6)).ends_at)
    return availability.week(room, day, taken_slots(room.id, window), now or utcnow())


def plan_series(room, first_day, last_day, weekday, starts, ends, customer_type, now=None):
    """``availability.weekly_series`` against the bookings of the season: what the
    person sees, conflicts and all, before the request is sent."""
    window = Slot(availability.local_day(first_day).starts_at, availability.local_day(last_day).ends_at)
    return availability.weekly_series(room, first_day, last_day, weekday, starts, ends,
                                      taken_slots(room.id, window), now or utcnow(), customer_type)


# --- booking ----------------------------------------------------------------------------


def hold_write_lock(session=None):
    """On SQLite, take the database's write lock now, for the rest of the transaction.

    ``BEGIN IMMEDIATE`` waits for the lock (the busy timeout) instead of
    starting a read that a later write could find outdated.  When the driver
    has already begun the transaction, it did so for a write (Python's sqlite3
    begins one only before INSERT, UPDATE or DELETE), so the lock is held.
    PostgreSQL needs nothing here: its constraint decides.
    """
    connection = (session or db.session).connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def book(room, starts_at, ends_at, customer_type, case_id=None, series_id=None, *, now=None):
    """Add a booking of ``room`` in the caller's transaction, or raise ``SlotTaken``.

    The booking is confirmed at once when the room approves requests itself,
    otherwise preliminary until the förvaltning answers.  ``now`` is only for
    the suggestions' notice and reach (tests pass a fixed time).
    """
    slot = Slot(starts_at, ends_at)
    amount = _check_bookable(room, slot, customer_type)
    hold_write_lock()
    if _overlaps_a_booking(room.id, slot):
        raise SlotTaken(nearest_free_slots(room, slot, now, customer_type))
    booking = Booking(room_id=room.id, case_id=case_id, series_id=series_id, starts_at=starts_at,
                      ends_at=ends_at, customer_type=CustomerType(customer_type), price_ore=amount,
                      status=BookingStatus.CONFIRMED if room.auto_approve else BookingStatus.PRELIMINARY)
    _insert(booking, lambda: nearest_free_slots(room, slot, now, customer_type))
    return booking


def book_series(room, slots, customer_type, case_id=None, *, now=None):
    """Book every slot of a series under one new ``series_id``; the first that is
    taken raises ``SlotTaken`` (the caller rolls back the whole series)."""
    series_id = uuid.uuid4().hex
    return [book(room, slot.starts_at, slot.ends_at, customer_type, case_id, series_id, now=now)
            for slot in slots]


def _check_bookable(room, slot, customer_type):
    """Refuse what no booking may be; return the price in öre."""
    require(slot.ends_at > slot.starts_at, availability.ENDS_BEFORE_START)
    require(room.active, availability.ROOM_INACTIVE)
    amount = price(room, customer_type, slot.starts_at, slot.ends_at)
    require(amount is not None, availability.NOT_FOR_CUSTOMER[CustomerType(customer_type)])
    return amount


def _overlaps_a_booking(room_id, slot):
    return bool(taken_slots(room_id, slot))


def _insert(booking, suggestions):
    """Insert in a savepoint; PostgreSQL's refusal of an overlap becomes ``SlotTaken``."""
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except IntegrityError as error:
        if not _is_overlap(error):
            raise
        raise SlotTaken(suggestions()) from error


def _is_overlap(error):
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code == EXCLUSION_VIOLATION


# --- price and changes ---------------------------------------------------------------------


def price(room, customer_type, starts_at, ends_at):
    """The price in öre of the time booked (real elapsed time, to the nearest öre),
    or None when this kind of customer cannot book the room."""
    per_hour = room.price_per_hour(customer_type)
    if per_hour is None:
        return None
    seconds = int((ends_at - starts_at).total_seconds())
    return (per_hour * seconds + 1800) // 3600


def cancel_deadline(booking):
    """The last moment (naive UTC) the person may cancel through the tracking link."""
    return booking.starts_at - timedelta(hours=booking.room.cancel_hours_before)


def can_cancel(booking, now):
    """Whether the person may cancel the booking themselves at ``now``.  Staff may
    cancel later (``cancel`` does not look at the deadline)."""
    return booking.holds_slot and now <= cancel_deadline(booking)


def cancel(booking):
    """Free the booking's time; the caller commits."""
    require(booking.holds_slot, NOT_HOLDING)
    booking.status = BookingStatus.CANCELLED


def approve(booking):
    """The förvaltning confirms a preliminary booking: it already holds its time."""
    require(booking.status == BookingStatus.PRELIMINARY, NOT_PRELIMINARY)
    booking.status = BookingStatus.CONFIRMED


def deny(booking):
    """The förvaltning says no: the time is free again."""
    require(booking.status == BookingStatus.PRELIMINARY, NOT_PRELIMINARY)
    booking.status = BookingStatus.DENIED


# --- calendar file ---------------------------------------------------------------------------


def ics(booking, room, reference):
    """The booking as an iCalendar file (bytes) for Outlook, Google and the phone's calendar.

    The times are written in UTC (``…Z``): every client shows them in its own
    zone, and there is no VTIMEZONE to get wrong.  The UID comes from the
    booking's id and the portal's host (``PORTAL_BASE_URL``), so a file
    downloaded again updates the same event instead of adding another.
    """
    host = urlsplit(current_app.config["PORTAL_BASE_URL"]).hostname or "localhost"
    event = Event.new(
        uid=f"lokalbokning-{booking.id}@{host}", stamp=_aware(utcnow()),
        start=_aware(booking.starts_at), end=_aware(booking.ends_at), summary=room.name,
        location=", ".join(part for part in (room.name, room.address) if part),
        description=str(_l("Bokning i ärende %(reference)s", reference=reference)),
        status=ICS_STATUS[BookingStatus(booking.status)])
    calendar = Calendar.new(prodid="-//En väg in//Lokalbokning//SV", method="PUBLISH",
                            subcomponents=[event])
    return calendar.to_ical()


def _aware(moment):
    return moment.replace(tzinfo=timezone.utc)
