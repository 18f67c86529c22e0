"""The language registry: languages added after installation, without a code change or a restart.

``models`` (the ``Language`` rows), ``tags`` (BCP 47 and the defaults Babel
gives), ``operations`` (add, enable, disable, each sending
``language_changed``), ``queries``, ``forms``, ``blueprint`` and ``views``
(the admins' page ``/sv/admin/sprak``), ``cli`` (``portal add-language``) and
``demo``.  What the rest of the portal asks about languages goes through
``portal.i18n`` (``languages()``, ``language(code)``), which reads these rows.
"""
from flask_babel import lazy_gettext as _l


def init_app(app):
    from portal.auth.models import ADMIN
    from portal.demo import register_demo_loader
    from portal.languages import cli, demo
    from portal.languages.blueprint import bp
    from portal.templating import register_staff_link

    app.register_blueprint(bp)
    app.cli.add_command(cli.add_language_command)
    register_staff_link(app, "languages.overview", _l("Språk"), (ADMIN,))
    register_demo_loader(app, demo.load_demo_languages)
