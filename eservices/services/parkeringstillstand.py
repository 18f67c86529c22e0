"""Parkeringstillstånd för rörelsehindrade: the application, and the officer's decision.

The medical certificate is health data: the cases are confidential, so only
the owning förvaltning's case officers open them and their files (each
opening recorded).  A permit is granted for a period; the citizen sees the
decision with its dates on the tracking page and is told the way they chose.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from eservices.forms import ContactForm, PageForm, PersonnummerField
from eservices.registry import Attachment, EService, Page, Retention, load_texts

MAX_PERIOD_DAYS = 5 * 366
ROLES = [SelectChoice("driver", _l("Jag kör själv")),
         SelectChoice("passenger", _l("Jag åker med som passagerare"))]


def not_in_past(form, field):
    if field.data and field.data < date.today():
        raise ValidationError(_l("Datumet har redan varit. Välj ett datum från i dag och framåt."))


class ApplicantForm(PageForm):
    name = StringField(_l("För- och efternamn"), render_kw={"autocomplete": "name"},
                       validators=[InputRequired(_l("Skriv ditt namn.")), Length(max=200)])
    personnummer = PersonnummerField(
        _l("Personnummer eller samordningsnummer"), description=_l("12 siffror, till exempel 19121212-1212."),
        validators=[InputRequired(_l("Skriv ditt personnummer."))])
    street = StringField(_l("Gatuadress"), render_kw={"autocomplete": "street-address"},
                         validators=[InputRequired(_l("Skriv din gatuadress.")), Length(max=200)])
    postcode = StringField(_l("Postnummer"), render_kw={"autocomplete": "postal-code", "inputmode": "numeric"},
                           validators=[InputRequired(_l("Skriv ditt postnummer.")),
                                       Regexp(r"^\s*\d{3}\s?\d{2}\s*$", message=_l("Skriv postnumret med fem siffror, till exempel 123 45."))])
    city = StringField(_l("Ort"), render_kw={"autocomplete": "address-level2"},
                       validators=[InputRequired(_l("Skriv din ort.")), Length(max=100)])


class PermitForm(PageForm):
    role = RadioField(_l("Ansöker du som förare eller passagerare?"), choices=ROLES,
                      validators=[InputRequired(_l("Välj förare eller passagerare."))])
    impairment = TextAreaField(
        _l("Beskriv hur ditt rörelsehinder påverkar dig"),
        description=_l("Till exempel hur långt du kan gå utan hjälp och hur länge besvären väntas pågå."),
        validators=[InputRequired(_l("Beskriv ditt rörelsehinder.")), Length(max=4000)])
    valid_from = DateField(_l("Tillståndet ska gälla från"), validators=[
        InputRequired(_l("Skriv ett datum, till exempel 2027-01-15.")), not_in_past])
    valid_to = DateField(_l("Tillståndet ska gälla till"), validators=[
        InputRequired(_l("Skriv ett datum, till exempel 2029-01-15."))])

    def validate_valid_to(self, field):
        start = self.valid_from.data
        if field.data and start and field.data <= start:
            raise ValidationError(_l("Slutdatumet måste ligga efter startdatumet."))
        if field.data and start and (field.data - start).days > MAX_PERIOD_DAYS:
            raise ValidationError(_l("Ett tillstånd gäller högst fem år. Välj ett tidigare slutdatum."))


class CertificateForm(PageForm):
    certificate = MultipleFileField(
        _l("Läkarintyg"), description=_l("PDF, JPEG eller PNG, högst 10 MB per fil. Intyget får vara högst tre månader gammalt."))
    photo = MultipleFileField(_l("Foto till kortet (frivilligt)"),
                              description=_l("JPEG eller PNG. Du kan också skicka fotot med post."))


class PermitDecisionForm(FlaskForm):
    outcome = RadioField(_l("Beslut"), choices=[SelectChoice("granted", _l("Bifall")),
                                                SelectChoice("denied", _l("Avslag"))],
                         validators=[InputRequired(_l("Välj beslut."))])
    valid_from = DateField(_l("Gäller från"), validators=[Optional()])
    valid_to = DateField(_l("Gäller till"), validators=[Optional()])
    reason = TextAreaField(_l("Motivering till den sökande"), validators=[
        InputRequired(_l("Skriv en motivering.")), Length(max=4000)])

    def validate(self, extra_validators=None):
        """A permit that is granted needs its period (the dates are optional otherwise)."""
        valid = super().validate(extra_validators)
        if self.outcome.data == "granted":
            start, end = self.valid_from.data, self.valid_to.data
            problem = (_l("Ange mellan vilka datum tillståndet gäller.") if not (start and end)
                       else _l("Slutdatumet måste ligga efter startdatumet.") if end <= start else None)
            if problem:
                self.valid_to.errors = [*self.valid_to.errors, problem]
                valid = False
        return valid


class ParkingPermit(EService):
    def case_title(self, answers):
        role = dict((c.value, str(c.label)) for c in ROLES)[answers["tillstand"]["role"]]
        return str(_l("Parkeringstillstånd – %(role)s", role=role.lower()))

    def case_summary(self, answers):
        permit = answers["tillstand"]
        return str(_l("Önskad giltighet %(start)s – %(end)s", start=permit["valid_from"], end=permit["valid_to"]))

    def decision_form(self, case):
        return PermitDecisionForm


SERVICE = ParkingPermit(
    code="parkeringstillstand", texts=load_texts(__file__), department="TF", handling_days=20,
    rosa_level=4, confidential=True, retention=Retention("halsodata", 2),
    topics=["trafik-och-parkering", "omsorg-och-stod"],
    pages=[Page("sokande", _l("Om dig"), ApplicantForm),
           Page("tillstand", _l("Om tillståndet"), PermitForm),
           Page("intyg", _l("Läkarintyg och foto"), CertificateForm),
           Page("kontakt", _l("Så får du besked"), ContactForm)],
    attachments=[Attachment("certificate", kinds=("pdf", "image"), max_files=3, required=True),
                 Attachment("photo", kinds=("image",), max_files=1)])
