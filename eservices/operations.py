"""Changes to drafts and cases: the only code that makes them.

A form is filled in page by page into a :class:`FormDraft` (``save_page``),
files included.  :class:`SubmitCase` turns the draft into a case in one
transaction: the reference, the case with its answers and files, the due
date, the first timeline entry, the service's own rows (a booking) and the
receipt to the citizen (mail or SMS outbox) commit together or not at all.
Officers move cases on with the actions of ``casework.py``, and decide the
case of a service that has a decision with :class:`Decide`.  Each sends
``case_changed`` (``portal.signals``).
"""
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from eservices import casework, clocks, notify, registry, uploads
from eservices.models import (
    Case, CaseCounter, CaseEvent, CaseFile, CaseRead, CaseStatus, Channel, DraftFile, FormDraft,
    NotifyBy, Outcome, new_token, token_digest,
)
from portal.actions import Action, require
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department
from portal.auth.models import ADMIN, MANAGER
from portal.signals import case_changed, department_changed

UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


# --- drafts -----------------------------------------------------------------------
def start_draft(service, lang, channel=Channel.WEB, acting_user=None):
    """A new draft and its token (kept by the caller in the session, and in the resume link)."""
    token = new_token()
    draft = FormDraft(token_digest=token_digest(token), service_code=service.code, lang=lang,
                      channel=channel, acting_user_id=acting_user.id if acting_user else None)
    db.session.add(draft)
    db.session.flush()
    return draft, token


def save_page(draft, page, form):
    """Keep what the page's form holds: what was typed (to show it again) and the
    values (for the case).  Files are kept separately (``add_files``)."""
    fields = form.answer_fields()
    draft.answers = {**draft.answers, page.name: {
        "raw": {f.name: f.raw_data for f in fields if f.raw_data},
        "data": {f.name: jsonable(f.data) for f in fields}}}
    draft.updated_at = utcnow()


def add_files(draft, rule, storages):
    """Check and store uploaded files for ``rule``'s field; returns messages for the
    citizen about the files that were refused (the accepted ones are kept)."""
    problems = []
    room = rule.max_files - len(draft.files_for(rule.field))
    for storage in [s for s in storages if s and s.filename]:
        if room <= 0:
            problems.append(str(_l("Du kan bifoga högst %(n)d filer.", n=rule.max_files)))
            break
        try:
            accepted = uploads.accept(storage, rule.kinds, rule.max_bytes)
        except uploads.UploadRejected as error:
            problems.append(f"{storage.filename}: {error}")
            continue
        draft.files.append(DraftFile(field=rule.field, stored_name=accepted.stored_name,
                                     original_name=accepted.original_name,
                                     content_type=accepted.content_type, size=accepted.size,
                                     gps=list(accepted.gps) if accepted.gps else None))
        room -= 1
    draft.updated_at = utcnow()
    return problems


def remove_file(draft, stored):
    draft.files.remove(stored)
    uploads.delete_stored(stored.stored_name)


def jsonable(value):
    """A form value as JSON can hold it: dates as ISO text, decimals as floats."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def answer_data(draft):
    """{page: {field: value}} of a draft: what the service's hooks read."""
    return {page: entry["data"] for page, entry in draft.answers.items()}


def missing_pages(service, draft):
    return [page for page in service.pages if page.name not in draft.answers]


def purge_drafts(now):
    """Drafts untouched for ``PORTAL_DRAFT_DAYS``, with their files."""
    cutoff = now - timedelta(days=current_app.config["PORTAL_DRAFT_DAYS"])
    old = db.session.scalars(select(FormDraft).where(FormDraft.updated_at < cutoff)).all()
    for draft in old:
        for stored in draft.files:
            uploads.delete_stored(stored.stored_name)
        db.session.delete(draft)
    return len(old)


# --- cases ------------------------------------------------------------------------
def next_reference(year):
    """``SJB-2026-004217``: the next number of the year, taken inside the caller's
    transaction (the row stays locked until it ends), so none is given twice."""
    insert = UPSERT[db.session.get_bind().dialect.name](CaseCounter.__table__)
    statement = insert.values(year=year, last=1).on_conflict_do_update(
        index_elements=["year"], set_={"last": CaseCounter.__table__.c.last + 1}
    ).returning(CaseCounter.__table__.c.last)
    number = db.session.execute(statement).scalar_one()
    return f"{current_app.config['PORTAL_CASE_PREFIX']}-{year}-{number:06d}"


def department_id(code):
    return db.session.scalar(select(Department.id).where(Department.code == code))


