"""Form pieces every e-service uses: the contact page, personnummer and phone
fields, the officers' forms (the queue's filters, one form per action on a case,
the audit log's filters).  Each page of a service's form is a ``PageForm``."""
import re
from datetime import date

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


# --- the statistics' cost-allocation key ---------------------------------------------------
def _plain_number(text):
    """A number as people write it: spaces between thousands, a decimal comma."""
    return (text or "").replace("\u00a0", "").replace(" ", "").replace(",", ".")


def whole_number(form, field):
    text = _plain_number(field.data)
    if text and not text.isdigit():
        raise ValidationError(_l("Skriv antalet anställda som ett heltal, 0 eller mer, till exempel 120."))


class EmployeesForm(FlaskForm):
    """One field per förvaltning, named ``department_<id>`` (``employees_form`` adds them)."""

    def counts(self, departments):
        return {department.id: int(_plain_number(self[f"department_{department.id}"].data))
                for department in departments}


def employees_form(departments, lang, post):
    """The form for ``departments``, filled with their counts on a GET."""
    form_class = type("DepartmentEmployeesForm", (EmployeesForm,), {
        f"department_{department.id}": StringField(department.name_in(lang), validators=[
            InputRequired(_l("Skriv hur många som arbetar på %(department)s.", department=department.name_in(lang))),
            Length(max=9), whole_number]) for department in departments})
    values = {} if post else {f"department_{department.id}": "" if department.employees is None
                              else str(department.employees) for department in departments}
    return form_class(**values)


def _day(field, required):
    try:
        return date.fromisoformat((field.data or "").strip())
    except ValueError:
        raise ValidationError(required) from None


def _amount(field, message):
    try:
        value = float(_plain_number(field.data))
    except ValueError:
        raise ValidationError(message) from None
    if value != value or value in (float("inf"), float("-inf")):   # NaN and infinity are no amounts
        raise ValidationError(message)
    return value


class CostAllocationForm(FilterForm):
    """The period and the budget the key shares (a GET form: the address can be shared)."""

    start = StringField(_l("Från och med"), render_kw={"type": "date"})
    end = StringField(_l("Till och med"), render_kw={"type": "date"})
    budget = StringField(_l("Årsbudget i kronor"), render_kw={"inputmode": "decimal", "autocomplete": "off"})
    base = StringField(_l("Basdel i procent"), default="50", render_kw={"inputmode": "decimal", "autocomplete": "off"})

    def validate_start(self, field):
        self.first_day = _day(field, _l("Skriv första dagen som ÅÅÅÅ-MM-DD, till exempel 2025-01-01."))
        if self.first_day > date.today():
            raise ValidationError(_l("Perioden kan inte börja i framtiden."))

    def validate_end(self, field):
        self.last_day = _day(field, _l("Skriv sista dagen som ÅÅÅÅ-MM-DD, till exempel 2025-12-31."))
        if getattr(self, "first_day", None) and self.last_day < self.first_day:
            raise ValidationError(_l("Sista dagen kan inte vara före den första."))

    def validate_budget(self, field):
        self.yearly = _amount(field, _l("Skriv årsbudgeten i kronor som ett tal, till exempel 4 500 000."))
        if self.yearly < 0:
            raise ValidationError(_l("Årsbudgeten kan inte vara negativ."))

    def validate_base(self, field):
        self.base_percent = _amount(field, _l("Skriv basdelen i procent som ett tal från 0 till 100."))
        if not 0 <= self.base_percent <= 100:
            raise ValidationError(_l("Skriv basdelen i procent som ett tal från 0 till 100."))
