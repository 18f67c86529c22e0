"""E-services and the cases they and the agents create.

The package has the shape of every domain: ``blueprint`` (the URL map),
``views`` (``public`` for citizens, ``officer`` for case officers), ``forms``,
``models`` (cases, drafts, files; permissions as ``can_*``), ``queries``,
``operations`` (the changes, as actions that send ``case_changed``),
``templates/``, ``demo`` and ``cli``.  Besides: ``registry`` (what a service
declares), ``services/`` (one module per e-service), ``uploads``, ``notify``
(mail and SMS to the citizen), ``tracking`` (the case as the citizen reads it),
``mailin`` (the shared mailbox's mail into cases, ``portal mail-import``),
``workdays`` and ``personnummer``; ``open311`` (a package of the same shape) serves
felanmälan through Open311 GeoReport v2.

It uses ``portal`` and no other domain.
"""
from flask import render_template
from flask_login import current_user
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

SMS_EVERY_SECONDS = 30


def common_tasks():
    """The e-services on the start page."""
    from eservices import registry

    return Markup(render_template("eservices/_common_tasks.html", services=registry.all_services()))


def init_app(app):
    from eservices import cli, mailin, notify, open311, operations, queries, registry, statistics, topic_figures
    from eservices.blueprint import bp
    from eservices.demo import load_demo_eservices
    from eservices.search_provider import EServiceProvider
    from eservices.services import MODULES
    from portal import search
    from portal.auth import register_start_page
    from portal.auth.models import ADMIN, AGENT, MANAGER, OFFICER
    from portal.demo import register_demo_loader
    from portal.links import register_link_kind
    from portal.pagecache import register_cacheable
    from portal.tasks import register_periodic, register_retention
    from portal.templating import register_section, register_staff_link

    for module in MODULES:
        registry.register(app, module.SERVICE)
        if hasattr(module, "init_app"):   # what a service plugs in besides (a staff link)
            module.init_app(app)
    app.register_blueprint(bp)
    search.register_provider(app, "eservice", EServiceProvider())
    register_link_kind(app, "eservice", queries.link, keys=lambda: list(registry.services()))
    register_section(app, "home", common_tasks)
    register_cacheable(app, "eservices.catalogue")   # the services' texts change with a deployment
    register_cacheable(app, "eservices.landing")
    register_staff_link(app, "eservices.case_list", _l("Ärenden"), (OFFICER,))
    register_staff_link(app, "eservices.contact_log", _l("Kontaktcenter"), (AGENT, MANAGER))
    register_staff_link(app, "eservices.room_admin", _l("Lokaler"), (OFFICER,))   # Lokalbokning
    register_staff_link(app, "eservices.audit_log", _l("Granskningslogg"), (ADMIN,))
    register_staff_link(app, "eservices.cost_allocation", _l("Fördelningsnyckel"), (MANAGER,))
    register_start_page(app, OFFICER, "eservices.case_list")
    register_periodic(app, "sms outbox", notify.deliver_sms, SMS_EVERY_SECONDS)
    register_retention(app, "form drafts", operations.purge_drafts)
    register_demo_loader(app, load_demo_eservices)
    limit_token_guessing(app)
    open311.init_app(app)
    statistics.init_app(app)
    topic_figures.register(app)
    cli.register_commands(app)
    import_every = app.config["PORTAL_MAIL_IMPORT_EVERY_SECONDS"]
    if app.config["PORTAL_MAIL_IMPORT"] and import_every:
        register_periodic(app, "mail import", mailin.run_import, import_every)


def limit_token_guessing(app):
    """Tracking links that lead nowhere count against the address that asks, with the
    limit of every public form; beyond it that address gets 429 for a while, also for a
    right link.  A citizen who reads their own case is never counted.  (Posts under the
    link are anonymous form posts, limited as every one is.)"""
    limiter = app.extensions["portal.limiter"]
    endpoint = "eservices.track"
    app.view_functions[endpoint] = limiter.limit(
        lambda: app.config["PORTAL_RATELIMIT_PUBLIC_FORMS"],
        deduct_when=lambda response: response.status_code == 404,
        exempt_when=lambda: current_user.is_authenticated)(app.view_functions[endpoint])
