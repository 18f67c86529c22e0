"""Self-service: figures per topic from several domains, side by side (issue 15).

Searches and article views (content, search) and contacts (e-services) are counted by
different domains, which must not know each other.  Each registers a *per-topic
figure* here: ``provider(query) -> {topic slug: number}`` for the query's period and
filters.  The self-service table puts every registered figure in a column, one row per
topic, so that a topic where many read and search but many still get in touch stands
out.  The first registration adds the section to the statistics.
"""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import current_language
from portal.org.models import Topic
from portal.stats import Column, Section, Table, register_statistics

EXTENSION = "portal.stats.topic_figures"


def register_topic_figures(app, key, label, provider, order=100):
    """``provider(query) -> {topic slug: number}``; ``label`` heads its column, and the
    columns stand in ``order``."""
    app.extensions.setdefault(EXTENSION, {})[key] = (order, label, provider)
    register_statistics(app, "self_service", self_service_section, order=70)


def figures():
    """The registered figures as (key, label, provider), in order."""
    registered = current_app.extensions.get(EXTENSION, {})
    return [(key, label, provider) for key, (_order, label, provider)
            in sorted(registered.items(), key=lambda item: item[1][0])]


def self_service_table(query):
    """One row per topic (in the topics' order) with each registered figure."""
    columns = figures()
    counts = [provider(query) for _key, _label, provider in columns]
    lang = current_language()
    topics = db.session.scalars(select(Topic).order_by(Topic.position)).all()
    return Table(
        key="self_service_by_topic", title=_l("Självservice per ämne"),
        columns=[Column("topic", _l("Ämne")), *(Column(key, label, "int") for key, label, _p in columns)],
        rows=[(topic.name_in(lang), *(figure.get(topic.slug, 0) for figure in counts)) for topic in topics],
        chart="bar",
        note=_l("Sökningar räknas för ämnet den sökande filtrerade på, annars för ämnena på sidan som "
                "valdes; visningar för artikelns ämnen (en artikel med två ämnen räknas för båda). "
                "Kontakter räknas per ämne som ärendet gäller."))


def self_service_section(query):
    return Section(key="self_service", title=_l("Självservice"), tables=[self_service_table(query)])
