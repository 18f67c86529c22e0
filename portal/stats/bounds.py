"""The period of a ``StatsQuery`` in the database's terms (naive UTC), and time buckets.

The database keeps naive UTC; a period is Europe/Stockholm calendar days.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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
