"""The forms of Lokalbokning: the booking page, the contact page with the association's
name, the officer's decision, and the administrators' room form."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField, DecimalField, HiddenField, IntegerField, RadioField, SelectField, StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from eservices.forms import ContactForm, PageForm
from eservices.services.lokalbokning import planning
from eservices.services.lokalbokning.availability import TAKEN
from eservices.services.lokalbokning.models import WEEKDAYS, CustomerType, Room
from portal.extensions import db
from portal.fields import DayField

DATE_HINT = _l("Till exempel 2027-01-15.")
CLOCK_HINT = _l("Till exempel 18.00.")
CLOCK_WRONG = _l("Skriv tiden som timmar och minuter, till exempel 18.00.")
# The booking page's fields the room page and the nearest free times fill in through the URL.
PREFILL = {"lokal": "room", "datum": "day", "start": "starts", "slut": "ends"}
ORGANISATION_NEEDED = {CustomerType.ASSOCIATION: _l("Skriv föreningens namn."),
                       CustomerType.COMPANY: _l("Skriv företagets namn.")}
WEEKDAY_NAMES = dict(zip(WEEKDAYS, (_l("Måndag"), _l("Tisdag"), _l("Onsdag"), _l("Torsdag"), _l("Fredag"),
                                    _l("Lördag"), _l("Söndag"))))


class KronorField(DecimalField):
    """Kronor typed the Swedish way too: ``37,50``, ``1 200``."""

    def process_formdata(self, valuelist):
        cleaned = [value.replace(",", ".").replace(" ", "").replace("\xa0", "") for value in valuelist or []]
        super().process_formdata(cleaned)


def clock_ok(form, field):
    """A time of day, kept as ``HH:MM`` whichever way it was typed."""
    if field.data:
        normalised = planning.parse_clock(field.data)
        if normalised is None:
            raise ValidationError(CLOCK_WRONG)
        field.data = normalised


CUSTOMER_CHOICES = {CustomerType.PRIVATE: _l("Privatperson"), CustomerType.ASSOCIATION: _l("Förening"),
                    CustomerType.COMPANY: _l("Företag")}
PRICE_LABELS = {CustomerType.PRIVATE: _l("Privatperson, kronor per timme"),
                CustomerType.ASSOCIATION: _l("Förening, kronor per timme"),
                CustomerType.COMPANY: _l("Företag, kronor per timme")}


def customer_choices():
    return [SelectChoice(kind.value, label) for kind, label in CUSTOMER_CHOICES.items()]


class BookingForm(PageForm):
    """Which room, who books, when; a förening may repeat the time every week for a season.

    The rules (``availability.slot_problems``) are checked once every field
    holds a value, and each message is shown at the field it is about.
    """

    room = SelectField(_l("Lokal"), validators=[InputRequired(_l("Välj vilken lokal du vill boka."))])
    customer_type = RadioField(_l("Vem bokar?"), choices=customer_choices(), validators=[
        InputRequired(_l("Välj om du bokar som privatperson, förening eller företag."))])
    day = DayField(_l("Datum"), description=DATE_HINT, validators=[
        InputRequired(_l("Skriv vilket datum du vill boka, till exempel 2027-01-15."))])
    starts = StringField(_l("Starttid"), description=CLOCK_HINT, render_kw={"inputmode": "decimal"},
                         validators=[InputRequired(_l("Skriv när bokningen börjar, till exempel 18.00.")),
                                     clock_ok])
    ends = StringField(_l("Sluttid"), description=_l("Till exempel 20.00."), render_kw={"inputmode": "decimal"},
                       validators=[InputRequired(_l("Skriv när bokningen slutar, till exempel 20.00.")),
                                   clock_ok])
    weekly = BooleanField(_l("Samma tid varje vecka (för föreningar)"),
                          description=_l("En förening kan boka samma veckodag och tid för en hel säsong."))
    until = DayField(_l("Sista datum i serien"), description=_l("Bara för bokning varje vecka. Till exempel 2027-05-31."),
                     validators=[Optional()])
    purpose = TextAreaField(_l("Vad ska lokalen användas till? (frivilligt)"),
                            validators=[Optional(), Length(max=1000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = db.session.scalars(select(Room).where(Room.active.is_(True)).order_by(Room.name)).all()
        self.room.choices = [SelectChoice("", _l("Välj lokal"))] + [
            SelectChoice(str(room.id), room.name) for room in rooms]
        if request and request.method == "GET":
            self.prefill(request.args)

    def prefill(self, args):
        """Take the room and time chosen on the room page (or among the nearest free
        times) from the URL, over what was saved before."""
        for parameter, name in PREFILL.items():
            if args.get(parameter):
                self[name].process(MultiDict([(name, args[parameter])]))

    def validate(self, extra_validators=None):
        """The fields one by one first: the room's rules need every part of the time."""
        if not super().validate(extra_validators):
            return False
        if self.weekly.data and not self.until.data:
            self.until.errors.append(str(planning.SERIES_NEEDS_END))
            return False
        wanted = planning.read_page({field.name: field.data for field in self})
        if wanted is None:
            self.room.errors.append(str(planning.NO_ROOM))
            return False
        found = planning.problems(wanted)
        for name, message in found:
            self[name].errors.append(self.with_suggestions(message, wanted))
        return not found

    @staticmethod
    def with_suggestions(message, wanted):
        """A taken time's message names the nearest free times of the same length."""
        if message is not TAKEN:
            return str(message)
        free = planning.suggestions_text(wanted)
        return str(_l("Tiden är redan bokad. Lediga tider med samma längd: %(times)s.", times=free)) if free \
            else str(message)


