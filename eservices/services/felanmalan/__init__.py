"""Felanmälan: a fault on a street, a lamp, a playground, graffiti, litter …

Each category (``models.FaultCategory``, kept by admins at
``/sv/admin/felkategorier``) is routed to the förvaltning that mends it, and
its code is the Open311 ``service_code``.  The place is an address, coordinates
(typed, from the device's position or picked on a map when one is configured)
or the position of a photo; it must lie inside ``PORTAL_MUNICIPALITY_BOUNDS``.
Before sending, the citizen sees open reports of the same category within
100 m.  Open reports are listed publicly, without anything about who sent them
(``queries.PublicReport``).

The answers of a report, which the Open311 endpoint writes too::

    {"fel": {"category": <FaultCategory.code>, "description": str},
     "plats": {"address": str, "latitude": float | None, "longitude": float | None,
               "position_source": "photo" (only when the position came from a photo)},
     "kontakt": {"name", "email", "phone", "notify_by"}}

For the Open311 code: :func:`active_categories`, :func:`category` and
:func:`within_bounds`.

The module's parts: ``forms``, ``place`` (the place from what was typed or a
photo), ``geo`` (bounds, distances, the map's settings), ``queries``,
``operations`` (saving a category), ``views`` (admin pages, the public list,
Leaflet's files), ``demo``.
"""
from flask import g, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from eservices.forms import ContactForm
from eservices.models import CaseEvent
from eservices.registry import SHORT, Attachment, EService, Page, load_texts
from eservices.services.felanmalan import geo, place, queries
from eservices.services.felanmalan.demo import load_demo
from eservices.services.felanmalan.forms import FaultForm, PlaceForm
from eservices.services.felanmalan.geo import within_bounds
from eservices.services.felanmalan.queries import active_categories, category
from portal.i18n import source_language

# What other code uses: the framework (SERVICE, load_demo, init_app) and Open311 (the rest).
__all__ = ["SERVICE", "load_demo", "init_app", "active_categories", "category", "within_bounds"]


class FaultReport(EService):
    def case_title(self, answers):
        code = answers["fel"]["category"]
        found = queries.category(code)
        name = found.name_in(source_language()) if found else code
        address = answers["plats"].get("address") or ""
        return f"{name}: {address}" if address else name

    def case_summary(self, answers):
        return answers["fel"]["description"][:500]

    def department_for(self, answers):
        found = queries.category(answers["fel"]["category"])
        return found.department.code if found else self.department

    def location(self, answers):
        where = answers["plats"]
        lat, lon = where.get("latitude"), where.get("longitude")
        return (float(lat) if lat is not None else None, float(lon) if lon is not None else None,
                where.get("address") or "")

    def check_answers(self, answers):
        return place.problems(answers)

    def check_page(self, page, form, draft):
        return place.complete(form, draft) if page.name == "plats" else True

    def check_extra(self, answers):
        """Open reports of the same category near the place, and where the position came from."""
        where = answers.get("plats", {})
        lat, lon = where.get("latitude"), where.get("longitude")
        nearby = []
        if lat is not None and lon is not None and answers.get("fel"):
            nearby = queries.nearby_open_reports(answers["fel"]["category"], float(lat), float(lon))
        return Markup(render_template("eservices/felanmalan/_check_extra.html", nearby=nearby,
                                      from_photo=place.from_photo(answers), latitude=lat, longitude=lon,
                                      metres=queries.NEARBY_METRES))

    def after_submit(self, case, answers):
        if place.from_photo(answers):
            case.events.append(CaseEvent(kind="note", public=False, text=str(
                _l("Positionen är hämtad från en bifogad bild."))))


SERVICE = FaultReport(
    code="felanmalan", texts=load_texts(__file__), department="TF", handling_days=5,
    rosa_level=2, retention=SHORT, topics=["trafik-och-parkering", "avfall-vatten-och-miljo"],
    pages=[Page("fel", _l("Felet"), FaultForm),
           Page("plats", _l("Platsen"), PlaceForm, template="eservices/felanmalan/place.html"),
           Page("kontakt", _l("Så får du besked"), ContactForm)],
    attachments=[Attachment("photos", kinds=("image",), max_files=3)])


def fault_map():
    """The map's settings for a template, or None without a tile server.  A page that
    shows the map gets the tile server in its Content-Security-Policy (``init_app``)."""
    settings = geo.map_settings()
    if settings:
        g.fault_map_shown = True
    return settings


def map_policy(response):
    if g.get("fault_map_shown"):
        policy = geo.csp_with_tiles()
        if policy:
            response.headers["Content-Security-Policy"] = policy
    return response


def init_app(app):
    from portal.auth.models import ADMIN
    from portal.templating import register_staff_link

    app.add_template_global(fault_map, "fault_map")
    app.add_template_global(lambda: geo.municipality_bounds().as_text(), "fault_bounds")
    app.after_request(map_policy)
    register_staff_link(app, "eservices.fault_categories", _l("Felkategorier"), (ADMIN,))
