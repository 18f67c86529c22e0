"""Reading fault categories and reports: the categories a citizen may choose (the
Open311 endpoint lists the same), open reports near a place, the public list.

A public page never gets a case: it gets :class:`PublicReport`s, made here from
a report's category, place, status and date and nothing else, so no name,
e-mail address, phone number, description or photo can reach a template that
everyone may read.  The place is the address as the citizen wrote it, with
anything that looks like an e-mail address, personnummer or phone number taken
out (``portal.privacy.scrub``), and the position rounded to about 10 m.
"""
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eservices.models import Case, CaseStatus
from eservices.services.felanmalan import geo
from eservices.services.felanmalan.models import FaultCategory
from portal.extensions import db
from portal.privacy import scrub

SERVICE_CODE = "felanmalan"
OPEN = (CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING)
NEARBY_METRES = 100
PER_PAGE = 25
PUBLIC_DECIMALS = 4     # about 10 m: enough to find the fault, not a doorstep

# The category code inside a case's answers, as the database reads it.
CATEGORY_CODE = Case.answers[("fel", "category")].as_string()

# The citizen's labels speak to the person who reported; these speak to everyone.
PUBLIC_STATUS = {
    CaseStatus.NEW: _l("Mottagen"),
    CaseStatus.OPEN: _l("Åtgärdas"),
    CaseStatus.WAITING: _l("Åtgärdas"),
    CaseStatus.SOLVED: _l("Åtgärdad"),
    CaseStatus.CLOSED: _l("Avslutad"),
}


# --- categories -----------------------------------------------------------------------
def active_categories():
    """The categories a citizen (or an Open311 client) may report in, in their order."""
    return db.session.scalars(select(FaultCategory).where(FaultCategory.active.is_(True))
                              .order_by(FaultCategory.position, FaultCategory.id)).all()


def all_categories():
    return db.session.scalars(select(FaultCategory).order_by(FaultCategory.position, FaultCategory.id)).all()


def category(code):
    """The category with this code (its Open311 service_code), active or not, or None."""
    if not code:
        return None
    return db.session.scalar(select(FaultCategory).where(FaultCategory.code == code))


def category_or_404(category_id):
    return db.session.get(FaultCategory, category_id) or abort(404)


def category_in_use(code):
    """Whether any report names the category: its code then may not change."""
    return db.session.scalar(select(func.count()).select_from(Case).where(
        Case.service_code == SERVICE_CODE, CATEGORY_CODE == code)) > 0


# --- reports as everyone may see them --------------------------------------------------
@dataclass(frozen=True)
class PublicReport:
    id: int
    reference: str
    category: str
    place: str
    status: str
    is_open: bool
    received: datetime
    latitude: float | None
    longitude: float | None
    distance: float | None = None


def public_report(case, names, distance=None):
    """What everyone may read of a report (``names``: category code → name)."""
    lat, lon = (None, None) if case.latitude is None or case.longitude is None else (
        round(case.latitude, PUBLIC_DECIMALS), round(case.longitude, PUBLIC_DECIMALS))
    code = (case.answers.get("fel") or {}).get("category")
    place = scrub(case.place) if case.place else (f"{lat}, {lon}" if lat is not None else "")
    return PublicReport(id=case.id, reference=case.reference, category=names.get(code, code or ""),
                        place=place, status=str(PUBLIC_STATUS[case.status]), is_open=case.status.is_open,
                        received=case.created_at, latitude=lat, longitude=lon, distance=distance)


def category_names(lang=None):
    return {c.code: c.name_in(lang) for c in all_categories()}


def fault_reports():
    """Reports that may be shown publicly: felanmälan, never a confidential case."""
    return select(Case).where(Case.service_code == SERVICE_CODE, Case.confidential.is_(False))


def report_or_404(case_id):
    case = db.session.scalar(fault_reports().where(Case.id == case_id)) or abort(404)
    return public_report(case, category_names())


def open_reports(code=None, page=1, per_page=PER_PAGE):
    """(one page of open reports, newest first, the number of them all)."""
    query = fault_reports().where(Case.status.in_(OPEN))
    if code:
        query = query.where(CATEGORY_CODE == code)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    cases = db.session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc())
                               .offset((page - 1) * per_page).limit(per_page)).all()
    names = category_names()
    return [public_report(case, names) for case in cases], total


def nearby_open_reports(code, lat, lon, metres=NEARBY_METRES):
    """Open reports of category ``code`` within ``metres`` of a position, nearest first:
    the database narrows them to a box, the haversine distance decides."""
    south, west, north, east = geo.box_around(lat, lon, metres)
    cases = db.session.scalars(fault_reports().where(
        Case.status.in_(OPEN), CATEGORY_CODE == code,
        Case.latitude.between(south, north), Case.longitude.between(west, east))).all()
    measured = sorted((geo.distance_m(lat, lon, case.latitude, case.longitude), case.id, case)
                      for case in cases)
    names = category_names()
    return [public_report(case, names, distance=round(distance))
            for distance, _id, case in measured if distance <= metres]
