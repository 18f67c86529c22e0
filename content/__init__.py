"""The knowledge base: articles, topic pages, workflow, revisions, alerts, feedback.

The package has the shape every domain has: ``blueprint`` (the URL map),
``views`` (routes only: load → check → act → render), ``forms``, ``models``
(with ``can_*`` checks), ``queries`` (reads, incl. what each person may
see), ``operations`` (the changes, as actions that send documented signals),
``templates/``, ``demo`` and ``cli``.  Besides: ``revisions`` (the typed
content of a revision), ``editing`` (between the form and that content),
``rendering``, ``diffing``, ``search_provider`` and ``reminders``.

It uses ``portal`` and no other domain: e-services it mentions are linked
through ``portal.links``.
"""
from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from portal.auth.models import EDITOR, MANAGER

SCHEDULE_EVERY_SECONDS = 10


def home_section():
    from content import queries

    return Markup(render_template("content/_home.html", topics=queries.topics(),
                                  alerts=queries.active_alerts()))


def agent_alerts():
    """Every current alert above the agents' search: callers ask about them first
    (crises are in the banner of every page)."""
    from content import queries

    return Markup(render_template("content/_alerts.html", alerts=[
        alert for alert in queries.active_alerts() if not alert.is_crisis]))


def alert_banner():
    """Crisis alerts on every page; other alerts on the page of what they concern."""
    from content import queries
    from portal.templating import page_subject

    kind, key = page_subject() or (None, None)
    return Markup(render_template("content/_alerts.html", alerts=queries.alerts_for(kind, key)))


def init_app(app):
    from content import cli, operations
    from content.blueprint import bp
    from content.demo import load_demo_content
    from content.search_provider import ArticleProvider
    from portal import search
    from portal.demo import register_demo_loader
    from portal.tasks import register_periodic, register_retention
    from portal.templating import register_banner, register_section, register_staff_link

    app.register_blueprint(bp)
    search.register_provider(app, "article", ArticleProvider())
    register_section(app, "home", home_section)
    register_section(app, "agent_search", agent_alerts)
    register_banner(app, alert_banner)
    register_staff_link(app, "content.dashboard", _l("Redaktion"), (EDITOR,))
    register_staff_link(app, "content.alert_list", _l("Driftinformation"), (EDITOR, MANAGER))
    register_demo_loader(app, load_demo_content)
    register_periodic(app, "publication schedules", operations.publish_due, SCHEDULE_EVERY_SECONDS)
    register_retention(app, "page feedback", operations.purge_feedback)
    cli.register_commands(app)
