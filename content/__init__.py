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
from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
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


def article_link(article_id):
    """A live article as other domains' staff pages show it (the articles an agent
    linked to a contact): its title and the agents' view of it, or its public page
    for those who may not read the agent layer; None when it is not live."""
    from content.models import Article
    from portal.extensions import db
    from portal.i18n import current_language
    from portal.links import Link

    article = db.session.get(Article, article_id) if str(article_id).isdigit() else None
    if article is None or not article.is_live():
        return None
    live = article.translation_or_source(current_language())
    if article.can_view_agent_layer(current_user):
        url = url_for("content.agent_article", article_id=article.id)
    else:
        url = url_for("content.article", slug=live.slug, lang_code=live.lang)
    return Link(title=live.title, url=url, lang=live.lang)


def init_app(app):
    from content import cli, operations
    from content.blueprint import bp
    from content.demo import load_demo_content
    from content.rendering import until_in_words
    from content.search_provider import ArticleProvider
    from portal import search
    from portal.demo import register_demo_loader
    from portal.links import register_link_kind
    from portal.tasks import register_periodic, register_retention
    from portal.templating import register_banner, register_section, register_staff_link

    app.register_blueprint(bp)
    app.jinja_env.filters["until_in_words"] = until_in_words
    search.register_provider(app, "article", ArticleProvider())
    register_link_kind(app, "article", article_link)
    register_section(app, "home", home_section)
    register_section(app, "agent_search", agent_alerts)
    register_banner(app, alert_banner)
    register_staff_link(app, "content.dashboard", _l("Redaktion"), (EDITOR,))
    register_staff_link(app, "content.alert_list", _l("Driftinformation"), (EDITOR, MANAGER))
    register_demo_loader(app, load_demo_content)
    register_periodic(app, "publication schedules", operations.publish_due, SCHEDULE_EVERY_SECONDS)
    register_retention(app, "page feedback", operations.purge_feedback)
    cli.register_commands(app)
