"""E-services and the cases they and the agents create.

Until the e-service framework is built, the catalogue in ``demo_catalog.toml``
gives each e-service a landing page, a search entry and a link other domains
can show (``portal.links``).  The package has the shape of every domain:
``blueprint`` (the URL map), ``views``, ``queries`` (the catalogue),
``search_provider`` and ``templates/``.  It uses ``portal`` and no other domain.
"""


def init_app(app):
    from eservices import queries
    from eservices.blueprint import bp
    from eservices.search_provider import EServiceProvider
    from portal import search
    from portal.links import register_link_kind

    app.register_blueprint(bp)
    search.register_provider(app, "eservice", EServiceProvider())
    register_link_kind(app, "eservice", queries.link)
