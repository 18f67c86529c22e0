"""En väg in: the Flask application shell.

``create_app`` builds the app: configuration, extensions, languages, login,
error pages, the search layer, outgoing mail, and then the domain packages named in
``PORTAL_MODULES`` (``content``, ``eservices``), which plug in through their own
``init_app`` so that the shell never imports them.  The dependencies point one
way: the domains use ``portal``; ``portal`` uses no domain, and no domain uses
another (they meet through the registries in ``portal.links``,
``portal.templating``, ``portal.tasks`` and the signals in ``portal.signals``).
"""
import importlib
import logging
from pathlib import Path

from flask import Flask

from portal import config as portal_config

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_MODULES = ("content", "eservices")


def create_app(config=None):
    config = dict(config or {})
    folder = Path(config.pop("PORTAL_INSTANCE_DIR", None) or portal_config.instance_dir())
    folder.mkdir(parents=True, exist_ok=True)

    app = Flask(__name__, instance_path=str(folder))
    app.config.update(portal_config.DEFAULTS)
    app.config.update(portal_config.from_environment(folder))
    app.config["TRANSLATIONS_DIR"] = ROOT / "translations"
    app.config.update(config)
    portal_config.derive(app.config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from portal import database  # noqa: F401  (registers the SQLite pragmas)
    from portal import (auth, catalogs, cli, demo, errors, i18n, languages, links, mail, pagecache, search, security,
                        stats, tasks, templating, urls)
    from portal.extensions import csrf, db, migrate
    from portal.views import bp as portal_bp

    urls.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    for part in (i18n, catalogs, auth, templating, languages, links, security, errors, tasks, search, mail, stats,
                 pagecache):
        part.init_app(app)
    app.register_blueprint(portal_bp)
    demo.register_demo_loader(app, demo.load_demo_organisation)
    for name in app.config.get("PORTAL_MODULES", DOMAIN_MODULES):
        importlib.import_module(name).init_app(app)

    cli.register_commands(app)
    return app
