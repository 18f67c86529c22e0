"""SQL building blocks the domains' figures share (the same SQL on SQLite and PostgreSQL)."""
from sqlalchemy import case, func, select

from portal.extensions import db


def count_if(condition):
    """The number of rows where ``condition`` holds (0, not NULL, for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def insert_ignoring(connection, model, key):
    """An INSERT into ``model`` that leaves out rows whose ``key`` column is taken."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing(index_elements=[key])


def claim(model, key, value):
    """Insert the row whose ``key`` is ``value`` unless it is there; whether this call made
    it.  Told by RETURNING: psycopg's rowcount for the skipped insert is -1, not 0."""
    column = getattr(model, key)
    statement = insert_ignoring(db.session.connection(), model, key).values({key: value}).returning(column)
    return db.session.execute(statement).first() is not None


def unclaimed(model, key, values):
    """Those of ``values`` that no row of ``model`` has as its ``key`` yet (one SELECT, so
    that a reader seldom needs to try a claim)."""
    column = getattr(model, key)
    taken = set(db.session.scalars(select(column).where(column.in_(values)))) if values else set()
    return [value for value in values if value not in taken]


def hours_between(start, end):
    """Calendar hours from ``start`` to ``end``, in the database's own arithmetic."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0
