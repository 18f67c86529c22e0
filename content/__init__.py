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
from dataclasses import replace

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from portal.auth.models import AGENT, EDITOR, MANAGER, TRANSLATOR

SCHEDULE_EVERY_SECONDS = 10


# The start page's "Vanliga ärenden": the pages and e-services (kind, key; an article
# by its Swedish address) people come for most.  Each tile is the item's own title,
# so it names what it leads to, and an item that does not exist now is left out.
COMMON_TASKS = [("eservice", "parkeringstillstand"), ("eservice", "felanmalan"),
                ("article", "ansok-om-plats-i-forskola"), ("eservice", "lokalbokning"),
                ("article", "ansok-om-bygglov"), ("article", "sophamtning-och-avfallsabonnemang")]


def common_tasks():
    """The links of COMMON_TASKS in the current language."""
    from content import queries
    from portal.links import link_to

    articles = queries.live_articles_by_slug([key for kind, key in COMMON_TASKS if kind == "article"])
    links = (public_article_link(articles.get(key)) if kind == "article" else link_to(kind, key)
             for kind, key in COMMON_TASKS)
    return [link for link in links if link is not None]


def home_section():
    from content import queries

    return Markup(render_template("content/_home.html", topics=queries.topics(),
                                  alerts=queries.active_alerts(), tasks=common_tasks()))


def agent_alerts():
    """Every current alert above the agents' search: callers ask about them first
    (crises are in the banner of every page)."""
    from content import queries

    return Markup(render_template("content/_alerts.html", collapse=on_call(), alerts=[
        alert for alert in queries.active_alerts() if not alert.is_crisis]))


def alert_banner():
    """Crisis alerts on every page; other alerts on the page of what they concern."""
    from content import queries
    from portal.templating import page_subject

    kind, key = page_subject() or (None, None)
    alerts = queries.alerts_for(kind, key)
    if not alerts:                # most pages: no template to render
        return Markup("")
    return Markup(render_template("content/_alerts.html", collapse=on_call(), alerts=alerts))


def on_call():
    """Agents get each alert other than a crisis as one line they can open, so that
    the search box stays in view during a call; a crisis alert always stays open."""
    return current_user.is_authenticated and current_user.has_role(AGENT)


def live_article(article_id):
    """The live article with this id (as a string or a number), or None."""
    from content.models import Article
    from portal.extensions import db

    article = db.session.get(Article, article_id) if str(article_id).isdigit() else None
    return article if article is not None and article.is_live() else None


def public_article_link(article):
    """A live article's public page in the current language (its Swedish text under the
    current language's prefix when it has none); None for None."""
    from portal.i18n import current_language
    from portal.links import Link

    if article is None:
        return None
    live = article.translation_or_source(current_language())
    return Link(title=live.title, url=url_for("content.article", slug=live.slug), lang=live.lang)


def article_link(article_id):
    """A live article as other domains' staff pages show it (the articles an agent
    linked to a contact): its title and the agents' view of it, or its public page
    for those who may not read the agent layer; None when it is not live."""
    article = live_article(article_id)
    link = public_article_link(article)
    if link is None or not article.can_view_agent_layer(current_user):
        return link
    return replace(link, url=url_for("content.agent_article", article_id=article.id))


def count_copied_view(subject):
    """An article page served from the page cache was read too: count it as the view does."""
    from content import operations
    from portal.i18n import current_language

    operations.count_view_later(subject[1], current_language())


def register_public_pages(app):
    """The citizens' pages the page cache may serve, and what changes them."""
    from content import queries
    from content.models import Alert, Article
    from portal.pagecache import register_cacheable, register_next_change, register_public_models

    for endpoint in ("content.topic", "content.alerts", "content.alerts_feed", "content.sitemap"):
        register_cacheable(app, endpoint)
    register_cacheable(app, "content.article", on_hit=count_copied_view)
    # An article's public text changes by publication, which sends document_changed; its
    # row also changes with every draft saved, which no reader sees: only what a reader
    # sees counts (a changed end of publication hides the page at once).
    register_public_models(app, Alert)
    register_public_models(app, Article, only=("live_revision_id", "unpublish_at", "archived_at", "department_id"))
    register_next_change(app, queries.next_public_change)


def init_app(app):
    from content import cli, operations, statistics
    from content.blueprint import bp
    from content.demo import load_demo_content
    from content.rendering import until_in_words
    from content.search_provider import ArticleProvider, RevisionFacts, agent_hit_details
    from portal import search
    from portal.auth import register_start_page
    from portal.demo import register_demo_loader
    from portal.links import register_link_kind
    from portal.tasks import register_periodic, register_retention
    from portal.templating import register_banner, register_section, register_staff_link

    app.register_blueprint(bp)
    app.jinja_env.filters["until_in_words"] = until_in_words
    search.register_provider(app, "article", ArticleProvider())
    search.register_hit_details(app, "article", agent_hit_details)
    app.extensions["content.revision_facts"] = RevisionFacts()
    register_link_kind(app, "article", article_link)
    register_section(app, "home", home_section)
    register_section(app, "agent_search", agent_alerts)
    register_banner(app, alert_banner)
    register_staff_link(app, "content.dashboard", _l("Redaktion"), (EDITOR,))
    register_staff_link(app, "content.alert_list", _l("Driftinformation"), (EDITOR, MANAGER))
    register_staff_link(app, "content.translations", _l("Översättning"), (TRANSLATOR, EDITOR))
    register_start_page(app, EDITOR, "content.dashboard")
    register_start_page(app, TRANSLATOR, "content.translations")
    register_demo_loader(app, load_demo_content)
    register_periodic(app, "publication schedules", operations.publish_due, SCHEDULE_EVERY_SECONDS)
    app.extensions["content.pending_views"] = operations.PendingViews()
    register_periodic(app, "article view counts", operations.write_pending_view_counts,
                      operations.VIEW_COUNT_SECONDS, every_process=True)   # counted in each process's memory
    register_retention(app, "page feedback", operations.purge_feedback)
    register_retention(app, "article views", operations.purge_views)
    statistics.init_app(app)
    register_public_pages(app)
    cli.register_commands(app)
