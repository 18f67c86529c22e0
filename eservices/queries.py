"""Reading e-services, drafts and cases: loading with 404/403 in one place, and
the cases each person may see."""
from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from eservices import registry
from eservices.models import Case, CaseStatus, FormDraft, token_digest
from portal.auth.models import ADMIN, OFFICER
from portal.extensions import db
from portal.i18n import current_language
from portal.links import Link


def service_or_404(code):
    return registry.get(code) or abort(404)


def draft_by_token(token, code=None):
    """The draft a token opens (of the service ``code`` if given), or None."""
    if not token:
        return None
    draft = db.session.scalar(select(FormDraft).where(FormDraft.token_digest == token_digest(token)))
    return draft if draft and (code is None or draft.service_code == code) else None


def case_by_token(token):
    return db.session.scalar(select(Case).where(Case.tracking_token == token)) or abort(404)


def case_or_404(case_id):
    case = db.session.get(Case, case_id) or abort(404)
    if not case.can_view(current_user):
        abort(403)
    return case


def cases_visible_to(user, status=None, service_code=None, limit=200):
    """The cases of the förvaltningar ``user`` handles, newest first; confidential
    ones only for the förvaltning's own officers."""
    own = user.department_ids(OFFICER)
    query = select(Case)
    if ADMIN in user.roles:
        query = query.where(or_(Case.confidential.is_(False), Case.department_id.in_(own)))
    else:
        query = query.where(Case.department_id.in_(own))
    if status == "open":
        query = query.where(Case.status.not_in([CaseStatus.SOLVED, CaseStatus.CLOSED]))
    elif status:
        query = query.where(Case.status == status)
    if service_code:
        query = query.where(Case.service_code == service_code)
    return db.session.scalars(query.order_by(Case.created_at.desc()).limit(limit)).all()


def link(code):
    """The e-service's title and landing page in the current language, or None."""
    service = registry.get(code)
    if service is None:
        return None
    lang = current_language()
    return Link(title=service.text(lang).title, url=url_for("eservices.landing", code=code),
                lang=service.text_language(lang))
