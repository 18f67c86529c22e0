"""Contacts per topic for the self-service comparison (``portal.stats.topics``).

Kept apart from the case figures of ``eservices/statistics.py``: registered by
``eservices.init_app`` as ``register(app)``.  A contact counts for a topic when its
case's question type is "topic:<slug>" (read from the daily counts).
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eservices.rollup import CaseDay
from eservices.statistics import counted_days
from portal.extensions import db
from portal.stats.topics import register_topic_figures

TOPIC = "topic:"


def register(app):
    register_topic_figures(app, "contacts", _l("Kontakter"), contacts_per_topic, order=300)


def contacts_per_topic(query):
    """{topic slug: cases made in the period} with the query's förvaltningar, channel, case
    type and language."""
    rows = db.session.execute(select(CaseDay.question_type, func.sum(CaseDay.cases))
                              .where(*counted_days(query), CaseDay.question_type.like(f"{TOPIC}%"))
                              .group_by(CaseDay.question_type))
    return {question_type[len(TOPIC):]: n for question_type, n in rows}
