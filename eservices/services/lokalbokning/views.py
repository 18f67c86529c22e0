"""Lokalbokning's own pages (routes in ``eservices/blueprint.py``, block "Lokalbokning"):
the rooms and each room's week, cancelling and the calendar file under a case's
tracking link, and the rooms' admin pages."""
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar

from eservices import queries as case_queries
from eservices.services.lokalbokning import booking, operations, planning, queries
from eservices.services.lokalbokning.availability import local_date
from eservices.services.lokalbokning.forms import CancelForm, RoomForm
from eservices.services.lokalbokning.models import WEEKDAYS, BookingStatus, CustomerType, Room
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import OFFICER
from portal.clock import utcnow
from portal.extensions import db
from portal.templating import set_page_subject

TEMPLATES = "eservices/lokalbokning"
SERVICE_CODE = "lokalbokning"


# --- the rooms and their weeks --------------------------------------------------------------


def room_list():
    set_page_subject("eservice", SERVICE_CODE)
    return render_template(f"{TEMPLATES}/rooms.html", rooms=queries.bookable_rooms(), planning=planning,
                           customer_types=list(CustomerType))


def room_page(room_id):
    """The room, its rules and prices, and one week of free and taken times (``?vecka=``
    any date of the week; from this week up to how far ahead the room can be booked)."""
    room = queries.public_room_or_404(room_id)
    set_page_subject("eservice", SERVICE_CODE)
    now = utcnow()
    this_monday = monday_of(local_date(now))
    monday = max(monday_of(week_asked(request.args.get("vecka")) or this_monday), this_monday)
    last_monday = monday_of(local_date(now) + timedelta(days=room.max_days_ahead))
    monday = min(monday, last_monday)
    return render_template(f"{TEMPLATES}/room.html", room=room, days=booking.week_view(room, monday, now),
                           monday=monday, sunday=monday + timedelta(days=6), planning=planning,
                           customer_types=list(CustomerType),
                           previous=monday - timedelta(days=7) if monday > this_monday else None,
                           following=monday + timedelta(days=7) if monday < last_monday else None)


def week_asked(text):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def monday_of(day):
    return day - timedelta(days=day.weekday())


# --- under a case's tracking link ----------------------------------------------------------------


def cancel_booking(token):
    """Cancel one booked time of the case (the button on the tracking page)."""
    case = case_queries.case_by_token(token)
    form = CancelForm()
    if not form.validate_on_submit():
        abort(400)
    held = queries.case_booking_or_404(case, form.booking.data)
    try:
        operations.CANCEL.execute(held, None, when=planning.slot_text(held))
        flash(_("Tiden är avbokad."), "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    return redirect(url_for("eservices.track", token=token))


def booking_calendar(token):
    """The case's confirmed times as one ``.ics`` file (a series: one event per date)."""
    case = case_queries.case_by_token(token)
    confirmed = [held for held in operations.bookings_of(case.id) if held.status == BookingStatus.CONFIRMED]
    if not confirmed:
        abort(404)
    calendar = Calendar.from_ical(booking.ics(confirmed[0], confirmed[0].room, case.reference))
    for held in confirmed[1:]:
        for event in Calendar.from_ical(booking.ics(held, held.room, case.reference)).walk("VEVENT"):
            calendar.add_component(event)
    return calendar.to_ical(), 200, {
        "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "no-store", "X-Robots-Tag": "noindex",
        "Content-Disposition": f'attachment; filename="bokning-{case.reference}.ics"'}


# --- the rooms' admin pages -----------------------------------------------------------------------


@role_required(OFFICER)
def room_admin():
    return render_template(f"{TEMPLATES}/admin_list.html", rooms=queries.rooms_managed_by(current_user),
                           planning=planning)


@role_required(OFFICER)
def new_room():
    return room_form_page(Room(active=True))


@role_required(OFFICER)
def edit_room(room_id):
    return room_form_page(queries.managed_room_or_404(room_id))


def room_form_page(room):
    departments = queries.departments_for(current_user)
    form = RoomForm(departments, data=None if request.method == "POST" else form_values(room))
    if request.method == "POST" and form.validate_on_submit():
        try:
            saved = operations.SAVE_ROOM.execute(room, current_user, values=room_values(form))
        except ActionRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
        else:
            flash(_("Lokalen %(name)s är sparad.", name=saved.name), "success")
            return redirect(url_for("eservices.room_admin"))
    return render_template(f"{TEMPLATES}/admin_form.html", form=form, room=room), 400 if form.errors else 200


def form_values(room):
    """A room as the admin form shows it: hours as texts, prices in kronor."""
    values = {"name": room.name, "department": str(room.department_id or ""), "description": room.description,
              "address": room.address, "capacity": room.capacity, "accessibility": room.accessibility,
              "equipment": "\n".join(room.equipment or []), "open_on_holidays": room.open_on_holidays,
              "min_minutes": room.min_minutes or 60, "max_minutes": room.max_minutes or 240,
              "min_notice_hours": 24 if room.min_notice_hours is None else room.min_notice_hours,
              "max_days_ahead": room.max_days_ahead or 180,
              "cancel_hours_before": 48 if room.cancel_hours_before is None else room.cancel_hours_before,
              "auto_approve": bool(room.auto_approve), "active": room.active is not False}
    for index, key in enumerate(WEEKDAYS):
        opens, closes = room.hours_on(index) or ("", "")
        values.update({f"{key}_opens": opens, f"{key}_closes": closes})
    for kind in CustomerType:
        ore = room.price_per_hour(kind)
        values[f"price_{kind.value}"] = None if ore is None else ore / 100
    return values


def room_values(form):
    """The admin form's answers as the room's columns: hours per weekday, prices in öre."""
    hours = {key: [opens.data, closes.data] for key, _name, opens, closes in form.hours_fields() if opens.data}
    prices = {kind.value: int(round(form[f"price_{kind.value}"].data * 100))
              for kind in CustomerType if form[f"price_{kind.value}"].data is not None}
    equipment = [line.strip() for line in (form.equipment.data or "").splitlines() if line.strip()]
    return {"name": form.name.data.strip(), "department_id": int(form.department.data),
            "description": form.description.data or "", "address": form.address.data or "",
            "capacity": form.capacity.data, "accessibility": form.accessibility.data or "", "equipment": equipment,
            "opening_hours": hours, "open_on_holidays": form.open_on_holidays.data,
            "min_minutes": form.min_minutes.data, "max_minutes": form.max_minutes.data,
            "min_notice_hours": form.min_notice_hours.data, "max_days_ahead": form.max_days_ahead.data,
            "cancel_hours_before": form.cancel_hours_before.data, "auto_approve": form.auto_approve.data,
            "prices": prices, "active": form.active.data}
