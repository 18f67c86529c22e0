"""The period of a ``StatsQuery`` in the database's terms (naive UTC), and time buckets.

The database keeps naive UTC; a period is Europe/Stockholm calendar days.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, or_

from portal.clock import utcnow

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")


def local_midnight(day):
    """Midnight at the start of a local ``day``, as naive UTC."""
    return datetime.combine(day, time(), LOCAL_ZONE).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def local_day(moment):
    """The local calendar day of a naive UTC ``moment``."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_ZONE).date()


def utc_bounds(query):
    """(first moment, moment after the last) of the query's days, naive UTC."""
    return local_midnight(query.start), local_midnight(query.end + timedelta(days=1))


def local_today():
    return local_day(utcnow())


def bucket(day, granularity):
    """The first day of the time bucket ``day`` falls in: itself, its ISO week's Monday, or
    its month's first day."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def next_month(day):
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def whole_months(start, end):
    """The first days of the months that lie wholly within ``start`` – ``end``."""
    first = start if start.day == 1 else next_month(start)
    months = []
    while next_month(first) - timedelta(days=1) <= end:
        months.append(first)
        first = next_month(first)
    return months


def days_around(start, end, months):
    """The (first, last) day ranges of ``start`` – ``end`` outside the consecutive whole
    ``months``: at most one before and one after them.  Each range is a condition an
    index on the day can answer by itself, which "between the ends, and not within the
    months" is not: that reads the whole period's index."""
    if not months:
        return [(start, end)] if start <= end else []
    ranges = [(start, months[0] - timedelta(days=1)), (next_month(months[-1]), end)]
    return [(first, last) for first, last in ranges if first <= last]


def within(column, ranges, *conditions):
    """``column`` lies in one of the (first, last) ``ranges``, and ``conditions`` hold
    (false when there are no ranges): a flat OR of conjunctions, each of which an index
    led by the ``conditions``' columns and ``column`` answers."""
    return or_(false(), *(and_(*conditions, column >= first, column <= last) for first, last in ranges))
