"""Changes Lokalbokning makes besides ``booking.book``: a request's bookings in the
transaction that makes its case, the förvaltning's answer, a cancellation through
the tracking link, and the administrators' changes to a room.

The first two run inside the framework's actions (``SubmitCase``, ``Decide``),
which commit or roll back; the last two are actions of their own.  Each change
to a case sends ``case_changed`` like the framework's own actions.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eservices.models import Case, CaseEvent, CaseStatus
from eservices.services.lokalbokning import booking, planning
from eservices.services.lokalbokning.booking import SlotTaken
from eservices.services.lokalbokning.models import Booking, BookingStatus
from portal.actions import Action, ActionRefused, require
from portal.auth.models import OFFICER
from portal.clock import utcnow
from portal.extensions import db
from portal.signals import case_changed
from portal.templating import date_filter

SERIES_CHANGED = _l("Ett av datumen i serien hann bokas av någon annan. Se vilka datum som går att boka "
                    "nu och skicka igen.")
NOTHING_TO_BOOK = _l("Inget av datumen går att boka längre. Välj en annan tid.")
AUTO_APPROVED = _l("Bokningen är bekräftad. Lokalen bekräftar bokningar direkt.")
TOO_LATE = _l("Det går inte längre att avboka här. Ring kontaktcenter om du inte kan komma.")
NOT_YOURS = _l("Du kan bara ändra lokaler som din förvaltning har.")


def bookings_of(case_id):
    return db.session.scalars(select(Booking).where(Booking.case_id == case_id)
                              .order_by(Booking.starts_at)).all()


# --- in SubmitCase ---------------------------------------------------------------------------


def book_request(case, answers):
    """Book what the answers ask for, for ``case``, in the transaction that makes it.

    A single time that is taken raises ``SlotTaken`` with its nearest free times.
    For a series the dates that are free as it is sent are booked (check your
    answers listed the others), and the case's timeline names the dates left
    out; if one of the free dates is taken while this transaction runs (two
    requests at once on PostgreSQL), the whole request is refused.
    """
    wanted = planning.read(answers)
    require(wanted is not None, planning.NO_ROOM)
    if wanted.is_series:
        made = book_season(case, wanted)
    else:
        made = [booking.book(wanted.room, *wanted.slot, wanted.customer_type, case.id)]
    if wanted.room.auto_approve:
        decide_at_once(case)
    return made


def book_season(case, wanted):
    plan = wanted.plan()
    slots = [series_date.slot for series_date in plan if series_date.bookable]
    require(slots, NOTHING_TO_BOOK)
    try:
        made = booking.book_series(wanted.room, slots, wanted.customer_type, case.id)
    except SlotTaken as taken:
        raise ActionRefused(SERIES_CHANGED) from taken
    left_out = [series_date for series_date in plan if not series_date.bookable]
    if left_out:
        dates = "; ".join(f"{date_filter(d.day)} ({' '.join(str(p) for p in d.problems)})"
                          for d in left_out)
        case.events.append(CaseEvent(kind="booking", public=True,
                                     text=str(_l("Datum som inte bokades: %(dates)s", dates=dates))))
    return made


def decide_at_once(case):
    """A room that approves its requests itself: the case is decided as it is made, in
    the name of the förvaltning, so no officer has it waiting in their list."""
    now = utcnow()
    case.decision = {"outcome": "granted", "reason": str(AUTO_APPROVED),
                     "decided_by": case.department.name_in(case.lang), "decided_at": now.isoformat()}
    case.status, case.closed_at = CaseStatus.SOLVED, now


# --- in Decide ------------------------------------------------------------------------------------


def answer_request(case, decision):
    """The förvaltning's decision: granted confirms the preliminary bookings, denied frees
    their time.  A booking the person already cancelled refuses the decision."""
    change = booking.approve if decision.get("outcome") == "granted" else booking.deny
    for held in bookings_of(case.id):
        if held.status == BookingStatus.PRELIMINARY:
            change(held)
        elif held.holds_slot:
            raise ActionRefused(booking.NOT_PRELIMINARY)


# --- cancelling through the tracking link ---------------------------------------------------------


class CancelBooking(Action):
    """The person who booked frees one booked time, until the room's deadline.  When no
    time of the case is held any more, the case is closed: nothing is left to decide."""

    name = "cancel_booking"

    def check(self, held, user=None, **context):
        require(held.holds_slot, booking.NOT_HOLDING)
        require(booking.can_cancel(held, utcnow()), TOO_LATE)

    def apply(self, held, user=None, when="", **context):
        booking.cancel(held)
        case = db.session.get(Case, held.case_id)
        case.events.append(CaseEvent(kind="cancelled", public=True,
                                     text=str(_l("Avbokad: %(when)s.", when=when))))
        case.updated_at = utcnow()
        db.session.flush()
        if not any(other.holds_slot for other in bookings_of(case.id)):
            case.status, case.closed_at = CaseStatus.CLOSED, utcnow()
        case_changed.send(case.id, case=case, what="cancelled")
        return held


# --- rooms ----------------------------------------------------------------------------------------


class SaveRoom(Action):
    """Create or change a room from ``values`` (the admin form's answers, prices in öre).

    Administrators manage every room; a case officer the rooms of their own
    förvaltningar, and only for those.
    """

    name = "save_room"

    def check(self, room, user, values=None, **context):
        require(room.id is None or room.can_manage(user), NOT_YOURS)
        require(user.acts_for_department(OFFICER, values["department_id"]), NOT_YOURS)

    def apply(self, room, user, values=None, **context):
        for name, value in values.items():
            setattr(room, name, value)
        db.session.add(room)
        db.session.flush()
        return room


CANCEL = CancelBooking()
SAVE_ROOM = SaveRoom()
