"""Demo rooms of Sjöbacka kommun and a few bookings in the coming weeks, so that the
week views have something in them (``portal init --demo``; loaded once)."""
from datetime import date, time, timedelta

from sqlalchemy import func, select

from eservices.services.lokalbokning import availability, booking
from eservices.services.lokalbokning.models import WEEKDAYS, CustomerType, Room
from portal.extensions import db
from portal.org.models import Department


def hours(weekdays, opens, closes):
    return {day: [opens, closes] for day in weekdays}


ROOMS = [
    dict(name="Sjöbackahallen", department="KFF", address="Idrottsvägen 4, Sjöbacka", capacity=150,
         description="Fullstor idrottshall för handboll, innebandy, basket och volleyboll. Hallen kan delas "
                     "i två halvor med skiljevägg; boka hela hallen här.",
         accessibility="Entré i markplan med automatisk dörr. Anpassat omklädningsrum och RWC. "
                       "Hörslinga vid läktaren.",
         equipment=["Handbollsmål", "Innebandysarg", "Basketkorgar", "Ljudanläggning", "Läktare för 150 personer"],
         opening_hours={**hours(WEEKDAYS[:5], "07:00", "22:00"), **hours(WEEKDAYS[5:], "08:00", "20:00")},
         min_minutes=60, max_minutes=180, min_notice_hours=48, max_days_ahead=180, cancel_hours_before=72,
         auto_approve=False, prices={"privatperson": 45000, "forening": 12000, "foretag": 90000}),
    dict(name="Biblioteket, studierum", department="KFF", address="Storgatan 12, Sjöbacka", capacity=6,
         description="Ett tyst rum för grupparbete och studier på huvudbibliotekets andra våning.",
         accessibility="Hiss till plan 2. RWC på plan 1. Bord som går att höja och sänka.",
         equipment=["Skärm med HDMI", "Whiteboard", "Wifi"],
         opening_hours={**hours(WEEKDAYS[:4], "10:00", "20:00"), "fri": ["10:00", "18:00"],
                        "sat": ["11:00", "15:00"]},
         min_minutes=60, max_minutes=180, min_notice_hours=2, max_days_ahead=30, cancel_hours_before=2,
         auto_approve=True, prices={"privatperson": 0, "forening": 0, "foretag": 15000}),
    dict(name="Kommunhuset, sammanträdesrum Sjön", department="KLF", address="Torget 1, Sjöbacka", capacity=20,
         description="Sammanträdesrum i kommunhuset för föreningars och företags möten dagtid.",
         accessibility="Plan 1 nära huvudentrén, utan trappor. Hörslinga. RWC i korridoren.",
         equipment=["Projektor", "Utrustning för videomöten", "Whiteboard"],
         opening_hours=hours(WEEKDAYS[:5], "08:00", "17:00"),
         min_minutes=60, max_minutes=480, min_notice_hours=72, max_days_ahead=90, cancel_hours_before=48,
         auto_approve=False, prices={"forening": 10000, "foretag": 50000}),
    dict(name="Sjöbackaskolan, gymnastiksal", department="KFF", address="Skolgatan 3, Sjöbacka", capacity=40,
         description="Gymnastiksal som föreningar och privatpersoner kan boka kvällar och helger.",
         accessibility="Entré via skolgården med ramp. RWC vid omklädningsrummen.",
         equipment=["Bollar och redskap", "Ribbstolar", "Mattor"],
         opening_hours={**hours(WEEKDAYS[:5], "17:00", "22:00"), **hours(WEEKDAYS[5:], "09:00", "18:00")},
         min_minutes=60, max_minutes=180, min_notice_hours=24, max_days_ahead=120, cancel_hours_before=24,
         auto_approve=False, prices={"privatperson": 25000, "forening": 8000}),
]


def load_demo():
    """The rooms, once; their bookings fall in the weeks after the day the demo is loaded."""
    if db.session.scalar(select(func.count(Room.id))):
        return
    codes = {department.code: department.id for department in db.session.scalars(select(Department))}
    rooms = []
    for values in ROOMS:
        values = dict(values)
        rooms.append(Room(department_id=codes[values.pop("department")], **values))
    db.session.add_all(rooms)
    db.session.flush()
    add_bookings(rooms[0], rooms[1])


def add_bookings(hall, study_room):
    """A förening's Tuesday evenings in the hall for four weeks, confirmed; a private
    Saturday in the hall waiting for an answer; an afternoon in the study room."""
    next_monday = date.today() + timedelta(days=7 - date.today().weekday())
    tuesdays = [availability.local_slot(next_monday + timedelta(days=1 + 7 * week), time(18), time(20))
                for week in range(4)]
    for held in booking.book_series(hall, tuesdays, CustomerType.ASSOCIATION):
        booking.approve(held)
    saturday = availability.local_slot(next_monday + timedelta(days=5), time(10), time(13))
    booking.book(hall, *saturday, CustomerType.PRIVATE)
    wednesday = availability.local_slot(next_monday + timedelta(days=2), time(14), time(16))
    booking.book(study_room, *wednesday, CustomerType.PRIVATE)
