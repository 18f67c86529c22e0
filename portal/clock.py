"""Time as the database holds it: naive datetimes in UTC.

Forms show and read times in the portal's time zone (``portal.fields``);
everything stored and compared in code is UTC without a time zone, so that
SQLite and PostgreSQL behave alike.
"""
from datetime import datetime, timezone


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)