class SubmitCase(Action):
    """Turn a complete draft into a case; returns ``(case, tracking token)``.

    A refusal from the service's ``after_submit`` (a room booked by someone
    else meanwhile) rolls the whole submission back, the deleted draft too:
    no case and no reference remain, and the person can change an answer and
    send again."""

    name = "submit_case"

    def check(self, draft, user=None, service=None, **context):
        require(not missing_pages(service, draft), _l("Fyll i alla steg innan du skickar."))
        for rule in service.attachments:
            require(not rule.required or draft.files_for(rule.field),
                    _l("Bifoga de filer som krävs innan du skickar."))
        problems = service.check_answers(answer_data(draft))
        require(not problems, problems[0][2] if problems else "")

    def apply(self, draft, user=None, service=None, **context):
        answers = answer_data(draft)
        token = new_token()
        case = self._new_case(service, draft, answers, token)
        db.session.add(case)
        db.session.flush()
        service.after_submit(case, answers)
        _event(case, "received", _l("Ärendet har tagits emot."), public=True, user=user)
        notify.receipt(case)
        db.session.delete(draft)
        case_changed.send(case.id, case=case, what="received")
        return case, token

    def _new_case(self, service, draft, answers, token):
        now = utcnow()
        contact = service.contact(answers)
        lat, lon, place = service.location(answers)
        case = Case(
            reference=next_reference(now.year), service_code=service.code,
            title=service.case_title(answers)[:200], summary=service.case_summary(answers),
            channel=draft.channel, department_id=department_id(service.department_for(answers)),
            created_by_id=draft.acting_user_id, confidential=service.confidential,
            retention=service.retention.code, lang=draft.lang, answers=answers,
            contact_name=contact.get("name") or "", contact_email=contact.get("email") or "",
            contact_phone=contact.get("phone") or "",
            notify_by=NotifyBy(contact.get("notify_by") or NotifyBy.PAGE),
            tracking_token=token, latitude=lat, longitude=lon, place=place,
            question_type=f"eservice:{service.code}", rosa_level=service.rosa_level)
        case.department = db.session.get(Department, case.department_id)
        clocks.start(case, now)
        case.files = [CaseFile(field=f.field, stored_name=f.stored_name, original_name=f.original_name,
                               content_type=f.content_type, size=f.size) for f in draft.files]
        return case


def _event(case, kind, text, public=False, user=None):
    case.events.append(CaseEvent(kind=kind, text=str(text), public=public,
                                 user_id=user.id if user else None))
    case.updated_at = utcnow()


def record_read(case, user, what="case"):
    """Note that ``user`` opened the case (or one of its files): reads are audited."""
    db.session.add(CaseRead(case_id=case.id, user_id=user.id, what=what))
    db.session.commit()


class Decide(Action):
    """The decision: granted or denied with reasons (and what the service adds, such
    as a permit's validity); the service acts on it in the same transaction
    (``after_decision``: a booking confirmed or freed), and the citizen is told
    through the channel they chose."""

    name = "decide"

    def check(self, case, user, seen_version=None, seen_event=0, **context):
        require(case.can_handle(user), _l("Du har inte behörighet att besluta i ärendet."))
        casework.require_unchanged(case, seen_version, seen_event)
        require(case.status.is_open, _l("Ärendet har redan ett beslut eller är avslutat."))

    def apply(self, case, user, decision=None, **context):
        case.decision = {**decision, "decided_by": user.display_name, "decided_at": utcnow().isoformat()}
        casework.finish(case, CaseStatus.SOLVED, Outcome.GRANTED if decision.get("outcome") == "granted" else Outcome.DENIED)
        clocks.responded(case)
        case.assigned_to_id = case.assigned_to_id or user.id
        service = registry.get(case.service_code)
        if service is not None:
            service.after_decision(case, decision)
        _event(case, "decision", decision.get("reason", ""), public=True, user=user)
        notify.decision(case)
        case_changed.send(case.id, case=case, what="decision")
        return case


SUBMIT = SubmitCase()
DECIDE = Decide()



class SetEmployees(Action):
    """The manager enters each förvaltning's employees (None: not known), which the
    cost-allocation key shares the contact centre's budget by."""

    name = "set_employees"

    def check(self, departments, user, **context):
        require(user is not None and user.has_role(MANAGER, ADMIN),
                _l("Bara kontaktcenterchefen och administratörer kan ändra antalet anställda."))

    def validate(self, departments, user, employees=None, **context):
        require(all(count is None or count >= 0 for count in employees.values()),
                _l("Antalet anställda är ett heltal, 0 eller mer."))

    def apply(self, departments, user, employees=None, **context):
        for department in departments:
            if department.employees != employees[department.id]:
                department.employees = employees[department.id]
                department_changed.send(department.id, department=department, user=user)
        return departments


SET_EMPLOYEES = SetEmployees()
