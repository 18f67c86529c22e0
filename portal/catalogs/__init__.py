"""Interface catalogues: the portal's own texts in every language, translated in
the browser.

Swedish is the source: the msgids in the code and templates, listed in
``translations/messages.pot``.  A language's catalogue is its .po file in
``translations/<code>/LC_MESSAGES/`` (or the .mo compiled from it; none for a
language just added) with the translations saved in the browser on top; ``portal export-catalog`` writes the two merged
as a .po file, to be contributed back into ``translations/``.

The package: ``languages`` (what it asks the language registry), ``models``
(the saved translations, ``can_translate``), ``runtime`` (the Flask-Babel
domain that serves the merged catalogues), ``placeholders`` (what a
translation must keep of its source), ``queries``, ``operations``, ``forms``,
``blueprint``/``views`` (the overview with coverage, the message list, the
edit page) and ``cli``.
"""
from flask_babel import lazy_gettext as _l


def init_app(app):
    from portal.auth.models import TRANSLATOR
    from portal.catalogs import cli
    from portal.catalogs.blueprint import bp
    from portal.catalogs.runtime import CatalogDomain
    from portal.extensions import babel
    from portal.templating import register_staff_link

    # The Babel object is shared by every app of the process; the domain keeps
    # its catalogues per app, in app.extensions.
    babel.domain_instance = CatalogDomain()
    app.extensions["portal.catalogs"] = {}
    app.register_blueprint(bp)
    app.cli.add_command(cli.export_catalog_command)
    register_staff_link(app, "catalogs.overview", _l("Översätt gränssnittet"), (TRANSLATOR,))
