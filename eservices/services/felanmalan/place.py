"""Where the fault is: what the citizen typed, or else the position of a photo.

The form checks what was typed (both coordinates, inside the bounds).  Whether
a place was given at all can only be decided once the photos are taken,
because a photo may carry a GPS position: :func:`complete` runs then (the
service's ``check_page``).  When neither an address nor coordinates were
given, the first photo with a position inside the municipality gives the
coordinates, and ``position_source`` records that (check your answers says
so, and the officer's timeline notes it).  :func:`problems` checks the
answers as a whole once more before a case is made, also for reports that
arrive through Open311.
"""
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _

from eservices.services.felanmalan import geo, queries

PHOTO = "photo"
PHOTOS_FIELD = "photos"


def photo_positions(draft):
    """The positions read from the draft's photos, in the order they were sent."""
    return [tuple(stored.gps) for stored in draft.files_for(PHOTOS_FIELD) if stored.gps]


def complete(form, draft):
    """Take the place from a photo when none was typed; False (with a message at the
    address) when there is no place at all."""
    form.position_source.data = None
    typed = form.address.data or form.latitude.data is not None or form.longitude.data is not None
    if typed:
        return True
    positions = photo_positions(draft)
    inside = [position for position in positions if geo.within_bounds(*position)]
    if inside:
        form.latitude.data, form.longitude.data = (Decimal(str(value)) for value in inside[0])
        form.position_source.data = PHOTO
        return True
    message = _("Skriv en adress eller ange platsens koordinater.")
    if positions:
        message = _("Bildens position ligger utanför %(municipality)s. Skriv en adress eller ange platsens "
                    "koordinater.", municipality=current_app.config["PORTAL_MUNICIPALITY"])
    form.address.errors = [*form.address.errors, message]
    return False


def from_photo(answers):
    return (answers.get("plats") or {}).get("position_source") == PHOTO


def problems(answers):
    """[(page, field, message)] of answers that must not become a case."""
    fault, place = answers.get("fel") or {}, answers.get("plats") or {}
    found = queries.category(fault.get("category"))
    if found is None or not found.active:
        return [("fel", "category", _("Välj vad du vill anmäla. Den kategori du valde finns inte längre."))]
    lat, lon = place.get("latitude"), place.get("longitude")
    if not place.get("address") and (lat is None or lon is None):
        return [("plats", "address", _("Skriv en adress eller ange platsens koordinater."))]
    if lat is not None and not geo.within_bounds(lat, lon):
        return [("plats", "latitude", _("Platsen ligger utanför %(municipality)s.",
                                        municipality=current_app.config["PORTAL_MUNICIPALITY"]))]
    return []
