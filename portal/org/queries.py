"""Reading departments (förvaltningar) and topics."""
from sqlalchemy import select

from portal.auth.models import ADMIN
from portal.extensions import db
from portal.org.models import Department


def departments_for_role(user, role):
    """The förvaltningar ``user`` acts for in ``role`` (editor, officer): all for an admin."""
    query = select(Department).order_by(Department.code)
    if ADMIN not in user.roles:
        query = query.where(Department.id.in_(user.department_ids(role)))
    return db.session.scalars(query).all()


def department_names(lang):
    """{department id: its name in ``lang``}."""
    return {d.id: d.name_in(lang) for d in db.session.scalars(select(Department))}
