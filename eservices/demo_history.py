"""Thirteen months of demo history (``portal demo-history``, run by ``make run``), so that
the statistics dashboard has figures to show on a fresh machine.

A year of cases made one by one through the actions would take minutes, so this is
a bulk path: it writes the rows the actions write (the case with its clocks as
``clocks.recompute`` sets them, its "received" and "solved" lines, a reopening
now and then), computed with the same SLA arithmetic (``sla.add_business_time``),
in a few seconds.  Every case is done (closed or solved), so the queues show only
the demo week's cases.  The history holds no personal data: no names, no addresses
and no text a citizen wrote.  Seeded: every run gives the same history.
"""
import random
from datetime import datetime, time, timedelta, timezone

from flask import current_app
from sqlalchemy import func, insert, select

from eservices import clocks, registry, rollup, sla
from eservices.casework import AUTHORITIES
from eservices.models import Case, CaseEvent, CaseStatus, Channel, NotifyBy, Outcome, Priority, new_token
from eservices.operations import next_reference
from eservices.workdays import is_working_day
from portal.clock import utcnow
from portal.stats.bounds import local_day
from portal.extensions import db
from portal.auth.models import User
from portal.org.models import Department

MONTHS = 13
SEED = 15
TOPIC_DEPARTMENTS = {"flytta-hit": "KLF", "bygga-och-bo": "SBF", "trafik-och-parkering": "TF",
                     "forskola-och-skola": "BUF", "omsorg-och-stod": "SOF", "kultur-och-fritid": "KFF",
                     "miljo-och-halsa": "MHF", "utbildning-for-vuxna": "GVF", "arbete": "AMF"}
# Contacts a working day through each channel; e-service cases a working day per service.
CALLS, VISITS, CHATS, EMAILS = 14, 2, 3, 5
FORMS = {"felanmalan": 4, "parkeringstillstand": 0.4}


def load_demo_history():
    """The history; nothing when the database has cases older than the demo week."""
    today = utcnow().date()
    start = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
    if db.session.scalar(select(func.count()).select_from(Case).where(Case.created_at < _utc(today - timedelta(7)))):
        return 0
    maker = HistoryMaker(random.Random(SEED))
    day = start
    while day < today - timedelta(days=7):
        if is_working_day(day):
            maker.working_day(day, progress=(day - start).days / (today - start).days)
        day += timedelta(days=1)
    return maker.write()


def _utc(day, hour=0.0):
    """A Stockholm wall-clock moment as the database's naive UTC."""
    local = datetime.combine(day, time(0), tzinfo=sla.BusinessHours().tz) + timedelta(hours=hour)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


