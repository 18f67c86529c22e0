"""The arguments of ``POST requests`` that are Open311's own, and the admin's key form.

What the arguments fill in on the felanmälan form (contact details, the
attributes) is checked by that form (``attributes.filled_forms``); this form
checks what only Open311 has: which service, where (coordinates inside the
municipality or an address), the spec's length of a description, and the
picture's address.
"""
from dataclasses import dataclass, field as dataclass_field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from eservices.open311 import faults

DESCRIPTION_MAX = 4000
NO_LOCATION = _l("Platsen saknas: ange lat och long, eller address_string.")


class RequestForm(FlaskForm):
    class Meta:
        csrf = False    # clients authenticate with their api_key; there is no session to forge

    service_code = StringField(validators=[InputRequired(
        _l("Saknas: ange vilken sorts fel det gäller (se services)."))])
    lat = FloatField(validators=[Optional(), NumberRange(-90, 90, _l("Ska ligga mellan -90 och 90."))])
    long = FloatField(validators=[Optional(), NumberRange(-180, 180, _l("Ska ligga mellan -180 och 180."))])
    address_string = StringField(validators=[Optional(), Length(max=300)])
    address_id = StringField()
    first_name = StringField(validators=[Length(max=100)])
    last_name = StringField(validators=[Length(max=100)])
    email = StringField()
    phone = StringField()
    description = TextAreaField(validators=[Length(
        max=DESCRIPTION_MAX, message=_l("Högst %(n)d tecken.", n=DESCRIPTION_MAX))])
    media_url = StringField(validators=[Optional(), Length(max=2000)])

    def validate_service_code(self, field):
        found = faults.category(field.data.strip())
        if found is None or not found.active:
            raise ValidationError(_l("Det finns ingen tjänst med koden ”%(code)s”. "
                                     "Se services för de tjänster som finns.", code=field.data))

    def validate_media_url(self, field):
        parts = urlsplit(field.data.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(_l("Ska vara en adress som börjar med https:// eller http://."))

    def validate(self, extra_validators=None):
        """The place: both coordinates, inside the municipality, or else an address."""
        valid = super().validate(extra_validators)
        problem = self.location_problem()
        if problem:
            self.form_errors.append(problem)
        return valid and not problem

    def location_problem(self):
        if self.lat.errors or self.long.errors:
            return None
        lat, lon = self.lat.data, self.long.data
        if lat is None and lon is None:
            return None if (self.address_string.data or "").strip() else NO_LOCATION
        if lat is None or lon is None:
            return _l("Ange både lat och long, eller bara address_string.")
        if not faults.within_bounds(lat, lon):
            return _l("Platsen ligger utanför kommunen. Felanmälan tar bara emot fel inom kommunens gränser.")
        return None

    def values(self):
        """The arguments the felanmälan form takes (``attributes.ARGUMENTS``)."""
        name = " ".join(part.strip() for part in (self.first_name.data or "", self.last_name.data or "")
                        if part.strip())
        return {"service_code": self.service_code.data.strip(), "description": self.description.data or "",
                "address_string": (self.address_string.data or "").strip(), "lat": self.lat.data,
                "long": self.long.data, "name": name, "email": (self.email.data or "").strip(),
                "phone": (self.phone.data or "").strip()}

    def problems(self):
        return [*(str(error) for error in self.form_errors),
                *(f"{field.name}: {error}" for field in self for error in field.errors)]


class NewKeyForm(FlaskForm):
    name = StringField(_l("Vem nyckeln är till"), validators=[
        InputRequired(_l("Skriv vem eller vilken tjänst nyckeln är till.")), Length(max=120)])


# --- GET requests: the filters ---------------------------------------------------------
WINDOW = timedelta(days=90)
MAX_IDS = 1000


class FilterRefused(Exception):
    """Messages for a client whose filters cannot be used (400)."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


@dataclass
class RequestFilter:
    """What ``GET requests`` asks for.  A list of ``service_request_id`` overrides
    everything else; otherwise a window of at most 90 days (the last 90 days when
    no date is given, 90 days from ``start_date`` or up to ``end_date``)."""

    references: list = dataclass_field(default_factory=list)
    service_codes: list = dataclass_field(default_factory=list)
    statuses: set = dataclass_field(default_factory=set)
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def from_args(cls, args, now):
        """Read the query string (naive UTC ``now``); raises ``FilterRefused``."""
        problems = []
        wanted = cls(references=_listed(args, "service_request_id")[:MAX_IDS + 1],
                     service_codes=_listed(args, "service_code"),
                     statuses=set(_listed(args, "status")))
        if len(wanted.references) > MAX_IDS:
            problems.append(_l("Högst %(n)d service_request_id åt gången.", n=MAX_IDS))
        if wanted.statuses - {"open", "closed"}:
            problems.append(_l("status kan vara open eller closed."))
        start, end = (_moment(args, name, problems) for name in ("start_date", "end_date"))
        if not problems:
            wanted.start, wanted.end = window(start, end, now, problems)
        if problems:
            raise FilterRefused(problems)
        return wanted


def _listed(args, name):
    """A comma-separated argument (an empty one counts as absent, as the spec says)."""
    return [part.strip() for part in args.get(name, "").split(",") if part.strip()]


def _moment(args, name, problems):
    """A W3C/ISO 8601 date or time as naive UTC; without a zone it is Swedish time."""
    text = args.get(name, "").strip().replace(" ", "+")   # an unescaped "+" arrives as a space
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        problems.append(_l("%(name)s är inte ett datum enligt ISO 8601, till exempel "
                           "2026-03-01T08:00:00+01:00.", name=name))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def window(start, end, now, problems):
    if start is None and end is None:
        return now - WINDOW, now
    if start is None:
        return end - WINDOW, end
    if end is None:
        return start, start + WINDOW
    if start > end:
        problems.append(_l("start_date måste ligga före end_date."))
    elif end - start > WINDOW:
        problems.append(_l("Mellan start_date och end_date får det vara högst 90 dagar."))
    return start, end
