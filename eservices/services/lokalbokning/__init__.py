"""Lokalbokning: booking the municipality's rooms and halls.

A first version: the request names the room and the time in words and a
handler confirms it.  The availability rules, the week view and the
no-double-booking guarantee come with the booking core (``availability``,
``booking``).
"""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from eservices.forms import ContactForm, PageForm
from eservices.services.lokalbokning import models  # noqa: F401  (rooms and bookings)
from eservices.registry import EService, Page, load_texts


class RequestForm(PageForm):
    room = StringField(_l("Vilken lokal vill du boka?"), validators=[
        InputRequired(_l("Skriv vilken lokal du vill boka.")), Length(max=200)])
    day = DateField(_l("Datum"), validators=[InputRequired(_l("Skriv ett datum, till exempel 2027-01-15."))])
    details = TextAreaField(_l("Tid och vad lokalen ska användas till"), validators=[
        InputRequired(_l("Skriv tid och vad lokalen ska användas till.")), Length(max=2000)])


class RoomBooking(EService):
    def case_title(self, answers):
        request = answers["bokning"]
        return str(_l("Bokning: %(room)s %(day)s", room=request["room"], day=request["day"]))


SERVICE = RoomBooking(
    code="lokalbokning", texts=load_texts(__file__),
    department="KFF", handling_days=3, rosa_level=3, topics=["uppleva-och-gora"],
    pages=[Page("bokning", _l("Bokningen"), RequestForm), Page("kontakt", _l("Så får du besked"), ContactForm)])
