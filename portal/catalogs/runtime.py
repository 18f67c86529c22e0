"""The catalogue gettext serves: the language's catalogue file (its .po, or the
.mo compiled from it) with the translations saved in the browser on top.

Flask-Babel asks its domain for the translations of the moment;
:class:`CatalogDomain` answers with the catalogue of the *language code*
(``current_language()``, so that ``sv-x-lattlast`` has a catalogue of its
own though its Babel locale is ``sv``).  The source language gets its msgids.

Each process keeps one built catalogue per language with the version it was
built from: the number of saved rows of the language, read once per request
(``g``), or along with a page's own query (:func:`version_column`).  A save in
any process adds a row, so every process rebuilds that language's catalogue on
its next request; nothing needs a restart.
"""
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, g
from flask_babel import Domain
from flask_babel import _get_current_context as babel_context
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from portal.catalogs.languages import babel_locale
from portal.catalogs.models import InterfaceTranslation
from portal.extensions import db
from portal.i18n import current_language, source_language


@dataclass(frozen=True)
class Saved:
    """The newest browser save of a message: its row, texts, who and when."""
    id: int
    forms: tuple
    by: str
    at: datetime


@dataclass
class LanguageCatalog:
    """A language's merged catalogue (a Babel ``Catalog``), the saves in it by
    ``(context, msgid)``, and the compiled translations gettext reads."""
    code: str
    version: int
    catalog: Catalog
    saved: dict = field(default_factory=dict)
    translations: Translations | None = None


def translations_dir():
    return Path(current_app.config["TRANSLATIONS_DIR"])


def po_path(code):
    return translations_dir() / code / "LC_MESSAGES" / "messages.po"


def template():
    """Every interface message: ``translations/messages.pot``, read again when the
    file changes.  Nobody changes what it returns."""
    path = translations_dir() / "messages.pot"
    stamp = (str(path), path.stat().st_mtime_ns)
    cached = current_app.extensions.get("portal.catalogs.template")
    if cached is None or cached[0] != stamp:
        with open(path, "rb") as handle:
            cached = current_app.extensions["portal.catalogs.template"] = (stamp, read_po(handle))
    return cached[1]


def file_catalog(code, compiled=True):
    """The language's catalogue file: its .po, or with ``compiled`` its .mo when that
    is as new or newer (what ``make catalogs`` built from it, or a catalogue a test
    generated); without either, an empty catalogue with the language's plural rules."""
    po, mo = po_path(code), po_path(code).with_suffix(".mo")
    if compiled and mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as handle:
            return read_mo(handle)
    if po.exists():
        with open(po, "rb") as handle:
            return read_po(handle, locale=babel_locale(code))
    return Catalog(locale=babel_locale(code))


def message_key(msgid):
    """The lookup key of a message: its singular msgid."""
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def newest_saves(code):
    """{(context, msgid): Saved} of the newest row of each message in ``code``."""
    rows = db.session.scalars(select(InterfaceTranslation).where(
        InterfaceTranslation.language == code).order_by(InterfaceTranslation.id))
    return {(row.context, row.msgid): Saved(row.id, tuple(row.forms),
                                            row.created_by.display_name if row.created_by else "",
                                            row.created_at) for row in rows}


def build(code, version, compiled=True):
    """The catalogue file of ``code`` with its saves on top (see :func:`file_catalog`)."""
    catalog = file_catalog(code, compiled)
    saved = newest_saves(code) if version else {}
    for message in template() if saved else ():
        save = saved.get((message.context or "", message_key(message.id)))
        if message.id and save is not None:
            apply(catalog, message, save.forms)
    return LanguageCatalog(code, version, catalog, saved, compile_catalog(catalog))


def apply(catalog, source, forms):
    """Put ``forms`` in ``catalog`` as the translation of the template message ``source``."""
    string = tuple(forms) if source.pluralizable else forms[0]
    existing = catalog.get(source.id, source.context)
    if existing is None:
        catalog.add(source.id, string, context=source.context, flags=source.flags - {"fuzzy"})
    else:
        existing.string = string
        existing.flags.discard("fuzzy")


def compile_catalog(catalog):
    """What gettext reads: the catalogue compiled as a .mo, fuzzy entries left out."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def saved_rows(code):
    """How many saves ``code`` has: the version of its catalogue.  A database
    without the table yet (before ``portal init``) has none."""
    try:
        with db.session.no_autoflush:
            return db.session.scalar(select(func.count()).where(InterfaceTranslation.language == code))
    except SQLAlchemyError:
        db.session.rollback()
        return 0


def version(code):
    """The version of ``code``'s catalogue, read once per request."""
    versions = g.setdefault("catalog_versions", {})
    if code not in versions:
        versions[code] = saved_rows(code)
    return versions[code]


def version_column(code):
    """:func:`saved_rows` as an SQL expression, for a page that reads the version in a
    query of its own (its ETag depends on it): one round trip less per request.  The
    page hands the value it read to :func:`remember_version`."""
    return select(func.count()).where(InterfaceTranslation.language == code).scalar_subquery()


def remember_version(code, value):
    """Use ``value``, read with :func:`version_column` in this request, as the version of
    ``code``'s catalogue for the rest of the request."""
    g.setdefault("catalog_versions", {})[code] = value


def language_catalog(code):
    """The built catalogue of ``code``, rebuilt when a save has changed it."""
    built = current_app.extensions["portal.catalogs"]
    current = built.get(code)
    if current is None or current.version != version(code):
        current = built[code] = build(code, version(code))
    return current


def message_language():
    """The language whose catalogue speaks now: the page's, or inside Flask-Babel's
    ``force_locale`` (mail in the recipient's language) the forced one, unless it
    is only the Babel locale of the current language (``sv`` of ``sv-x-lattlast``)."""
    code = current_language()
    forced = getattr(babel_context(), "forced_babel_locale", None)
    if forced is not None and str(forced) != babel_locale(code):
        return str(forced)
    return code


# The source language's msgids as they are: one for every call (each ``_()`` of a page asks).
MSGIDS = NullTranslations()


class CatalogDomain(Domain):
    """Flask-Babel's domain, serving :func:`language_catalog` of the message language."""

    def get_translations(self):
        if babel_context() is None:
            return MSGIDS
        code = message_language()
        if code == source_language():
            return MSGIDS
        return language_catalog(code).translations
