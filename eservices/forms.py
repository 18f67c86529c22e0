"""Form pieces every e-service uses: the contact page, personnummer and phone
fields, the officer's forms.  Each page of a service's form is a ``PageForm``."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (EmailField, HiddenField, MultipleFileField, RadioField, SelectField, StringField, TelField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from eservices import personnummer, uploads
from eservices.casework import REPLY_FILES
from eservices.models import CaseStatus, NotifyBy

PHONE = re.compile(r"^\+?[\d\s()-]{7,20}$")
MESSAGE_LENGTH = 4000


class PageForm(FlaskForm):
    """One page of an e-service's form; ``answer_fields`` are the answers kept and
    shown on check your answers (all but files)."""

    def answer_fields(self):
        return [field for field in self if field.type not in ("CSRFTokenField", "HiddenField",
                                                                 "FileField", "MultipleFileField")]


def personnummer_ok(form, field):
    if field.data:
        try:
            field.data = personnummer.formatted(personnummer.normalise(field.data))
        except personnummer.InvalidPersonnummer as error:
            raise ValidationError(str(error)) from None


def phone_ok(form, field):
    if field.data and not PHONE.match(field.data.strip()):
        raise ValidationError(_l("Skriv telefonnumret med siffror, till exempel 070-123 45 67."))


class PersonnummerField(StringField):
    """A personnummer or samordningsnummer, shown and stored as ``YYYYMMDD-NNNC``."""

    def __init__(self, label=None, validators=None, **kwargs):
        render = {"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}
        super().__init__(label, [*(validators or []), personnummer_ok],
                         render_kw={**render, **kwargs.pop("render_kw", {})}, **kwargs)


class ContactForm(PageForm):
    """Who the case is about and how they want to hear back.  E-mail and SMS
    need an address or a number; the tracking page needs nothing."""

    name = StringField(_l("Namn"), render_kw={"autocomplete": "name"},
                       validators=[InputRequired(_l("Skriv ditt namn.")), Length(max=200)])
    email = EmailField(_l("E-post"), render_kw={"autocomplete": "email", "spellcheck": "false"},
                       validators=[Optional(), Email(_l("Skriv en e-postadress som namn@exempel.se.")),
                                   Length(max=254)])
    phone = TelField(_l("Telefon"), render_kw={"autocomplete": "tel"},
                     validators=[Optional(), Length(max=40), phone_ok])
    notify_by = RadioField(_l("Hur vill du få besked om ärendet?"), default=NotifyBy.EMAIL, choices=[
        SelectChoice(NotifyBy.EMAIL, _l("Med e-post")), SelectChoice(NotifyBy.SMS, _l("Med sms")),
        SelectChoice(NotifyBy.PAGE, _l("Jag tittar själv på ärendets sida"))],
        validators=[InputRequired(_l("Välj hur du vill få besked."))])

    def validate(self, extra_validators=None):
        """The address the chosen way needs (``Optional`` stops a field's own checks
        when it is empty, so this is checked for the form as a whole)."""
        valid = super().validate(extra_validators)
        needed = {NotifyBy.EMAIL: (self.email, _l("Skriv din e-postadress, eller välj ett annat sätt att få besked.")),
                  NotifyBy.SMS: (self.phone, _l("Skriv ditt mobilnummer, eller välj ett annat sätt att få besked."))}
        field, message = needed.get(self.notify_by.data, (None, None))
        if field is not None and not (field.data or "").strip():
            field.errors = [*field.errors, message]
            valid = False
        return valid


class StatusForm(FlaskForm):
    """An officer moves a case on, with a note; a public note is shown to the citizen."""

    status = SelectField(_l("Status"), choices=[
        SelectChoice(status, status.label) for status in CaseStatus if status != CaseStatus.SOLVED])
    note = TextAreaField(_l("Anteckning"), validators=[Optional(), Length(max=4000)])
    public = RadioField(_l("Vem ser anteckningen?"), default="internal", choices=[
        SelectChoice("internal", _l("Bara handläggare (intern anteckning)")),
        SelectChoice("public", _l("Även den som skickade in ärendet"))])


class DecisionForm(FlaskForm):
    """The generic decision: granted or not, and the reasons the citizen reads."""

    outcome = RadioField(_l("Beslut"), choices=[
        SelectChoice("granted", _l("Bifall")), SelectChoice("denied", _l("Avslag"))],
        validators=[InputRequired(_l("Välj beslut."))])
    reason = TextAreaField(_l("Motivering till den sökande"), validators=[
        InputRequired(_l("Skriv en motivering.")), Length(max=4000)])


class ActionForm(FlaskForm):
    action = HiddenField(validators=[InputRequired()])


# --- the citizen, on the tracking page --------------------------------------------------
def message_field(label, required_message):
    """A text the citizen writes to us; only spaces count as nothing written."""
    return TextAreaField(label, validators=[
        DataRequired(required_message),
        Length(max=MESSAGE_LENGTH, message=_l("Skriv högst %(max)d tecken."))])


class CitizenReplyForm(FlaskForm):
    """A message from the citizen, with files (``casework.REPLY_FILES``)."""

    text = message_field(_l("Ditt meddelande"), _l("Skriv ditt meddelande."))
    attachments = MultipleFileField(
        _l("Bifoga filer (frivilligt)"),
        description=_l("Bilder (JPEG, PNG eller WebP) eller PDF. Högst %(files)d filer på högst %(mb)d MB var.",
                       files=REPLY_FILES.max_files, mb=REPLY_FILES.max_bytes // uploads.MEGABYTE),
        render_kw={"accept": ",".join(t for kind in REPLY_FILES.kinds for t in uploads.KINDS[kind])})


class ReopenForm(FlaskForm):
    """"Det är inte åtgärdat": what is still wrong with a solved case."""

    text = message_field(_l("Vad är inte åtgärdat?"), _l("Skriv vad som inte är åtgärdat."))
