"""Open311 GeoReport v2: fault categories as services, felanmälan cases as service requests.

The package has the shape of every domain: ``blueprint`` (the API under
``/open311/v2/`` and the admins' key pages), ``views`` (``api``, ``admin``),
``forms`` (a posted request's own arguments, the filters of ``GET requests``,
the key form), ``models`` (API keys, and where a posted case came from),
``queries``, ``operations`` (a request becomes a case through
``eservices.operations``; keys are made and revoked), ``templates/`` and
``demo`` (the published demo key).  Besides: ``formats`` (XML and JSON),
``attributes`` (the felanmälan form as the spec's attributes) and ``faults``
(the felanmälan categories and the municipality's bounds).

A request posted here becomes the same case as one sent with the web form.
"""
from flask import current_app
from flask_babel import lazy_gettext as _l

POST_ENDPOINT = "open311.create_request"


def init_app(app):
    from eservices.open311 import demo, operations
    from eservices.open311.blueprint import bp
    from eservices.open311.views import api
    from portal.auth.models import ADMIN
    from portal.demo import register_demo_loader, register_demo_note
    from portal.extensions import csrf
    from portal.signals import case_changed
    from portal.templating import register_staff_link

    app.register_blueprint(bp)
    # Clients prove who they are with api_key, not with a session a page could ride on.
    csrf.exempt(api.create_request)
    limit_posts(app)
    case_changed.connect(operations.note_origin)
    register_staff_link(app, "open311.keys", _l("Open311-nycklar"), (ADMIN,))
    register_demo_loader(app, demo.load_demo_key)
    register_demo_note(app, demo.demo_note)


def limit_posts(app):
    """Posted requests are counted per API key (``PORTAL_RATELIMIT_OPEN311``): one client,
    such as an app's server, posts for many people from one address.  A post without a
    valid key counts against its address with the limit of every public form."""
    from eservices.open311 import queries

    limiter = app.extensions["portal.limiter"]
    view = app.view_functions[POST_ENDPOINT]
    view = limiter.limit(lambda: current_app.config["PORTAL_RATELIMIT_OPEN311"],
                         key_func=queries.rate_limit_key,
                         exempt_when=lambda: queries.posting_key() is None)(view)
    view = limiter.limit(lambda: current_app.config["PORTAL_RATELIMIT_PUBLIC_FORMS"],
                         exempt_when=lambda: queries.posting_key() is not None)(view)
    app.view_functions[POST_ENDPOINT] = view
