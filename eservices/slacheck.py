"""``portal sla-check``: one digest a day per förvaltning, and one to the contact centre,
listing the open cases whose SLA clock is in warning or overdue.

For cron: running it again the same day sends nothing new (``SlaDigest``
remembers what went out).  A förvaltning's digest lists its own cases and goes
to its ``contact_email``.  The contact centre (``PORTAL_CONTACT_CENTRE``)
follows everything until it is solved: its digest lists every late case, and
the forwarded ones no förvaltning has acknowledged in time.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from eservices.casework import contact_centre_department
from eservices.models import Case, CaseStatus, SlaDigest
from portal import mail
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import source_language
from portal.org.models import Department

TEMPLATE = "eservices/mail/sla_digest"
OPEN = [status for status in CaseStatus if status.is_open]


@dataclass
class Digest:
    department: Department
    overdue: list = field(default_factory=list)
    warning: list = field(default_factory=list)
    unacknowledged: list = field(default_factory=list)

    @property
    def empty(self):
        return not (self.overdue or self.warning or self.unacknowledged)


@dataclass(frozen=True)
class LateCase:
    """What a digest says of a late case, read in one statement.  (Cases as ORM objects
    would be expired by the commit after each digest, and read again one by one for
    the next: thousands of statements in a large municipality.)"""

    id: int
    reference: str
    title: str
    status: CaseStatus
    department_id: int
    department_code: str
    due_on: date | None
    response_due_at: datetime | None
    solution_due_at: datetime | None


def late_cases(now):
    """[LateCase] of the open cases past a due moment or their warning, oldest due first.

    Sorted here, not in SQL: closed cases keep their due moments, and an ``ORDER BY
    solution_due_at`` lets SQLite walk the whole table in that index's order (over a
    second with a million cases) instead of finding the few open ones first."""
    rows = db.session.execute(
        select(Case.id, Case.reference, Case.title, Case.status, Case.department_id, Department.code,
               Case.due_on, Case.response_due_at, Case.solution_due_at)
        .join(Department, Department.id == Case.department_id)
        .where(Case.status.in_(OPEN), or_(Case.solution_warn_at <= now, Case.response_due_at <= now)))
    return sorted((LateCase(*row) for row in rows),
                  key=lambda case: (case.solution_due_at is None, case.solution_due_at or now, case.id))


def digests(now):
    """[Digest] of every förvaltning with something late, and the contact centre's."""
    result = {}
    centre = contact_centre_department()
    departments = {department.id: department for department in db.session.scalars(select(Department))}
    for case in late_cases(now):
        targets = [result.setdefault(case.department_id, Digest(departments[case.department_id]))]
        if centre is not None and centre.id != case.department_id:
            targets.append(result.setdefault(centre.id, Digest(centre)))
        for digest in targets:
            (digest.overdue if is_overdue(case, now) else digest.warning).append(case)
        if centre is not None and case.status == CaseStatus.FORWARDED and _past(case.response_due_at, now):
            result.setdefault(centre.id, Digest(centre)).unacknowledged.append(case)
    return [digest for digest in result.values() if not digest.empty]


def is_overdue(case, now):
    return _past(case.solution_due_at, now) or _past(case.response_due_at, now)


def _past(moment, now):
    return moment is not None and moment <= now


def send_digests(now=None, today=None):
    """Send today's digests not sent yet; returns how many went out."""
    now, today = now or utcnow(), today or date.today()
    sent = 0
    for digest in digests(now):
        if not digest.department.contact_email or not _claim(digest.department, today):
            continue
        mail.queue(digest.department.contact_email, TEMPLATE, source_language(), digest=digest, today=today)
        db.session.commit()
        sent += 1
    mail.deliver_pending()
    return sent


def _claim(department, day):
    """Record that today's digest for ``department`` goes out; False if it already has."""
    try:
        with db.session.begin_nested():
            db.session.add(SlaDigest(department_id=department.id, day=day))
    except IntegrityError:
        return False
    return True