class HistoryMaker:
    def __init__(self, rng):
        self.rng, self.cases, self.events = rng, [], []
        self.departments = {d.code: d for d in db.session.scalars(select(Department))}
        self.agent_id = db.session.scalar(select(User.id).where(User.username == "agent"))
        self.centre = self.departments[current_app.config["PORTAL_CONTACT_CENTRE"]]
        self.hours = {d.id: clocks.hours_of(d) for d in self.departments.values()}
        self.topics = [topic for topic in TOPIC_DEPARTMENTS if TOPIC_DEPARTMENTS[topic] in self.departments]

    def count(self, mean):
        """How many today: around ``mean``, some days busier than others."""
        return max(0, round(self.rng.gauss(mean, mean / 4)))

    def working_day(self, day, progress):
        """One working day's contacts and forms; over the year first-contact resolution
        improves and fault reports move from the phone to the e-service."""
        for channel, mean in ((Channel.PHONE, CALLS), (Channel.VISIT, VISITS), (Channel.CHAT, CHATS)):
            for _n in range(self.count(mean)):
                self.logged_contact(day, channel, fcr=0.66 + 0.12 * progress)
        for _n in range(self.count(EMAILS)):
            self.email(day)
        for code, mean in FORMS.items():
            shift = 0.5 + progress if code == "felanmalan" else 1
            for _n in range(self.count(mean * shift)):
                self.form(day, registry.get(code))
            if code == "felanmalan":
                for _n in range(self.count(2 * (1 - progress) + 0.5)):
                    self.logged_contact(day, Channel.PHONE, fcr=0, kind="eservice:felanmalan",
                                        department=self.departments["TF"])

    def moment(self, day):
        return _utc(day, self.rng.uniform(8, 16.5))

    def logged_contact(self, day, channel, fcr, kind=None, department=None):
        topic = self.rng.choice(self.topics)
        received, roll = self.moment(day), self.rng.random()
        case = self.case(received, channel, self.centre, kind or f"topic:{topic}", created_by_id=self.agent_id,
                         rosa_level=self.rng.choice((1, 1, 1, 2, 2, 3)))
        if roll < fcr:
            self.finish(case, received, CaseStatus.CLOSED, Outcome.FIRST_CONTACT)
        elif roll < fcr + 0.08:
            case["referred_to"] = self.rng.choice(sorted(AUTHORITIES))
            self.finish(case, received, CaseStatus.CLOSED, Outcome.REFERRED)
        else:
            case["department_id"] = (department or self.departments[TOPIC_DEPARTMENTS[topic]]).id
            self.handled(case, received, days=current_app.config["PORTAL_SLA_SOLUTION_DAYS"])

    def email(self, day):
        received = _utc(day, self.rng.uniform(0, 24))
        case = self.case(received, Channel.EMAIL, self.centre, f"topic:{self.rng.choice(self.topics)}")
        answered = received + timedelta(hours=self.rng.choice((1, 2, 3, 5, 8, 20, 26, 30, 50, 75)))
        case["first_response_at"] = answered
        self.finish(case, answered, CaseStatus.CLOSED, Outcome.SOLVED)

    def form(self, day, service):
        received = _utc(day, self.rng.uniform(0, 24))
        case = self.case(received, Channel.WEB, self.departments[service.department], f"eservice:{service.code}",
                         service_code=service.code, rosa_level=service.rosa_level, retention=service.retention.code)
        self.handled(case, received, days=service.handling_days)

    def case(self, received, channel, department, kind, **columns):
        row = {"reference": next_reference(received.year), "title": "Ärende", "summary": "", "channel": channel,
               "department_id": department.id, "lang": "sv", "answers": {}, "decision": {}, "handover": {},
               "linked_articles": [], "notify_by": NotifyBy.PAGE, "tracking_token": new_token(),
               "question_type": kind, "priority": Priority.NORMAL, "referred_to": "", "created_at": received,
               "updated_at": received, "contact_email_key": "", "contact_phone_key": "", **columns}
        self.cases.append(row)
        self.event(row, "received", received)
        return row

    def event(self, case, kind, moment):
        self.events.append((case, {"kind": kind, "public": True, "created_at": moment, "data": {}}))

    def handled(self, case, received, days):
        """The förvaltning's clocks, a first response within about a day, the solution
        usually in time (a few late, a few reopened)."""
        hours = self.hours[case["department_id"]]
        day = clocks.day_seconds(hours)
        response_due = sla.add_business_time(hours, received, clocks.RESPONSE_DAYS * day)
        solution_due = sla.add_business_time(hours, received, days * day)
        responded = received + timedelta(hours=self.rng.choice((0.5, 1, 2, 4, 6, 20, 30)))
        solved = received + (solution_due - received) * self.rng.choice((0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 1.3))
        case.update(clock_started_at=received, first_response_at=responded, first_response_due_at=response_due,
                    solution_due_at=solution_due,
                    solution_warn_at=sla.add_business_time(hours, received, days * day * sla.WARNING_AT),
                    due_on=hours.local(solution_due).date())
        if self.rng.random() < 0.03:
            self.event(case, "reopened", solved + timedelta(days=1))
        self.finish(case, solved, CaseStatus.CLOSED, Outcome.SOLVED)

    def finish(self, case, moment, status, outcome):
        case.update(status=status, outcome=outcome, closed_at=moment, updated_at=moment)
        self.event(case, "solved", moment)

    def write(self):
        """The rows in two statements: the cases, then their lines."""
        ids = db.session.scalars(insert(Case).returning(Case.id, sort_by_parameter_order=True), self.cases).all() if self.cases else []
        for row, case_id in zip(self.cases, ids):
            row["id"] = case_id
        if self.events:
            db.session.execute(insert(CaseEvent), [{**event, "case_id": case["id"]} for case, event in self.events])
        # Written around the session, which marks a flushed case's day for the statistics.
        rollup.mark_pending(db.session.connection(), {local_day(row["created_at"]) for row in self.cases})
        db.session.commit()
        return len(self.cases)
