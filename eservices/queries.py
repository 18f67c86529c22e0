"""Reading e-services, drafts and cases: loading with 404/403 in one place, and
the cases each person may see."""
import re

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from eservices import registry
from eservices.casework import CALLBACK_SERVICE
from eservices.models import Case, CaseStatus, FormDraft, email_key, phone_key, token_digest
from portal.auth.models import ADMIN, OFFICER, RoleGrant, User
from portal.extensions import db
from portal.i18n import current_language
from portal.links import Link
from portal.org.models import Department, Topic


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


# --- the contact centre ---------------------------------------------------------------
REFERENCE = re.compile(r"^[A-Z]+-\d{4}-\d+$")
PHONE_LIKE = re.compile(r"^\+?[\d\s()/-]+$")
LOOKUP_LIMIT = 50


def lookup_condition(text):
    """What a lookup typed by an agent asks for: an exact reference, an e-mail address
    (without case) or a phone number (by its digits); None when it is none of these."""
    text = " ".join((text or "").split())
    if REFERENCE.match(text.upper()):
        return Case.reference == text.upper()
    if "@" in text:
        return Case.contact_email_key == email_key(text)
    if PHONE_LIKE.match(text) and len(phone_key(text)) >= 6:
        return Case.contact_phone_key == phone_key(text)
    return None


def cases_found(user, condition):
    """The cases matching ``condition`` that ``user`` may open, newest first: confidential
    ones only for their förvaltning's own officers (as ``Case.can_view``)."""
    visible = or_(Case.confidential.is_(False), Case.department_id.in_(user.department_ids(OFFICER)))
    return db.session.scalars(select(Case).where(condition, visible)
                              .order_by(Case.created_at.desc(), Case.id.desc()).limit(LOOKUP_LIMIT)).all()


def waiting_callbacks():
    """The call-back requests nobody has answered yet, oldest first."""
    return db.session.scalars(select(Case).where(
        Case.service_code == CALLBACK_SERVICE, Case.status.not_in([CaseStatus.SOLVED, CaseStatus.CLOSED]))
        .order_by(Case.created_at, Case.id)).all()


def callback_or_404(case_id):
    """An open or closed call-back request (the action says if it is still waiting)."""
    case = db.session.get(Case, case_id)
    if case is None or case.service_code != CALLBACK_SERVICE:
        abort(404)
    return case


def officers_by_department():
    """[(förvaltning, [its active officers by name])] for the reception."""
    rows = db.session.execute(select(Department, User).join(RoleGrant, RoleGrant.department_id == Department.id)
                              .join(User, User.id == RoleGrant.user_id)
                              .where(RoleGrant.role == OFFICER, User.active.is_(True))
                              .order_by(Department.code, User.display_name)).all()
    grouped = {}
    for department, officer in rows:
        grouped.setdefault(department, []).append(officer)
    return list(grouped.items())


def officer_and_department(user_id, department_id):
    """The person and the förvaltning a reception form names (``RegisterVisit`` checks that they go together)."""
    return db.session.get(User, user_id), db.session.get(Department, department_id)


def question_type_label(question_type):
    """"topic:<slug>" or "eservice:<code>" (``Case.question_type``) as people read it."""
    kind, _sep, key = question_type.partition(":")
    lang = current_language()
    if kind == "topic":
        topic = db.session.scalar(select(Topic).where(Topic.slug == key))
        return topic.name_in(lang) if topic else key
    service = registry.get(key) if kind == "eservice" else None
    return service.text(lang).title if service else question_type


def departments():
    return db.session.scalars(select(Department).order_by(Department.code)).all()


def topics():
    return db.session.scalars(select(Topic).order_by(Topic.position)).all()
