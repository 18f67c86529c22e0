"""Business-hours arithmetic for SLA clocks: pure functions, no database.

Moments in and out are naive UTC datetimes, as the database holds them
(``portal.clock.utcnow``).  The calendar is local: each working day (see
``eservices.workdays``: a weekday that is neither a public holiday nor
midsommarafton, julafton or nyårsafton) is open from ``opens`` to ``closes``
in ``BusinessHours.zone``.  Those wall-clock times are turned into UTC day by
day, so 08.00 stays 08.00 across the clock changes in March and October (the
changes fall on Sundays, inside no opening hours).

Short days (``short_days=True``) close at 14.00.  They are the working days
that ``holidays.Sweden(categories=("bank",))`` lists: the package gives the
half days "(från kl. 14.00)" before trettondagen, skärtorsdagen, valborg,
Kristi himmelsfärd, pingstafton, midsommarafton, alla helgons dag, julafton
and nyårsafton, but it also lists midsommarafton, julafton and nyårsafton
themselves as whole days, and some half days fall on a weekend or a holiday
(5 January 2025 is a Sunday, "dag före pingstafton" 2025 is nationaldagen).
Taking only the bank days that are working days leaves exactly the half days.

A pause is ``(begins, ends)`` in naive UTC; ``ends`` is None while it lasts
(waiting for the citizen).  Pauses may overlap each other and lie partly
outside the interval asked about.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

import holidays

from eservices.workdays import add_working_days, is_working_day
from portal.clock import utcnow

SHORT_DAY_CLOSES = time(14)
WARNING_AT = 0.75
OK, WARNING, OVERDUE = "ok", "warning", "overdue"


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours in local time, the same every working day."""

    opens: time = time(8)
    closes: time = time(17)
    zone: str = "Europe/Stockholm"
    short_days: bool = False

    def __post_init__(self):
        if self.opens >= self.closes:
            raise ValueError(f"opening time {self.opens} is not before closing time {self.closes}")

    @classmethod
    def from_config(cls, text, **settings):
        """``"08:00-17:00"`` or ``"07:00–16:30"`` (a hyphen or an en dash)."""
        try:
            opens, closes = text.replace("–", "-").split("-")
            return cls(time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip()), **settings)
        except ValueError as error:
            raise ValueError(f"not opening hours like 08:00-17:00: {text!r} ({error})") from None

    @cached_property
    def tz(self):
        return ZoneInfo(self.zone)

    def local(self, moment):
        """A naive UTC moment as an aware local time."""
        return moment.replace(tzinfo=timezone.utc).astimezone(self.tz)

    def utc(self, day, clock):
        """A local date and wall-clock time as a naive UTC moment."""
        return datetime.combine(day, clock, tzinfo=self.tz).astimezone(timezone.utc).replace(tzinfo=None)

    def closing_on(self, day):
        """Closing time on a local date: 14.00 at the latest on a short day."""
        if self.short_days and day in _bank_days(day.year):
            return min(self.closes, SHORT_DAY_CLOSES)
        return self.closes

    def open_on(self, day):
        """The UTC interval the förvaltning is open on a local date, or None."""
        closes = self.closing_on(day)
        if not is_working_day(day) or self.opens >= closes:
            return None
        return self.utc(day, self.opens), self.utc(day, closes)


@lru_cache(maxsize=16)
def _bank_days(year):
    return holidays.Sweden(years=year, categories=("bank",))


# --- intervals ------------------------------------------------------------------------

def _without_pauses(begins, ends, pauses):
    """The parts of ``begins``–``ends`` outside the pauses (sorted by beginning;
    overlapping ones are cut out once)."""
    for pause_begins, pause_ends in pauses:
        if pause_begins >= ends:
            break
        if pause_begins > begins:
            yield begins, pause_begins
        begins = max(begins, pause_ends)
        if begins >= ends:
            return
    yield begins, ends


def _open_days(hours, start, until):
    """The open intervals clipped to ``start``–``until``; without ``until``, endless."""
    day = hours.local(start).date()
    last = hours.local(until).date() if until else None
    while last is None or day <= last:
        interval = hours.open_on(day)
        if interval:
            begins, ends = max(interval[0], start), min(interval[1], until or interval[1])
            if begins < ends:
                yield begins, ends
        day += timedelta(days=1)


