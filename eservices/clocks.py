"""The SLA clocks of a case, kept in its columns so that queues sort and filter in SQL.

Two clocks run on the business hours of the förvaltning that has the case
(``Department.business_hours``, Swedish working days, see ``sla.py``), from
``clock_started_at`` (when the case came in, or was forwarded or rerouted
to the förvaltning):

- **first response**: one working day's opening hours, until an officer
  takes, answers or acknowledges the case (``first_response_at``); for a
  forwarded case this is the acknowledgement the contact centre watches;
- **solution**: the service's handling time in working days (for contacts
  an agent logs and mail: that of the e-service their question type names,
  else the question type's ``PORTAL_SLA_SOLUTION_DAYS_BY_TYPE``, else
  ``PORTAL_SLA_SOLUTION_DAYS``), less the time
  the case waited for the citizen (``CasePause``).  ``solution_warn_at`` is
  75 % of it.

While the case waits for the citizen the solution clock stands still and its
due moments are None; they are computed again when it runs on.
"""
from flask import current_app

from eservices import registry, sla
from eservices.models import CasePause
from portal.clock import utcnow

RESPONSE_DAYS = 1


def hours_for(case):
    return hours_of(case.department)


def hours_of(department):
    return sla.BusinessHours.from_config(department.business_hours,
                                         short_days=current_app.config["PORTAL_SLA_SHORT_DAYS"])


def solution_days(case):
    """Working days to solve the case: the e-service's handling time, also for a contact
    whose question type names an e-service; else the question type's own
    (``PORTAL_SLA_SOLUTION_DAYS_BY_TYPE``), else ``PORTAL_SLA_SOLUTION_DAYS``."""
    kind, _sep, key = (case.question_type or "").partition(":")
    service = registry.get(case.service_code or (key if kind == "eservice" else ""))
    if service is not None:
        return service.handling_days
    config = current_app.config
    return config["PORTAL_SLA_SOLUTION_DAYS_BY_TYPE"].get(case.question_type, config["PORTAL_SLA_SOLUTION_DAYS"])


def day_seconds(hours):
    """The opening hours of an ordinary working day, in seconds."""
    opens = hours.opens.hour * 3600 + hours.opens.minute * 60
    closes = hours.closes.hour * 3600 + hours.closes.minute * 60
    return closes - opens


def start(case, now=None):
    """Start both clocks afresh: a new case, or one that has a new förvaltning."""
    case.clock_started_at = now or utcnow()
    case.first_response_at = None
    recompute(case)


def responded(case, now=None):
    """An officer took, answered or acknowledged the case: the first clock stops."""
    if case.first_response_at is None:
        case.first_response_at = now or utcnow()
        case.first_response_due_at, case.response_due_at = case.response_due_at, None


def pause(case, now=None):
    """The case waits for the citizen: the solution clock stands still."""
    if case.open_pause is None:
        case.pauses.append(CasePause(started_at=now or utcnow()))
        recompute(case)


def resume(case, now=None):
    pause = case.open_pause
    if pause is not None:
        pause.ended_at = now or utcnow()
        recompute(case)


def recompute(case):
    """The due moments from the start, the targets and the pauses."""
    if case.clock_started_at is None:
        return
    hours, begun = hours_for(case), case.clock_started_at
    pauses = [(p.started_at, p.ended_at) for p in case.pauses if (p.ended_at or begun) >= begun]
    day = day_seconds(hours)
    target = solution_days(case) * day
    if case.first_response_at is None:
        case.response_due_at = sla.add_business_time(hours, begun, RESPONSE_DAYS * day)
    case.solution_due_at = sla.add_business_time(hours, begun, target, pauses)
    case.solution_warn_at = sla.add_business_time(hours, begun, target * sla.WARNING_AT, pauses)
    if case.solution_due_at is not None:
        case.due_on = hours.local(case.solution_due_at).date()


def state(case, now=None):
    """``sla.OK``, ``sla.WARNING`` or ``sla.OVERDUE`` for an open case (None when done)."""
    if not case.status.is_open or case.clock_started_at is None:
        return None
    now = now or utcnow()
    late = case.response_due_at is not None and case.response_due_at <= now
    if late or (case.solution_due_at is not None and case.solution_due_at <= now):
        return sla.OVERDUE
    if case.solution_warn_at is not None and case.solution_warn_at <= now:
        return sla.WARNING
    return sla.OK
