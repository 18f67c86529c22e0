"""Stand-ins for what the felanmälan service will offer: ``active_categories()``,
``category(code)`` and ``within_bounds(lat, lon)``.

They are agreed with the felanmälan work and will live in
``eservices/services/felanmalan/__init__.py``; until then these thin versions
keep Open311 working.  When those land, replace this module's body with::

    from eservices.services.felanmalan import active_categories, category, within_bounds

Here the categories are the rows of ``FaultCategory``; while that table is
empty (no admin has added categories yet) the built-in list of the form
(``felanmalan.CATEGORIES``) stands in, so that a fresh demo has services.
"""
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from eservices.services import felanmalan
from eservices.services.felanmalan.models import FaultCategory
from portal.extensions import db
from portal.i18n import languages
from portal.org.models import Department

# south, west, north, east: around Sjöbacka (the demo's area code is Kalmar's)
DEFAULT_BOUNDS = (56.40, 15.80, 57.00, 16.60)


def active_categories():
    """The categories people may report now, in their order."""
    rows = db.session.scalars(select(FaultCategory).where(FaultCategory.active.is_(True))
                              .order_by(FaultCategory.position, FaultCategory.code)).all()
    if rows or _table_in_use():
        return rows
    return _built_in()


def category(code):
    """The category with this code, active or not (old cases keep their names), or None."""
    if not code:
        return None
    row = db.session.scalar(select(FaultCategory).where(FaultCategory.code == code))
    if row is not None or _table_in_use():
        return row
    return next((built for built in _built_in() if built.code == code), None)


def within_bounds(lat, lon):
    """Whether a point lies in the municipality's box (``PORTAL_MUNICIPALITY_BOUNDS``:
    "south,west,north,east" in degrees)."""
    south, west, north, east = _bounds()
    return south <= lat <= north and west <= lon <= east


def _bounds():
    setting = current_app.config.get("PORTAL_MUNICIPALITY_BOUNDS") or DEFAULT_BOUNDS
    if isinstance(setting, str):
        setting = [float(part) for part in setting.split(",")]
    return tuple(setting)


def _table_in_use():
    return db.session.scalar(select(FaultCategory.id).limit(1)) is not None


def _built_in():
    """The form's own list as unsaved ``FaultCategory`` objects (never added to the session)."""
    departments = {d.code: d for d in db.session.scalars(select(Department))}
    return [FaultCategory(code=code, names=_names(name), descriptions={}, keywords=[], group="",
                          department=departments.get(department), position=position, active=True)
            for position, (code, (name, department)) in enumerate(felanmalan.CATEGORIES.items())]


def _names(lazy_name):
    names = {}
    for lang in languages():
        with force_locale(lang):
            names[lang] = str(lazy_name)
    return names