def _running(hours, start, until, pauses):
    """The intervals in which the clock runs: open and not paused.  The first
    open-ended pause stops them for good."""
    pauses = sorted((begins, ends or datetime.max) for begins, ends in pauses)
    stopped = [begins for begins, ends in pauses if ends == datetime.max]
    if stopped:
        until = min(until, stopped[0]) if until else stopped[0]
    for begins, ends in _open_days(hours, start, until):
        yield from _without_pauses(begins, ends, pauses)


# --- the rules --------------------------------------------------------------------------

def business_seconds(hours, start, end, pauses=()):
    """Seconds of opening hours from ``start`` to ``end``, less the pauses; 0 if
    ``end`` is not after ``start``."""
    if end <= start:
        return 0.0
    return sum((ends - begins).total_seconds() for begins, ends in _running(hours, start, end, pauses))


def add_business_time(hours, start, seconds, pauses=()):
    """The moment ``seconds`` of opening hours after ``start``, less the pauses.

    A start outside opening hours counts from the next opening; time that runs
    out exactly at closing gives the closing time, not the next opening.  None
    when an open-ended pause stops the clock before the time has passed.
    """
    remaining = timedelta(seconds=seconds)
    for begins, ends in _running(hours, start, None, pauses):
        if ends - begins >= remaining:
            return begins + remaining
        remaining -= ends - begins
    return None


def working_days_deadline(hours, start, days):
    """Closing time of the ``days``-th working day after the local date of ``start``.

    The handling-time convention (as ``Case.due_on``): the day of receipt is
    day 0 whatever the hour, so a case received on Tuesday, even at 16.59 or
    at 22.00, with 1 working day is due on Wednesday at closing time; one
    received on a Saturday is due on Monday.  A short day's closing counts.
    """
    if days < 1:
        raise ValueError("a deadline needs at least one working day")
    day = add_working_days(hours.local(start).date(), days)
    return hours.utc(day, hours.closing_on(day))


def answered_within_working_days(hours, received, answered, days):
    """The KKiK measure: was the first answer given within ``days`` working days?

    Our reading of "besvarad inom en arbetsdag" (KKiK's own method text was not
    at hand): the answer's local date is no later than the ``days``-th working
    day after the date the message arrived, whatever the hour of either; a
    message has come in on the day it reaches the kommun (förvaltningslagen
    2017:900, 22 §), after closing time too.  Mail on Monday at 10.00 or 22.00
    is within 1 working day if answered on Tuesday, at any hour; mail on
    Saturday if answered on Monday.  Not answered (None) is not within.  An
    automatic acknowledgement is no answer: pass the first real reply.
    """
    if answered is None:
        return False
    last_day = add_working_days(hours.local(received).date(), days)
    return hours.local(answered).date() <= last_day


# --- the clock ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ClockState:
    """An SLA clock at one moment; seconds are business seconds."""

    elapsed: float
    target: float
    fraction: float
    state: str
    due: datetime | None
    paused: bool


def clock_state(hours, start, target_seconds, now=None, pauses=()):
    """Where an SLA clock stands at ``now`` (default: the current time).

    ``elapsed`` is business time from ``start`` to ``now`` less the pauses;
    the state is ``overdue`` from 100 % of the target, ``warning`` from 75 %,
    else ``ok``.  ``due`` is when the target is reached if no further pause
    comes; while a pause lasts it is None, unless the target was reached before
    the pause began.  Pauses after ``now`` are ignored.
    """
    if target_seconds <= 0:
        raise ValueError("an SLA target must be positive")
    now = now or utcnow()
    pauses = [(begins, ends if ends and ends <= now else None) for begins, ends in pauses if begins <= now]
    elapsed = business_seconds(hours, start, now, pauses)
    fraction = elapsed / target_seconds
    state = OVERDUE if fraction >= 1 else WARNING if fraction >= WARNING_AT else OK
    paused = any(ends is None for _, ends in pauses)
    return ClockState(elapsed, target_seconds, fraction, state,
                      add_business_time(hours, start, target_seconds, pauses), paused)
