"""SQL building blocks the domains' figures share (the same SQL on SQLite and PostgreSQL)."""
from sqlalchemy import case, func

from portal.extensions import db


def count_if(condition):
    """The number of rows where ``condition`` holds (0, not NULL, for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def hours_between(start, end):
    """Calendar hours from ``start`` to ``end``, in the database's own arithmetic."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0
