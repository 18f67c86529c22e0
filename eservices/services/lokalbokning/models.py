"""Rooms and venues that can be booked, and their bookings.

A **room** belongs to a förvaltning and carries the rules a request must meet:
opening hours per weekday in local time (Europe/Stockholm), the shortest and
longest booking, the notice needed, how far ahead one may book, and a price
per hour for each kind of customer.  A room whose price list has no entry for
a kind of customer cannot be booked by that kind.

A **booking** holds its room from ``starts_at`` to ``ends_at`` (naive UTC, like
every time in the database; the end is not part of it, so back-to-back
bookings do not overlap) while it is preliminary or confirmed.  A request is
preliminary until the förvaltning approves it, unless the room approves
requests itself (``auto_approve``).  Two bookings that hold one room at the
same time never exist: ``booking.book`` checks inside a serialised
transaction, and on PostgreSQL the exclusion constraint declared here (and
created by the migration) refuses the second row as well.

``case_id`` is the case (ärende) a booking was requested in.
"""
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, literal_column, true
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import OFFICER
from portal.clock import utcnow
from portal.database import string_enum
from portal.extensions import db
from portal.org.models import Department

# The keys of ``Room.opening_hours``, in the order of ``date.weekday()``.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CustomerType(StrEnum):
    """Who books: the price list has one price per hour for each."""

    PRIVATE = "privatperson"
    ASSOCIATION = "forening"
    COMPANY = "foretag"

    @property
    def label(self):
        return CUSTOMER_LABELS[self]


CUSTOMER_LABELS = {CustomerType.PRIVATE: _l("privatperson"), CustomerType.ASSOCIATION: _l("förening"),
                   CustomerType.COMPANY: _l("företag")}


class BookingStatus(StrEnum):
    PRELIMINARY = "preliminary"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    DENIED = "denied"

    @property
    def label(self):
        return BOOKING_STATUS_LABELS[self]

    @property
    def holds_slot(self):
        """Whether a booking in this state keeps others from booking its time."""
        return self in SLOT_HOLDING


BOOKING_STATUS_LABELS = {
    BookingStatus.PRELIMINARY: _l("Preliminär – väntar på besked från förvaltningen"),
    BookingStatus.CONFIRMED: _l("Bekräftad"),
    BookingStatus.CANCELLED: _l("Avbokad"),
    BookingStatus.DENIED: _l("Nekad"),
}
SLOT_HOLDING = (BookingStatus.PRELIMINARY, BookingStatus.CONFIRMED)
# The same rule as SQL, for the partial exclusion constraint on PostgreSQL.
SLOT_HOLDING_SQL = "status IN ('preliminary', 'confirmed')"


class Room(db.Model):
    """A room or venue and the rules for booking it.

    ``opening_hours`` maps a weekday (``WEEKDAYS``) to ``["08:00", "22:00"]`` in
    local time; ``"24:00"`` closes at midnight, and a missing day is closed.  On
    Swedish public holidays (and midsommarafton, julafton, nyårsafton) the room
    is closed unless ``open_on_holidays``.  ``prices`` maps a ``CustomerType``
    value to öre per hour.
    """

    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    capacity: Mapped[int] = mapped_column(default=0)
    accessibility: Mapped[str] = mapped_column(Text, default="")
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    opening_hours: Mapped[dict] = mapped_column(JSON, default=dict)
    open_on_holidays: Mapped[bool] = mapped_column(default=False)
    min_minutes: Mapped[int] = mapped_column(default=60)
    max_minutes: Mapped[int] = mapped_column(default=240)
    min_notice_hours: Mapped[int] = mapped_column(default=24)
    max_days_ahead: Mapped[int] = mapped_column(default=180)
    cancel_hours_before: Mapped[int] = mapped_column(default=48)
    auto_approve: Mapped[bool] = mapped_column(default=False)
    prices: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")

    def hours_on(self, weekday):
        """The local ``(opens, closes)`` texts of a weekday (0 is Monday), or None."""
        hours = (self.opening_hours or {}).get(WEEKDAYS[weekday])
        return tuple(hours) if hours else None

    def price_per_hour(self, customer_type):
        """Öre per hour for this kind of customer; None when they cannot book the room."""
        return (self.prices or {}).get(CustomerType(customer_type).value)

    def can_manage(self, user):
        """Who changes the room's rules: administrators, and the case officers of the
        förvaltning that owns it (they answer its bookings and know its hours)."""
        return bool(user and user.is_authenticated) and user.acts_for_department(OFFICER, self.department_id)

    def __repr__(self):
        return f"<Room {self.id} {self.name}>"


class Booking(db.Model):
    """One room from ``starts_at`` to ``ends_at`` (naive UTC, end excluded).

    ``series_id`` is shared by the dates of one weekly series; ``price_ore`` is
    the price when it was booked (the price list may change afterwards).
    """

    __tablename__ = "room_booking"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_room_booking_room_id_starts_at", "room_id", "starts_at"),
        # tsrange, not tstzrange: the columns hold UTC without a zone, and an index
        # expression may not depend on the session's time zone.
        ExcludeConstraint(("room_id", "="), (literal_column("tsrange(starts_at, ends_at)"), "&&"),
                          name="ex_room_booking_no_overlap", using="gist",
                          where=literal_column(SLOT_HOLDING_SQL)).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    series_id: Mapped[str | None] = mapped_column(String(32), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[BookingStatus] = mapped_column(string_enum(BookingStatus),
                                                  default=BookingStatus.PRELIMINARY)
    customer_type: Mapped[CustomerType] = mapped_column(string_enum(CustomerType))
    price_ore: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    room: Mapped[Room] = relationship()

    @property
    def holds_slot(self):
        return BookingStatus(self.status).holds_slot

    def __repr__(self):
        return f"<Booking {self.id} room {self.room_id} {self.starts_at:%Y-%m-%d %H:%M} {self.status}>"
