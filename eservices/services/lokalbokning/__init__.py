"""Lokalbokning: booking the municipality's rooms and halls.

The citizen picks a room (from the room pages, ``views``, or on the booking
page), a date and a time, and says who books; a förening may ask for the same
time every week for a season.  The booking page checks the room's rules at
each field (``availability.slot_problems``), check your answers shows the
price and the dates of a series that cannot be booked, and sending books the
time in the transaction that makes the case (``operations.book_request``):
if someone else got the time an instant earlier, nothing is saved and the
person is shown the nearest free times.

A booking is preliminary until the room's förvaltning decides the case
(``after_decision``), unless the room approves requests itself: then it is
confirmed at once and the case is decided as it is made.  The tracking page
shows the times, the price and the status, cancels a time until the room's
deadline (a case with no time left is closed), and offers confirmed times as
an ``.ics`` file.

**A season.**  A förening may ask for the same time every week up to a last
date.  Check your answers lists the dates that cannot be booked (taken,
closed, a holiday) and says that only the free dates are booked: sending is
the confirmation.  The dates free when it is sent are booked, and the case's
timeline names those left out; the tracking page and the officer's case page
list the booked times.

**Who keeps the rooms.**  Administrators, and the case officers of the
förvaltning that owns a room (``Room.can_manage``): they answer its
bookings and know its hours and prices.  An officer creates rooms only for
their own förvaltningar.

Modules: ``models`` (rooms, bookings), ``availability`` (the rules, pure),
``booking`` (booking without double booking), ``planning`` (what a request's
answers mean), ``forms``, ``operations``, ``queries``, ``views`` (room pages,
cancel, calendar file, room admin) and ``demo``.
"""
from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from eservices.registry import EService, Page, load_texts
from eservices.services.lokalbokning import availability, booking, operations, planning
from eservices.services.lokalbokning.demo import load_demo  # noqa: F401  (run by eservices.demo)
from eservices.services.lokalbokning.forms import ORGANISATION_NEEDED, BookerForm, BookingDecisionForm, BookingForm
from eservices.services.lokalbokning.models import BookingStatus, CustomerType
from portal.clock import utcnow
from portal.templating import time_of_day

TEMPLATES = "eservices/lokalbokning"


class RoomBooking(EService):
    """The hooks of ``EService`` that a booking needs; see the module's docstring."""

    def case_title(self, answers):
        wanted = planning.read(answers)
        if wanted is None:
            return self.text().title
        times = f"{time_of_day(wanted.starts)}–{time_of_day(wanted.ends)}"
        if wanted.is_series:
            return str(_l("Bokning: %(room)s, varje vecka %(times)s, %(first)s–%(last)s", room=wanted.room.name,
                          times=times, first=wanted.day.isoformat(), last=wanted.until.isoformat()))
        return str(_l("Bokning: %(room)s %(day)s %(times)s", room=wanted.room.name, day=wanted.day.isoformat(),
                      times=times))

    def case_summary(self, answers):
        request, contact = answers.get(planning.PAGE, {}), answers.get("kontakt", {})
        parts = [contact.get("organisation") or "", request.get("purpose") or ""]
        return " – ".join(part for part in parts if part)

    def department_for(self, answers):
        wanted = planning.read(answers)
        return wanted.room.department.code if wanted else self.department

    def check_answers(self, answers):
        """The rules and the free time again, as they are now, and the name of a
        förening or företag (the contact page asks for it only when it knows who books)."""
        wanted = planning.read(answers)
        if wanted is None:
            return [(planning.PAGE, "room", str(planning.NO_ROOM))]
        found = [(planning.PAGE, field, str(message)) for field, message in planning.problems(wanted)]
        needed = ORGANISATION_NEEDED.get(wanted.customer_type)
        if needed and not (answers.get("kontakt", {}).get("organisation") or "").strip():
            found.append(("kontakt", "organisation", str(needed)))
        return found

    def after_submit(self, case, answers):
        operations.book_request(case, answers)

    def check_extra(self, answers):
        """The price, whether the förvaltning must approve, and a series' dates."""
        wanted = planning.read(answers)
        if wanted is None:
            return ""
        plan = wanted.plan() if wanted.is_series else []
        slots = [d.slot for d in plan if d.bookable] if wanted.is_series else [wanted.slot]
        return Markup(render_template(f"{TEMPLATES}/_check.html", wanted=wanted, plan=plan, slots=slots,
                                      price=wanted.price(slots), planning=planning))

    def refusal_extra(self, refusal, answers):
        """The nearest free times of a single booking whose time was taken, each a link
        back to the booking page with that time filled in."""
        wanted = planning.read(answers)
        if wanted is None or wanted.is_series:
            return ""
        suggestions = getattr(refusal, "suggestions", None)
        if suggestions is None and refusal.message == str(availability.TAKEN):
            suggestions = booking.nearest_free_slots(wanted.room, wanted.slot, customer_type=wanted.customer_type)
        if not suggestions:
            return ""
        return Markup(render_template(f"{TEMPLATES}/_suggestions.html", wanted=wanted, suggestions=suggestions,
                                      planning=planning))

    def decision_form(self, case):
        return BookingDecisionForm

    def after_decision(self, case, decision):
        operations.answer_request(case, decision)

    def case_extra(self, case):
        """The booked times and their status for the officer who decides."""
        bookings = operations.bookings_of(case.id)
        if not bookings:
            return ""
        return Markup(render_template(f"{TEMPLATES}/_officer.html", bookings=bookings, room=bookings[0].room,
                                      planning=planning))

    def tracking_extra(self, case, token):
        bookings = operations.bookings_of(case.id)
        if not bookings:
            return ""
        now = utcnow()
        return Markup(render_template(
            f"{TEMPLATES}/_tracking.html", case=case, token=token, bookings=bookings, room=bookings[0].room,
            price=sum(b.price_ore for b in bookings if b.holds_slot), planning=planning,
            cancellable={b.id: booking.can_cancel(b, now) for b in bookings},
            deadlines={b.id: booking.cancel_deadline(b) for b in bookings},
            confirmed=any(b.status == BookingStatus.CONFIRMED for b in bookings),
            customer=CustomerType(bookings[0].customer_type)))


SERVICE = RoomBooking(
    code="lokalbokning", texts=load_texts(__file__),
    department="KFF", handling_days=3, rosa_level=3, topics=["uppleva-och-gora"],
    start_label=_l("Boka en lokal"),
    pages=[Page(planning.PAGE, _l("Bokningen"), BookingForm), Page("kontakt", _l("Om dig som bokar"), BookerForm)])
