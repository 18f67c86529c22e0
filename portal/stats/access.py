"""Who may see which förvaltningar's figures: the one rule for the page, the
exports and the report.

Managers and admins see every förvaltning, or one they pick.  A case officer sees
only the förvaltningar they handle cases for; asking for another is refused (403)
rather than silently narrowed, so that a link shared by a manager never shows an
officer figures that look like the ones asked for but are not.  Everyone else: 403.
"""
from flask import abort
from sqlalchemy import select

from portal.auth.models import MANAGER, OFFICER
from portal.extensions import db
from portal.org.models import Department


def may_see_statistics(user):
    return user.is_authenticated and (user.has_role(MANAGER) or bool(user.department_ids(OFFICER)))


def department_scope(user, requested_id=None):
    """The ``department_ids`` of a :class:`~portal.stats.StatsQuery` for ``user``
    asking for ``requested_id`` (None: all they may see); aborts 403 when not allowed."""
    if not may_see_statistics(user):
        abort(403)
    if user.has_role(MANAGER):
        return None if requested_id is None else frozenset({requested_id})
    own = frozenset(user.department_ids(OFFICER))
    if requested_id is None:
        return own
    if requested_id not in own:
        abort(403)
    return frozenset({requested_id})


def visible_departments(user):
    """The förvaltningar ``user`` may pick in the filter, by code."""
    query = select(Department).order_by(Department.code)
    if not user.has_role(MANAGER):
        query = query.where(Department.id.in_(user.department_ids(OFFICER)))
    return db.session.scalars(query).all()
