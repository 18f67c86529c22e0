"""Reading rooms and bookings: loading with 404/403 in one place, and the rooms each
person sees or manages."""
from flask import abort
from flask_login import current_user
from sqlalchemy import select

from eservices.services.lokalbokning.models import Booking, Room
from portal.auth.models import ADMIN, OFFICER
from portal.extensions import db
from portal.org.queries import departments_for_role


def bookable_rooms():
    """The rooms the public sees and can book, by name."""
    return db.session.scalars(select(Room).where(Room.active.is_(True)).order_by(Room.name)).all()


def public_room_or_404(room_id):
    room = db.session.get(Room, room_id)
    if room is None or not room.active:
        abort(404)
    return room


def managed_room_or_404(room_id):
    room = db.session.get(Room, room_id) or abort(404)
    if not room.can_manage(current_user):
        abort(403)
    return room


def rooms_managed_by(user):
    """Every room for an administrator; the rooms of their förvaltningar for an officer."""
    query = select(Room).order_by(Room.name)
    if ADMIN not in user.roles:
        query = query.where(Room.department_id.in_(user.department_ids(OFFICER)))
    return db.session.scalars(query).all()


def departments_for(user):
    """The förvaltningar whose rooms ``user`` may create or move a room to."""
    return departments_for_role(user, OFFICER)


def case_booking_or_404(case, booking_id):
    """One booking of ``case`` (a tracking link opens only its own case's bookings)."""
    held = db.session.get(Booking, booking_id) if str(booking_id).isdigit() else None
    if held is None or held.case_id != case.id:
        abort(404)
    return held
