"""What Open311 reads: the fault reports anyone may see, the posting client's key,
and the keys for the admin pages.

Every felanmälan case is an Open311 service request, whichever channel it
came in through, except confidential ones; no other e-service's cases are
(a call-back request or a permit application is nobody else's business).
"""
from flask import abort, g, request
from flask_limiter.util import get_remote_address
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eservices.models import Case, CaseStatus
from eservices.open311 import operations
from eservices.open311.models import ApiKey, Open311Request
from portal.extensions import db

MAX_RESULTS = 1000
CLOSED = [status for status in CaseStatus if not status.is_open]


def public_cases():
    return select(Case).where(Case.service_code == operations.SERVICE, Case.confidential.is_(False))


def service_code_column():
    return Case.answers[("fel", "category")].as_string()


def case_by_reference(reference):
    """The request with this id (a case reference), or None."""
    return db.session.scalar(public_cases().where(Case.reference == reference))


def matching_cases(wanted):
    """The requests a ``forms.RequestFilter`` asks for, newest first, at most 1,000."""
    query = public_cases().options(selectinload(Case.events))
    if wanted.references:
        query = query.where(Case.reference.in_(wanted.references))
    else:
        query = query.where(Case.created_at >= wanted.start, Case.created_at <= wanted.end)
        if wanted.service_codes:
            query = query.where(service_code_column().in_(wanted.service_codes))
        if wanted.statuses == {"open"}:
            query = query.where(Case.status.not_in(CLOSED))
        elif wanted.statuses == {"closed"}:
            query = query.where(Case.status.in_(CLOSED))
    return db.session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc()).limit(MAX_RESULTS)).all()


def origins(cases):
    """{case id: Open311Request} for the cases that came in through Open311."""
    ids = [case.id for case in cases]
    if not ids:
        return {}
    rows = db.session.scalars(select(Open311Request).where(Open311Request.case_id.in_(ids)))
    return {row.case_id: row for row in rows}


# --- the posting client's key -----------------------------------------------------
def posting_key():
    """The active key sent with this request (``api_key`` in the form body), or None;
    read once per request (the rate limits ask too)."""
    if "open311_key" not in g:
        g.open311_key = operations.key_by_value(request.form.get("api_key", "").strip())
    return g.open311_key


def rate_limit_key():
    """Posts are counted per key, or per address when no valid key came with them."""
    key = posting_key()
    return f"open311-key:{key.id}" if key else get_remote_address()


# --- the admin pages ------------------------------------------------------------------
def all_keys():
    return db.session.scalars(select(ApiKey).order_by(ApiKey.active.desc(), ApiKey.name)).all()


def key_or_404(key_id):
    return db.session.get(ApiKey, key_id) or abort(404)
