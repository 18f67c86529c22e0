"""Felanmälan: a fault on a street, a lamp, a playground, graffiti, litter …

Each category (``models.FaultCategory``, kept by admins) is routed to the
förvaltning that mends it.  The place is given as an address or as
coordinates; photos are optional.
"""
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from eservices.forms import ContactForm, PageForm
from eservices.services.felanmalan import models  # noqa: F401  (fault categories)
from eservices.registry import SHORT, Attachment, EService, Page, load_texts

# code: (name, förvaltning)
CATEGORIES = {
    "gatubelysning": (_l("Gatubelysning"), "TF"),
    "gata": (_l("Hål eller skada i gata eller cykelväg"), "TF"),
    "klotter": (_l("Klotter"), "TF"),
    "nedskrapning": (_l("Nedskräpning"), "TF"),
    "park": (_l("Park och lekplats"), "TF"),
    "sno": (_l("Snö och halka"), "TF"),
    "skylt": (_l("Trafikskylt"), "TF"),
    "vatten": (_l("Vatten och avlopp"), "TF"),
    "fordon": (_l("Övergivet fordon"), "TF"),
}


class FaultForm(PageForm):
    category = SelectField(_l("Vad vill du anmäla?"),
                           choices=[SelectChoice("", _l("Välj"))] + [SelectChoice(code, name) for code, (name, _d)
                                                                   in CATEGORIES.items()],
                           validators=[InputRequired(_l("Välj vad du vill anmäla."))])
    description = TextAreaField(_l("Beskriv felet"), validators=[
        InputRequired(_l("Beskriv felet.")), Length(max=4000)])


class PlaceForm(PageForm):
    address = StringField(_l("Adress eller plats"), description=_l("Till exempel Storgatan 12 eller ”lekplatsen i Norrparken”."),
                          render_kw={"autocomplete": "off"}, validators=[Optional(), Length(max=300)])
    latitude = DecimalField(_l("Latitud"), places=6, validators=[Optional(), NumberRange(-90, 90)])
    longitude = DecimalField(_l("Longitud"), places=6, validators=[Optional(), NumberRange(-180, 180)])
    photos = MultipleFileField(_l("Bilder (frivilligt)"), description=_l("Högst 3 bilder, JPEG eller PNG."))

    def validate_address(self, field):
        if not field.data and (self.latitude.data is None or self.longitude.data is None):
            raise ValidationError(_l("Skriv en adress eller ange platsens koordinater."))


class FaultReport(EService):
    def case_title(self, answers):
        name, _department = CATEGORIES[answers["fel"]["category"]]
        place = answers["plats"].get("address") or ""
        return f"{name}: {place}" if place else str(name)

    def case_summary(self, answers):
        return answers["fel"]["description"][:500]

    def department_for(self, answers):
        return CATEGORIES[answers["fel"]["category"]][1]

    def location(self, answers):
        place = answers["plats"]
        lat, lon = place.get("latitude"), place.get("longitude")
        return (float(lat) if lat is not None else None, float(lon) if lon is not None else None,
                place.get("address") or "")


SERVICE = FaultReport(
    code="felanmalan", texts=load_texts(__file__), department="TF", handling_days=5,
    rosa_level=2, retention=SHORT, topics=["trafik-och-parkering", "avfall-vatten-och-miljo"],
    pages=[Page("fel", _l("Felet"), FaultForm), Page("plats", _l("Platsen"), PlaceForm),
           Page("kontakt", _l("Så får du besked"), ContactForm)],
    attachments=[Attachment("photos", kinds=("image",), max_files=3)])