def drafted_customer_type():
    """Who books, as the booking page of this person's draft says (None before that page)."""
    from eservices import registry
    from eservices.views.public import current_draft   # the draft of the person filling in the form

    service = registry.get("lokalbokning")
    draft = current_draft(service) if service else None
    page = (draft.answers.get(planning.PAGE) or {}) if draft else {}
    return (page.get("data") or {}).get("customer_type")


class BookerForm(ContactForm):
    """The contact page, and the name of the förening or företag that books."""

    organisation = StringField(_l("Föreningens eller företagets namn"),
                               description=_l("Fyll i om du bokar för en förening eller ett företag."),
                               render_kw={"autocomplete": "organization"},
                               validators=[Length(max=200)])

    def validate_organisation(self, field):
        needed = ORGANISATION_NEEDED.get(drafted_customer_type())
        if needed and not (field.data or "").strip():
            raise ValidationError(needed)


class BookingDecisionForm(FlaskForm):
    """The förvaltning's answer to a preliminary booking."""

    outcome = RadioField(_l("Beslut"), choices=[SelectChoice("granted", _l("Godkänn bokningen")),
                                                SelectChoice("denied", _l("Neka bokningen"))],
                         validators=[InputRequired(_l("Välj om bokningen ska godkännas eller nekas."))])
    reason = TextAreaField(_l("Meddelande till den som bokade"), validators=[
        InputRequired(_l("Skriv ett meddelande, till exempel varför bokningen nekas.")), Length(max=4000)])


class CancelForm(FlaskForm):
    """The cancel button of one booking on the tracking page."""

    booking = HiddenField(validators=[InputRequired()])


# --- administrators' room form -----------------------------------------------------------------


