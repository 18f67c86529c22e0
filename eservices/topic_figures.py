"""Contacts per topic for the self-service comparison (``portal.stats.topics``).

Kept apart from the case figures of ``eservices/statistics.py``: registered by
``eservices.init_app`` as ``register(app)``.  A contact counts for a topic when its
case's question type is "topic:<slug>".
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select

from eservices.models import Case
from portal.extensions import db
from portal.stats.bounds import utc_bounds
from portal.stats.topics import register_topic_figures

TOPIC = "topic:"


def register(app):
    register_topic_figures(app, "contacts", _l("Kontakter"), contacts_per_topic, order=300)


def contacts_per_topic(query):
    """{topic slug: cases made in the period} with the query's förvaltningar, channel, case
    type and language."""
    first, after = utc_bounds(query)
    conditions = [Case.created_at >= first, Case.created_at < after, Case.question_type.like(f"{TOPIC}%")]
    if query.department_ids is not None:
        conditions.append(Case.department_id.in_(query.department_ids))
    if query.channel:
        conditions.append(Case.channel == query.channel)
    if query.case_type:
        conditions.append(Case.question_type == query.case_type)
    if query.lang:
        conditions.append(Case.lang == query.lang)
    rows = db.session.execute(select(Case.question_type, func.count()).where(and_(*conditions))
                              .group_by(Case.question_type))
    return {question_type[len(TOPIC):]: n for question_type, n in rows}
