"""The cases counted per local day: what the statistics read instead of the cases.

A year of a big municipality is a million cases; grouping them for each dashboard
took seconds.  ``CaseDay`` holds, per Europe/Stockholm calendar day the cases came
in and per combination of what the dashboard filters and groups by (förvaltning,
channel, question type, language, ROSA level and kind), the sums every case figure
is made of.  A year is then a few tens of thousands of rows, whatever the volume.

Kept current without a job to forget: whenever a case is written (created,
changed, deleted — by an action, the CLI, the mail import or the demo loader), the
session marks the local day it came in as *pending* in the same transaction
(``CaseDayPending``).  The figures first count the pending days again from the
cases (``refresh``), so a figure is never older than the last committed change; the
periodic task does the same in the background so that a dashboard seldom waits.
Cases written around the ORM (bulk inserts in the benchmarks) are counted by
``rebuild``, or by the first refresh, which rebuilds an empty roll-up.

Only sums are kept, so every figure computed from them is exact: counts, shares,
means.  The handling times' percentiles are read from a histogram beside them
(``CaseDuration``), whose values are rounded coarser the longer a case took.

**Months.**  Figures that go by month read a finished month's sums as rows of their
own (``span`` "month", ``day`` its first), summed from its days the first time they
are asked for (``CaseMonthCounted`` claims the month, so that two readers never both
sum it); re-counting one of its days deletes them.  A year is then twelve months of
rows and the days at its ends (``counted``).
"""
from datetime import timedelta
from enum import StrEnum

from flask import g
from sqlalchemy import (
    Date, Float, Index, Integer, String, and_, case as sql_case, delete, event, exists, func, literal, or_, select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from eservices.models import Case, CaseEvent, CaseStatus, Outcome
from eservices.workdays import add_working_days
from portal.database import LanguageTag, string_enum
from portal.extensions import db
from portal.stats.bounds import days_around, local_day, local_midnight, local_today, next_month, whole_months, within
from portal.stats.sql import claim, count_if, hours_between, insert_ignoring, unclaimed

KKIK_DAYS = (1, 2)
REFRESHED = "eservices.rollup.refreshed"
REFRESH_EVERY_SECONDS = 60


class Kind(StrEnum):
    """Who made the case: a citizen's e-service form, an agent who logged a contact, or
    the mail import (a contact nobody logged by hand)."""

    ESERVICE = "eservice"
    LOGGED = "logged"
    IMPORTED = "imported"


class Span(StrEnum):
    DAY = "day"
    MONTH = "month"


class CaseDay(db.Model):
    __tablename__ = "case_day"
    __table_args__ = (Index("ix_case_day_span_day", "span", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    span: Mapped[Span] = mapped_column(string_enum(Span, 8))
    day: Mapped[object] = mapped_column(Date)
    department_id: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(24))
    question_type: Mapped[str] = mapped_column(String(80))
    lang: Mapped[str] = mapped_column(LanguageTag)
    rosa_level: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 16))
    referred_to: Mapped[str] = mapped_column(String(120))     # the authority, for referred cases
    cases: Mapped[int] = mapped_column(Integer)
    first_contact: Mapped[int] = mapped_column(Integer)       # outcome: solved at the first contact
    referred: Mapped[int] = mapped_column(Integer)            # outcome: referred to another authority
    response_counted: Mapped[int] = mapped_column(Integer)    # a first-response deadline ran
    response_within: Mapped[int] = mapped_column(Integer)     # … and the response came by it
    solution_counted: Mapped[int] = mapped_column(Integer)    # closed, with a solution deadline
    solution_within: Mapped[int] = mapped_column(Integer)     # … closed by it
    answered: Mapped[int] = mapped_column(Integer)            # a first response (or closing) exists
    answered_1: Mapped[int] = mapped_column(Integer)          # … by the end of the next working day
    answered_2: Mapped[int] = mapped_column(Integer)          # … within two working days
    answered_hours: Mapped[float] = mapped_column(Float)      # sum of calendar hours to that answer
    solved: Mapped[int] = mapped_column(Integer)              # solved or closed (or reopened since)
    reopened: Mapped[int] = mapped_column(Integer)            # … and reopened at some time


