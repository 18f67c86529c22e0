"""Form pieces every e-service uses: the contact page, personnummer and phone
fields, the officers' forms (the queue's filters, one form per action on a case,
the audit log's filters).  Each page of a service's form is a ``PageForm``."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField, Form, HiddenField, IntegerField, MultipleFileField, RadioField, SelectField, StringField,
    TelField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from eservices import personnummer, uploads
from eservices.casework import REPLY_FILES
from eservices.models import CaseStatus, NotifyBy, Outcome
from eservices.queries import ALL_OPEN, MINE, NOBODY, OVERDUE, WARNING, QueueFilter
from portal.urls import MAX_ID

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


# --- the officers' queue, case page and audit log ----------------------------------------
class FilterForm(Form):
    """Filters read from the address (a GET form: nothing changes, so no CSRF token)."""

    def read(self):
        """Validate, putting a value that does not fit back to its default: an old or
        edited address still shows a page."""
        self.validate()
        for field in self:
            if field.errors:
                field.data, field.errors = field.default, []


class QueueFilterForm(FilterForm):
    """The queue's filters."""

    status = SelectField(_l("Status"), default=ALL_OPEN)
    typ = SelectField(_l("Typ av ärende"), default="")
    sla = SelectField(_l("Tidsgräns"), default="", choices=[
        SelectChoice("", _l("Alla")), SelectChoice(OVERDUE, _l("Försenade")),
        SelectChoice(WARNING, _l("Snart försenade"))])
    handlaggare = SelectField(_l("Handläggare"), default="", choices=[
        SelectChoice("", _l("Alla")), SelectChoice(MINE, _l("Mina ärenden")),
        SelectChoice(NOBODY, _l("Utan handläggare"))])
    sida = IntegerField(default=1, validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    def __init__(self, formdata, types):
        super().__init__(formdata)
        self.status.choices = [SelectChoice(ALL_OPEN, _l("Alla öppna")),
                               *(SelectChoice(status.value, status.staff_label) for status in CaseStatus)]
        self.typ.choices = [SelectChoice("", _l("Alla typer")), *(SelectChoice(v, label) for v, label in types)]

    def chosen(self):
        """The filters as the queue takes them."""
        self.read()
        return QueueFilter(status=self.status.data, question_type=self.typ.data, sla=self.sla.data,
                           assigned=self.handlaggare.data, page=self.sida.data or 1)


class SeenForm(Form):
    """What the officer's page showed of the case: every action form carries the case's
    ``version`` and the id of the last timeline line, so a change made meanwhile by
    someone else is shown instead of overwritten (``casework.require_unchanged``)."""

    seen_version = IntegerField(validators=[InputRequired()])
    seen_event = IntegerField(validators=[Optional()])


class TakeForm(FlaskForm):
    """"Ta ärendet": the officer handles it from now."""


class AssignForm(FlaskForm):
    officer = SelectField(_l("Handläggare"), validators=[
        InputRequired(_l("Välj en handläggare i förvaltningen som har ärendet."))])


class ReplyForm(FlaskForm):
    text = TextAreaField(_l("Svar till den som hörde av sig"), validators=[
        DataRequired(_l("Skriv ett svar.")), Length(max=4000)])


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Intern anteckning"), validators=[
        DataRequired(_l("Skriv en anteckning.")), Length(max=4000)])


class RequestInformationForm(FlaskForm):
    text = TextAreaField(_l("Vad behöver du veta?"), validators=[
        DataRequired(_l("Skriv vad du behöver veta.")), Length(max=4000)])


SOLVE_OUTCOMES = (Outcome.SOLVED, Outcome.REFERRED, Outcome.WITHDRAWN)


class SolveForm(FlaskForm):
    outcome = RadioField(_l("Utfall"), default=Outcome.SOLVED.value,
                         choices=[SelectChoice(outcome.value, outcome.label) for outcome in SOLVE_OUTCOMES],
                         validators=[InputRequired(_l("Välj utfall."))])
    text = TextAreaField(_l("Vad har gjorts?"), validators=[
        DataRequired(_l("Skriv vad som gjorts, så att den som hörde av sig vet.")), Length(max=4000)])


class CloseForm(FlaskForm):
    """Close for good: the citizen can no longer reopen it."""


class RerouteForm(FlaskForm):
    department = SelectField(_l("Till förvaltning"), validators=[InputRequired(_l("Välj en annan förvaltning."))])
    reason = TextAreaField(_l("Varför flyttas ärendet?"), validators=[
        DataRequired(_l("Skriv varför ärendet flyttas.")), Length(max=1000)])


class DuplicateForm(FlaskForm):
    reference = StringField(
        _l("Ärendenummer på ärendet som redan tar upp samma sak"),
        render_kw={"autocomplete": "off", "spellcheck": "false", "class": "input-reference"},
        validators=[InputRequired(_l("Ange ärendenumret på ett annat ärende som du kan öppna.")),
                    Length(max=32)])


class AuditFilterForm(FilterForm):
    """The audit log's filters: one case, one person, or both."""

    arende = StringField(_l("Ärendenummer"), render_kw={"autocomplete": "off", "spellcheck": "false"},
                         validators=[Optional(), Length(max=32)])
    anvandare = StringField(_l("Användarnamn"), render_kw={"autocomplete": "off", "spellcheck": "false"},
                            validators=[Optional(), Length(max=64)])
    sida = IntegerField(default=1, validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    def chosen(self):
        """``(reference, username, page)``."""
        self.read()
        return (self.arende.data or "").strip(), (self.anvandare.data or "").strip(), self.sida.data or 1


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
