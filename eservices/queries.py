"""Reading e-services, drafts and cases: loading with 404/403 in one place, the
cases each person may see, the officers' queue, the contact centre's lookups and
the audit log of case reads."""
import re
from dataclasses import dataclass

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import case as sql_case, func, or_, select
from sqlalchemy.orm import selectinload

from eservices import registry
from eservices.casework import CALLBACK_SERVICE
from eservices.models import (
    OPEN_STATUSES, Case, CaseFile, CaseRead, CaseStatus, FormDraft, Priority, email_key, phone_key,
    token_digest,
)
from portal.auth.models import ADMIN, OFFICER, RoleGrant, User
from portal.clock import utcnow
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


def visible_condition(user):
    """Which cases ``user`` handles: their förvaltningar's; an admin also every case that
    is not confidential (confidential ones only for the förvaltning's own officers)."""
    own = Case.department_id.in_(user.department_ids(OFFICER))
    if ADMIN in user.roles:
        return or_(Case.confidential.is_(False), own)
    return own


def cases_visible_to(user):
    """The cases ``user`` handles, as a select to narrow down."""
    return select(Case).where(visible_condition(user))


# --- the officers' queue ---------------------------------------------------------------
QUEUE_PAGE_SIZE = 50
ALL_OPEN, OVERDUE, WARNING, MINE, NOBODY = "alla-oppna", "forsenade", "snart-forsenade", "mina", "ingen"


@dataclass(frozen=True)
class QueueFilter:
    """What an officer chose to see: ``status`` is ``ALL_OPEN`` (every open status) or one
    status; ``sla`` is ``OVERDUE``, ``WARNING`` or empty; ``assigned`` is ``MINE``,
    ``NOBODY`` or empty; ``question_type`` is a case's type or empty.  The values are
    what the queue's address carries."""

    status: str = ALL_OPEN
    question_type: str = ""
    sla: str = ""
    assigned: str = ""
    page: int = 1


@dataclass(frozen=True)
class QueuePage:
    cases: list
    total: int
    page: int
    pages: int


def urgency(now):
    """``clocks.state`` in SQL, as a number to sort by: 0 overdue (the first response
    or the solution), 1 warning, 2 the rest."""
    overdue = or_(Case.response_due_at <= now, Case.solution_due_at <= now)
    return sql_case((overdue, 0), (Case.solution_warn_at <= now, 1), else_=2)


def _priority_rank():
    return sql_case({priority: priority.rank for priority in Priority}, value=Case.priority)


def _queue_conditions(user, chosen, now):
    conditions = [visible_condition(user)]
    if chosen.status == ALL_OPEN or chosen.sla:
        conditions.append(Case.status.in_(OPEN_STATUSES))
    if chosen.status != ALL_OPEN:
        conditions.append(Case.status == chosen.status)
    if chosen.sla:
        conditions.append(urgency(now) == (0 if chosen.sla == OVERDUE else 1))
    if chosen.assigned == MINE:
        conditions.append(Case.assigned_to_id == user.id)
    elif chosen.assigned == NOBODY:
        conditions.append(Case.assigned_to_id.is_(None))
    if chosen.question_type:
        conditions.append(Case.question_type == chosen.question_type)
    return conditions


def _queue_order(chosen, now):
    """Open cases by urgency, then the solution's due moment (paused clocks last), then
    priority; solved and closed ones the latest first."""
    if chosen.status in (CaseStatus.SOLVED, CaseStatus.CLOSED):
        return Case.closed_at.desc(), Case.id.desc()
    return urgency(now), Case.solution_due_at.asc().nulls_last(), _priority_rank().desc(), Case.id


def queue(user, chosen, now=None):
    """One page of the cases ``user`` handles that ``chosen`` lets through, the most
    urgent first: filtered, sorted, counted and cut in the database, so a page costs
    about the same with a million cases.

    The count and the page's ids need only the ``ix_cases_queue`` (or
    ``ix_cases_assignee``) index, not the rows: ``count(*)``, since PostgreSQL keeps no
    ``id`` in an index that does not name it, and the page's ids picked in a subquery,
    so that only the rows shown are read, also far down the list of closed cases."""
    now = now or utcnow()
    conditions = _queue_conditions(user, chosen, now)
    total = db.session.scalar(select(func.count()).select_from(Case).where(*conditions))
    pages = max(1, -(-total // QUEUE_PAGE_SIZE))
    page = min(max(chosen.page, 1), pages)
    order = _queue_order(chosen, now)
    shown = (select(Case.id).where(*conditions).order_by(*order)
             .offset((page - 1) * QUEUE_PAGE_SIZE).limit(QUEUE_PAGE_SIZE).subquery())
    cases = db.session.scalars(
        select(Case).join(shown, shown.c.id == Case.id).order_by(*order)
        .options(selectinload(Case.assigned_to))).all()
    return QueuePage(cases, total, page, pages)


def question_types(lang):
    """``(value, label)`` of every type a case can have: the e-services, then the topics."""
    services = [(f"eservice:{service.code}", service.text(lang).title) for service in registry.all_services()]
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)).all()
    return services + [(f"topic:{topic.slug}", topic.name_in(lang)) for topic in topics]


# --- what the case page needs ------------------------------------------------------------
def case_by_reference(reference):
    return db.session.scalar(select(Case).where(Case.reference == reference.strip().upper()))


def officers_of(department_id):
    """The active case officers of a förvaltning, by name."""
    return db.session.scalars(
        select(User).join(RoleGrant).where(RoleGrant.role == OFFICER, RoleGrant.department_id == department_id,
                                           User.active.is_(True))
        .order_by(User.display_name).distinct()).all()


def departments_except(department_id):
    return db.session.scalars(select(Department).where(Department.id != department_id)
                              .order_by(Department.code)).all()


# --- the audit log -------------------------------------------------------------------------
AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditRow:
    read: CaseRead
    case: Case
    user: User
    file: CaseFile | None


def case_reads(reference="", username="", page=1):
    """``(rows, more)``: one page of who opened which case or file, the latest first,
    for one case and/or one person; ``more`` says whether a next page exists (a count
    of every read would cost more than the page)."""
    statement = (select(CaseRead, Case, User).join(Case, Case.id == CaseRead.case_id)
                 .join(User, User.id == CaseRead.user_id))
    if reference:
        statement = statement.where(Case.reference == reference.strip().upper())
    if username:
        statement = statement.where(User.username == username.strip())
    found = db.session.execute(statement.order_by(CaseRead.id.desc())
                               .offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE + 1)).all()
    files = _files_read([read for read, _case, _user in found])
    rows = [AuditRow(read, case, user, files.get(read.what)) for read, case, user in found[:AUDIT_PAGE_SIZE]]
    return rows, len(found) > AUDIT_PAGE_SIZE


def _files_read(reads):
    """``{"file:<id>": CaseFile}`` for the reads of files among ``reads``."""
    ids = {int(read.what.split(":", 1)[1]) for read in reads if read.what.startswith("file:")}
    if not ids:
        return {}
    return {f"file:{stored.id}": stored for stored in
            db.session.scalars(select(CaseFile).where(CaseFile.id.in_(ids)))}


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


def departments():
    return db.session.scalars(select(Department).order_by(Department.code)).all()


def topics():
    return db.session.scalars(select(Topic).order_by(Topic.position)).all()