class RoomForm(FlaskForm):
    """Every rule of a room.  Opening hours are two ``HH:MM`` fields per weekday (both
    empty: closed); prices are kronor per hour (empty: that customer cannot book)."""

    name = StringField(_l("Namn"), validators=[InputRequired(_l("Skriv lokalens namn.")), Length(max=200)])
    department = SelectField(_l("Förvaltning"), validators=[InputRequired(_l("Välj förvaltning."))])
    description = TextAreaField(_l("Beskrivning"), validators=[Optional(), Length(max=4000)])
    address = StringField(_l("Besöksadress"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(_l("Antal personer"), validators=[
        InputRequired(_l("Skriv hur många personer lokalen tar.")), NumberRange(min=0, max=100000)])
    accessibility = TextAreaField(_l("Tillgänglighet"), description=_l("Till exempel hiss, ramp, hörslinga, RWC."),
                                  validators=[Optional(), Length(max=2000)])
    equipment = TextAreaField(_l("Utrustning"), description=_l("En sak per rad."),
                              validators=[Optional(), Length(max=2000)])
    open_on_holidays = BooleanField(_l("Öppen på helgdagar"))
    min_minutes = IntegerField(_l("Kortaste bokning (minuter)"), validators=[
        InputRequired(_l("Skriv den kortaste bokningen i minuter.")), NumberRange(min=15, max=24 * 60)])
    max_minutes = IntegerField(_l("Längsta bokning (minuter)"), validators=[
        InputRequired(_l("Skriv den längsta bokningen i minuter.")), NumberRange(min=15, max=24 * 60)])
    min_notice_hours = IntegerField(_l("Bokas senast (timmar före start)"), validators=[
        InputRequired(_l("Skriv hur många timmar i förväg lokalen måste bokas.")), NumberRange(min=0, max=24 * 90)])
    max_days_ahead = IntegerField(_l("Kan bokas högst (dagar i förväg)"), validators=[
        InputRequired(_l("Skriv hur många dagar i förväg lokalen kan bokas.")), NumberRange(min=1, max=730)])
    cancel_hours_before = IntegerField(_l("Kan avbokas på webben till (timmar före start)"), validators=[
        InputRequired(_l("Skriv till hur många timmar före start en bokning kan avbokas.")),
        NumberRange(min=0, max=24 * 90)])
    auto_approve = BooleanField(_l("Bokningar bekräftas direkt, utan handläggare"))
    active = BooleanField(_l("Kan bokas"), default=True)

    def __init__(self, departments, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = [SelectChoice("", _l("Välj förvaltning"))] + [
            SelectChoice(str(department.id), department.name_in()) for department in departments]

    def hours_fields(self):
        """(weekday key, its name, opens field, closes field) in week order."""
        return [(key, WEEKDAY_NAMES[key], self[f"{key}_opens"], self[f"{key}_closes"]) for key in WEEKDAYS]

    def price_fields(self):
        return [self[f"price_{kind.value}"] for kind in CustomerType]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for _key, day_name, opens, closes in self.hours_fields():
            valid = check_day_hours(day_name, opens, closes) and valid
        if self.min_minutes.data and self.max_minutes.data and self.max_minutes.data < self.min_minutes.data:
            self.max_minutes.errors.append(str(_l("Den längsta bokningen kan inte vara kortare än den kortaste.")))
            valid = False
        if all(field.data is None for field in self.price_fields()) and not any(
                field.errors for field in self.price_fields()):
            self.price_fields()[0].errors.append(str(_l("Ange ett pris för minst en sorts kund.")))
            valid = False
        return valid


def check_day_hours(day_name, opens, closes):
    """Both times or neither; closing after opening; ``24:00`` closes at midnight.
    Normalises both fields to ``HH:MM``."""
    given = [(field.data or "").strip() for field in (opens, closes)]
    if not any(given):
        return True
    if not all(given):
        missing = opens if not given[0] else closes
        missing.errors.append(str(_l("Skriv både när lokalen öppnar och stänger på %(day)s, eller ingen av tiderna.",
                                     day=str(day_name).lower())))
        return False
    opens.data, closes.data = planning.parse_clock(given[0]), parse_closing(given[1])
    for field, value in ((opens, opens.data), (closes, closes.data)):
        if value is None:
            field.errors.append(str(_l("Skriv tiden som timmar och minuter, till exempel 08.00 (%(day)s).",
                                       day=str(day_name).lower())))
    if opens.data is None or closes.data is None:
        return False
    if closes.data <= opens.data:
        closes.errors.append(str(_l("Lokalen måste stänga efter att den öppnar (%(day)s).", day=str(day_name).lower())))
        return False
    return True


def parse_closing(text):
    """A closing time: any time of day, or ``24:00`` for midnight."""
    return "24:00" if (text or "").strip() in ("24", "24.00", "24:00", "2400") else planning.parse_clock(text)


for _key in WEEKDAYS:
    setattr(RoomForm, f"{_key}_opens", StringField(_l("Öppnar"), render_kw={"inputmode": "decimal"},
                                                  validators=[Optional(), Length(max=5)]))
    setattr(RoomForm, f"{_key}_closes", StringField(_l("Stänger"), render_kw={"inputmode": "decimal"},
                                                   validators=[Optional(), Length(max=5)]))
for _kind in CustomerType:
    setattr(RoomForm, f"price_{_kind.value}", KronorField(PRICE_LABELS[_kind], places=2,
        validators=[Optional(), NumberRange(min=0, max=100000, message=_l("Skriv ett pris från 0 kronor."))]))