class CaseDuration(db.Model):
    """The closed cases that came in on a local day, per förvaltning, question type and
    handling time (``handling_days``): the histogram the handling times' percentiles are
    read from.  Not kept by channel and language, which would make it as long as the
    cases; a figure filtered by those reads the cases."""

    __tablename__ = "case_duration"
    __table_args__ = (Index("ix_case_duration_span_day", "span", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    span: Mapped[Span] = mapped_column(string_enum(Span, 8))
    day: Mapped[object] = mapped_column(Date)
    department_id: Mapped[int] = mapped_column(Integer)
    question_type: Mapped[str] = mapped_column(String(80))
    days: Mapped[float] = mapped_column(Float)
    cases: Mapped[int] = mapped_column(Integer)


class CaseMonthCounted(db.Model):
    """A finished month whose sums are in ``CaseDay`` and ``CaseDuration`` (or being put there)."""

    __tablename__ = "case_month_counted"

    month: Mapped[object] = mapped_column(Date, primary_key=True)


class CaseDayPending(db.Model):
    """A local day whose cases changed since it was last counted."""

    __tablename__ = "case_day_pending"

    day: Mapped[object] = mapped_column(Date, primary_key=True)


# --- marking the days ------------------------------------------------------------------------
def mark_pending(connection, days):
    """Mark ``days`` pending (a day already pending stays as it is)."""
    if days:
        connection.execute(insert_ignoring(connection, CaseDayPending, "day").values(
            [{"day": day} for day in sorted(days)]))


@event.listens_for(Session, "after_flush")
def _mark_written_cases(session, _context):
    """Every flushed case's day is pending, in the flush's own transaction."""
    written = [obj for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, Case)]
    days = {local_day(case.created_at) for case in written if case.created_at is not None}
    mark_pending(session.connection(), days)


# --- counting a day --------------------------------------------------------------------------
KEY = (Case.department_id, Case.channel, Case.question_type, Case.lang, Case.rosa_level)


def kind():
    return sql_case((Case.service_code.is_not(None), Kind.ESERVICE.value),
                    (Case.created_by_id.is_not(None), Kind.LOGGED.value), else_=Kind.IMPORTED.value)


def referred_to():
    return sql_case((Case.outcome == Outcome.REFERRED, Case.referred_to), else_="")


def measures(day):
    """The sums of one day's cases, in ``CaseDay``'s column order."""
    responded = and_(Case.clock_started_at.is_not(None), Case.first_response_due_at.is_not(None))
    closed = and_(Case.clock_started_at.is_not(None), Case.closed_at.is_not(None), Case.solution_due_at.is_not(None))
    answer = func.coalesce(Case.first_response_at, Case.closed_at)
    by = [local_midnight(add_working_days(day, n) + timedelta(days=1)) for n in KKIK_DAYS]
    solved = Case.status.in_((CaseStatus.SOLVED, CaseStatus.CLOSED, CaseStatus.REOPENED))
    reopened = exists().where(CaseEvent.case_id == Case.id, CaseEvent.kind == "reopened")
    return (
        func.count(Case.id), count_if(Case.outcome == Outcome.FIRST_CONTACT), count_if(Case.outcome == Outcome.REFERRED),
        count_if(responded), count_if(and_(responded, Case.first_response_at <= Case.first_response_due_at)),
        count_if(closed), count_if(and_(closed, Case.closed_at <= Case.solution_due_at)),
        count_if(answer.is_not(None)), count_if(answer < by[0]), count_if(answer < by[1]),
        func.coalesce(func.sum(hours_between(Case.created_at, answer)), 0.0),
        count_if(solved), count_if(and_(solved, reopened)))


MEASURES = ("cases", "first_contact", "referred", "response_counted", "response_within", "solution_counted",
            "solution_within", "answered", "answered_1", "answered_2", "answered_hours", "solved", "reopened")
COLUMNS = ("span", "day", "department_id", "channel", "question_type", "lang", "rosa_level", "kind", "referred_to",
           *MEASURES)


def handling_days(received, closed):
    """Calendar days from ``received`` to ``closed``, to a tenth under a day, to a half
    under five days, whole days under sixty, then tens: precise where most cases are,
    and few enough values that a histogram of them stays short."""
    days = hours_between(received, closed) / 24.0
    return sql_case((days < 0.95, func.round(days * 10) / 10), (days < 4.75, func.round(days * 2) / 2),
                    (days < 59.5, func.round(days)), else_=func.round(days / 10) * 10)


DURATION_COLUMNS = ("span", "day", "department_id", "question_type", "days", "cases")


def count_day(day):
    """Count the cases that came in on local ``day`` again (its old rows, and its month's
    sums, go)."""
    received = (Case.created_at >= local_midnight(day), Case.created_at < local_midnight(day + timedelta(days=1)))
    forget_month(day.replace(day=1))
    for table in (CaseDay, CaseDuration):
        db.session.execute(delete(table).where(table.span == Span.DAY, table.day == day))
    kinds, authority = kind(), referred_to()
    grouped = select(literal(Span.DAY.value), literal(day, Date), *KEY, kinds, authority, *measures(day)).where(
        *received).group_by(*KEY, kinds, authority)
    db.session.execute(CaseDay.__table__.insert().from_select(COLUMNS, grouped))
    days = handling_days(Case.created_at, Case.closed_at)
    durations = select(literal(Span.DAY.value), literal(day, Date), Case.department_id, Case.question_type, days,
                       func.count(Case.id)).where(*received, Case.closed_at.is_not(None)).group_by(
        Case.department_id, Case.question_type, days)
    db.session.execute(CaseDuration.__table__.insert().from_select(DURATION_COLUMNS, durations))


def forget_month(first):
    db.session.execute(delete(CaseMonthCounted).where(CaseMonthCounted.month == first))
    for table in (CaseDay, CaseDuration):
        db.session.execute(delete(table).where(table.span == Span.MONTH, table.day == first))


def count_month(first):
    """Sum the days of the month that begins on ``first`` into its own rows, unless they
    are there (or another process is summing them: it claimed the month first)."""
    if not claim(CaseMonthCounted, "month", first):
        return
    for table, columns in ((CaseDay, COLUMNS), (CaseDuration, DURATION_COLUMNS)):
        keys = [getattr(table, name) for name in columns[2:] if name not in MEASURES]
        sums = [func.sum(getattr(table, name)) for name in columns[2:] if name in MEASURES]
        db.session.execute(table.__table__.insert().from_select(columns, select(
            literal(Span.MONTH.value), literal(first, Date), *keys, *sums).where(
            table.span == Span.DAY, table.day >= first, table.day < next_month(first)).group_by(*keys)))


def counted(query, table):
    """What selects a ``CaseDay`` or ``CaseDuration`` rows of the query's period: the sums
    of its finished whole months (when the figures go by month) and the days around them."""
    months = [first for first in whole_months(query.start, query.end) if next_month(first) <= local_today()
              ] if query.granularity == "month" else []
    days = within(table.day, days_around(query.start, query.end, months), table.span == Span.DAY)
    if not months:
        return days
    missing = unclaimed(CaseMonthCounted, "month", months)
    for first in missing:
        count_month(first)
    if missing:
        db.session.commit()
    return or_(days, and_(table.span == Span.MONTH, table.day.in_(months)))


def prepare(query):
    """Count what ``query``'s figures read and is not counted yet: the pending days, and
    the finished months it reads as such."""
    refresh()
    counted(query, CaseDay)


def refresh():
    """Count the pending days again (every day, when nothing was ever counted), and commit.
    A day another process is counting at the same time is left to it.  Once per app
    context (a request, a command): the figures never change a case."""
    if g.get(REFRESHED):
        return 0
    g.setdefault(REFRESHED, True)
    if _never_counted():
        return rebuild()
    counted = 0
    for day in db.session.scalars(select(CaseDayPending.day).order_by(CaseDayPending.day)).all():
        if db.session.execute(delete(CaseDayPending).where(CaseDayPending.day == day)).rowcount:
            count_day(day)
            counted += 1
    db.session.commit()
    return counted


def _never_counted():
    return (not db.session.scalar(select(exists().where(CaseDay.id.is_not(None))))
            and db.session.scalar(select(exists().where(Case.id.is_not(None)))))


def rebuild():
    """Count every day that has cases from scratch; the number of days."""
    first, last = db.session.execute(select(func.min(Case.created_at), func.max(Case.created_at))).one()
    for table in (CaseDay, CaseDuration, CaseMonthCounted, CaseDayPending):
        db.session.execute(delete(table))
    days = 0
    if first is not None:
        day = local_day(first)
        while day <= local_day(last):
            count_day(day)
            day, days = day + timedelta(days=1), days + 1
    db.session.commit()
    return days
