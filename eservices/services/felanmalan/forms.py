"""Forms of felanmälan: the citizen's pages (the fault, the place) and the admins'
category form."""
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DecimalField, HiddenField, IntegerField, MultipleFileField, SelectField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import TextInput

from eservices.forms import PageForm
from eservices.services.felanmalan import geo, queries
from portal.i18n import current_language

CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COORDINATE_INPUT = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}


def category_choices():
    """The active categories in the page's language, in the admins' order.  Not in
    groups: a category's group is one text (Open311's), not one per language."""
    lang = current_language()
    return [SelectChoice("", _("Välj"))] + [SelectChoice(c.code, c.name_in(lang))
                                            for c in queries.active_categories()]


class FaultForm(PageForm):
    category = SelectField(_l("Vad vill du anmäla?"), choices=category_choices,
                           validators=[InputRequired(_l("Välj vad du vill anmäla."))])
    description = TextAreaField(_l("Beskriv felet"), description=_l(
        "Till exempel vad som är trasigt och sedan när. Beskrivningen visas inte för andra."),
        validators=[InputRequired(_l("Beskriv felet.")), Length(max=4000)])


class CoordinateField(DecimalField):
    """Decimal degrees in a text box (GOV.UK: no ``type=number``), also as typed with a
    decimal comma (``56,6612``)."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".").replace("\u2212", "-")
        if not text:
            self.data = None
            return
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
        if self.data is None or not self.data.is_finite():
            self.data = None
            raise ValueError(_("Skriv koordinaten som ett decimaltal, till exempel 56.6612."))


class PlaceForm(PageForm):
    """The place: an address, coordinates, or neither when a photo carries a position
    (the service's ``check_page`` decides that, once the photos are taken)."""

    address = StringField(_l("Adress eller plats"), description=_l(
        "Till exempel Storgatan 12 eller ”lekplatsen i Norrparken”."),
        render_kw={"autocomplete": "off"}, validators=[Optional(), Length(max=300)])
    latitude = CoordinateField(_l("Latitud"), places=6, render_kw=COORDINATE_INPUT, validators=[
        Optional(), NumberRange(-90, 90, _l("Latituden är ett tal mellan -90 och 90."))])
    longitude = CoordinateField(_l("Longitud"), places=6, render_kw=COORDINATE_INPUT, validators=[
        Optional(), NumberRange(-180, 180, _l("Longituden är ett tal mellan -180 och 180."))])
    photos = MultipleFileField(_l("Bilder (frivilligt)"), description=_l(
        "Högst 3 bilder, JPEG, PNG eller WebP. Har bilden en position använder vi den om du inte "
        "anger någon plats."))
    position_source = HiddenField()

    def answer_fields(self):
        """``position_source`` is kept only when it says something ("photo", set by the
        service), so check your answers shows no empty row for it."""
        fields = super().answer_fields()
        return [*fields, self.position_source] if self.position_source.data else fields

    def validate(self, extra_validators=None):
        """Both coordinates or none, and inside the municipality: the message goes to the
        field to mend."""
        valid = super().validate(extra_validators)
        if self.latitude.errors or self.longitude.errors:
            return False
        problem = self.coordinates_problem()
        if problem:
            field, message = problem
            field.errors = [*field.errors, message]
            return False
        return valid

    def coordinates_problem(self):
        lat, lon = self.latitude, self.longitude
        if (lat.data is None) != (lon.data is None):
            return (lon if lon.data is None else lat), _("Ange både latitud och longitud, eller lämna båda tomma.")
        if lat.data is not None and not geo.within_bounds(lat.data, lon.data):
            return lat, _("Platsen ligger utanför %(municipality)s. Kontrollera koordinaterna, eller skriv en "
                          "adress i stället.", municipality=current_app.config["PORTAL_MUNICIPALITY"])
        return None


def code_free(form, field):
    other = queries.category(field.data)
    if other is not None and other.id != form.category_id:
        raise ValidationError(_("Koden används redan av en annan kategori."))


class CategoryForm(FlaskForm):
    """An admin's fault category; ``category_id`` is the one being changed (None: a new one)."""

    name_sv = StringField(_l("Namn på svenska"), validators=[
        InputRequired(_l("Skriv kategorins namn på svenska.")), Length(max=120)])
    name_en = StringField(_l("Namn på engelska"), validators=[Optional(), Length(max=120)])
    description_sv = TextAreaField(_l("Beskrivning på svenska"), validators=[Optional(), Length(max=1000)])
    description_en = TextAreaField(_l("Beskrivning på engelska"), validators=[Optional(), Length(max=1000)])
    code = StringField(_l("Kod (Open311 service_code)"), render_kw={"spellcheck": "false", "autocomplete": "off"},
                       validators=[InputRequired(_l("Skriv en kod.")), Length(max=40), Regexp(CODE_PATTERN, message=_l(
                           "Koden får bara ha små bokstäver a–z, siffror och bindestreck, till exempel "
                           "hal-i-gata.")), code_free])
    group = StringField(_l("Grupp"), validators=[Optional(), Length(max=80)])
    department_id = SelectField(_l("Förvaltning som tar emot anmälningarna"), coerce=int,
                                validators=[InputRequired(_l("Välj förvaltning."))])
    keywords = StringField(_l("Sökord"), validators=[Optional(), Length(max=300)])
    position = IntegerField(_l("Plats i listan"), default=0, validators=[
        InputRequired(_l("Skriv ett heltal, till exempel 10.")),
        NumberRange(0, 9999, _l("Skriv ett tal från 0 till 9999."))])
    active = BooleanField(_l("Kan väljas av invånare och i Open311"))

    def __init__(self, *args, category_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category_id = category_id
