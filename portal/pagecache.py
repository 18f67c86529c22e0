"""The page cache: anonymous GETs of public pages served without running their view.

During a crisis everyone opens the same few pages at once; rendering each of them
anew for every reader is what makes a site fall over.  A domain marks its public
pages with :func:`register_cacheable`; the first reader's page is kept (with
Flask-Caching: in this process by default, Redis or memcached for several servers,
``PORTAL_CACHE_URL``) and later readers get a copy.

**Who gets a copy.**  Only a GET or HEAD without a query string, from someone who
is not logged in and whose session holds nothing but the CSRF secret (no flash
message, no draft, no account).  Only a 200 is kept, and only when the view set
no cookie, left nothing but the CSRF secret in the session and showed no flash
message.  A page with a form (an article's "Hjälpte sidan dig?") is kept with a
placeholder where the CSRF token was and gets the reader's own token on the way
out, so no reader ever sees another's token.

**Never stale.**  Each key holds the *page generation*, a number in the database
that every change of what public pages show raises in the transaction of the
change: the documented signals (``document_changed`` for publishing and
archiving, alerts, languages, interface texts, …) and any ORM change of a model a
domain registered with :func:`register_public_models` (topics, departments, …;
also changes made with the CLI or a shell).  Each request reads the number, so a change made by another
process or server is seen at once.  Time changes pages too (an alert that starts
or ends, an article's unpublish time): a copy lives at most until the next such
moment that a domain's :func:`register_next_change` function names.  A
deployment's settings are part of the key, so a shared cache never serves pages
made with other settings.

**Proxies and browsers.**  A kept page without a form is ``public`` for
``PORTAL_PAGE_MAX_AGE`` seconds (30: a reverse proxy in front of several servers
absorbs a peak, and after a publication or an alert nobody waits longer than
that), bounded by the next moment in time; after that the proxy revalidates
with the ETag and gets a cheap 304 from this cache.  ``stale-if-error`` lets it
serve a page a few minutes old rather than an error while the servers are down.
A page with a form is ``private`` (its token is the reader's own).  ``Vary:
Cookie`` because a logged-in person gets another page.  Everything that was not
served or kept here is ``private, no-store``; staff pages are ``no-store``
(``portal.security``).
"""
import hashlib
import math
import sqlite3
import threading
import time
from dataclasses import dataclass

from flask import current_app, g, has_app_context, request, session
from flask.globals import request_ctx
from flask_caching import Cache
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, inspect, make_url, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.auth.login import csrf_field, session_is_anonymous, settle_anonymous_reader
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import current_language
from portal.templating import page_subject, set_page_subject

CSRF_HOLE = b"\x00portal-csrf-token\x00"
STALE_IF_ERROR_SECONDS = 300
CHANGED = "portal.pages_changed"      # session.info: a signal said public pages change
BUMPED = "portal.generation_raised"   # session.info: this transaction raised the generation
CACHE_TYPES = {"memory": "SimpleCache", "redis": "RedisCache", "rediss": "RedisCache",
               "memcached": "MemcachedCache"}
OFF = "none://"


class PageGeneration(db.Model):
    """One row: raised whenever what a public page shows changes."""

    __tablename__ = "page_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


@dataclass
class CachedPage:
    body: bytes
    headers: list
    digest: str
    expires: float        # time.time() after which the copy is not served
    has_form: bool        # the body holds CSRF_HOLE
    subject: tuple | None


# --- registries ---------------------------------------------------------------
def register_cacheable(app, endpoint, on_hit=None):
    """Serve ``endpoint``'s anonymous GETs from the page cache.

    ``on_hit(subject)`` runs when a copy is served instead of the view (a view
    count, say); ``subject`` is what the view passed to ``set_page_subject``."""
    app.extensions["portal.pagecache"]["endpoints"][endpoint] = on_hit


def register_public_models(app, *models, only=None):
    """A change of these models' rows changes public pages (raises the generation):
    any change, or with ``only`` (attribute names) a changed row only when one of those
    changed (a new or deleted row always)."""
    app.extensions["portal.pagecache"]["models"] += tuple((model, frozenset(only or ())) for model in models)


def _changes_public_pages(session, models):
    for row in (*session.new, *session.deleted):
        if any(isinstance(row, model) for model, _only in models):
            return True
    for row in session.dirty:
        for model, only in models:
            if isinstance(row, model) and (not only or any(
                    inspect(row).attrs[name].history.has_changes() for name in only)):
                return True
    return False


def register_next_change(app, function):
    """``function()`` → the next moment (naive UTC) at which public pages change by
    time alone, or None; no copy is served after it."""
    app.extensions["portal.pagecache"]["next_change"].append(function)


def settings():
    return current_app.extensions["portal.pagecache"]


# --- the page generation ------------------------------------------------------
GENERATION_SQL = "SELECT value FROM page_generation WHERE id = 1"


class GenerationReader:
    """Reads the generation, on every request the cache could serve.

    On SQLite through a connection of each thread's own in autocommit mode (each read
    sees the last commit): taking a connection from SQLAlchemy's pool and giving it
    back costs about 25 times the read itself.  Other databases through the session.
    """

    def __init__(self, database_url):
        url = make_url(database_url)
        on_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
        self.path = url.database if on_file else None
        self.connections = threading.local()

    def __call__(self):
        if self.path is None:
            return db.session.connection().exec_driver_sql(GENERATION_SQL).scalar() or 0
        connection = getattr(self.connections, "sqlite", None)
        if connection is None:
            connection = self.connections.sqlite = sqlite3.connect(self.path, isolation_level=None)
        row = connection.execute(GENERATION_SQL).fetchone()
        return row[0] if row else 0


def generation():
    return settings()["generation"]()


def pages_changed(*_args, **_kwargs):
    """Signal receiver: raise the generation when the change's transaction commits."""
    db.session.info[CHANGED] = True


def raise_generation(session):
    if session.info.get(BUMPED):
        return
    session.info[BUMPED] = True
    connection = session.connection()
    statement = update(PageGeneration).where(PageGeneration.id == 1).values(value=PageGeneration.value + 1)
    if connection.execute(statement).rowcount == 0:
        connection.execute(PageGeneration.__table__.insert().values(id=1, value=1))


def _app_models():
    return has_app_context() and current_app.extensions.get("portal.pagecache", {}).get("models")


@event.listens_for(Session, "after_flush")
def _raise_for_public_models(session, _flush_context):
    models = _app_models()
    if models and _changes_public_pages(session, models):
        raise_generation(session)


@event.listens_for(Session, "before_commit")
def _raise_for_signals(session):
    if session.info.pop(CHANGED, False):
        raise_generation(session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session, transaction):
    """Committed, rolled back or closed: the next transaction starts afresh."""
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
        session.info.pop(BUMPED, None)


# --- who may get a copy -------------------------------------------------------
def served_from_cache():
    """GET/HEAD of a registered endpoint without query string, by an anonymous reader
    (``portal.auth.login.settle_anonymous_reader``)."""
    return (request.method in ("GET", "HEAD") and request.endpoint in settings()["endpoints"]
            and not request.query_string and settle_anonymous_reader())


def page_key():
    return f"page:{settings()['fingerprint']}:{g.page_generation}:{current_language()}:{request.host}{request.path}"


def form_etag(cached):
    """A page with a form changes with the reader's CSRF secret, and its token ages:
    a browser's own copy is used again only within the hour (as ``content`` does)."""
    return hashlib.sha1(f"{cached.digest}:{session[csrf_field()]}:{utcnow():%Y%m%d%H}".encode()).hexdigest()


# --- serving and keeping --------------------------------------------------------
def serve_copy():
    """before_request: the kept page, if there is a fresh one for this request."""
    if not served_from_cache():
        return None
    g.page_generation = generation()
    cached = current_app.extensions["portal.cache"].get(page_key())
    if cached is None or cached.expires <= time.time():
        return None
    g.page_copy = cached
    body = cached.body.replace(CSRF_HOLE, generate_csrf().encode()) if cached.has_form else cached.body
    response = current_app.response_class(body, headers=cached.headers)
    response.set_etag(form_etag(cached) if cached.has_form else cached.digest)
    response.make_conditional(request)
    if cached.subject:
        set_page_subject(*cached.subject)
    on_hit = settings()["endpoints"][request.endpoint]
    if on_hit and request.method == "GET" and response.status_code == 200:
        on_hit(cached.subject)
    return response


def keep(response):
    """after_request: keep a page that is the same for every anonymous reader."""
    if "page_generation" not in g or "page_copy" in g or not may_keep(response):
        return None
    body = response.get_data()
    if CSRF_HOLE in body:
        return None
    token = g.get(csrf_field())
    has_form = bool(token) and token.encode() in body
    if has_form:
        body = body.replace(token.encode(), CSRF_HOLE)
    seconds, expires = lifetime()
    if seconds < 1:
        return None
    headers = [(name, value) for name, value in response.headers
               if name not in ("ETag", "Cache-Control", "Content-Length", "Set-Cookie")]
    cached = CachedPage(body=body, headers=headers, digest=hashlib.sha1(body).hexdigest(), expires=expires,
                        has_form=has_form, subject=page_subject())
    current_app.extensions["portal.cache"].set(page_key(), cached, timeout=math.ceil(seconds))
    response.set_etag(form_etag(cached) if has_form else cached.digest)
    response.make_conditional(request)   # made anew after a change, and the same as the browser's
    return cached


def may_keep(response):
    """A 200 the view made without a cookie, a flash message or anything in the session."""
    return (request.method == "GET" and response.status_code == 200 and not response.is_streamed
            and "Set-Cookie" not in response.headers and not request_ctx.flashes and session_is_anonymous()
            and set(response.vary) <= {"Cookie"})


def lifetime():
    """(seconds, time.time() at the end): ``PORTAL_PAGE_CACHE_SECONDS`` or until the
    next moment a registered function names, whichever comes first."""
    seconds = current_app.config["PORTAL_PAGE_CACHE_SECONDS"]
    now = utcnow()
    for next_change in settings()["next_change"]:
        moment = next_change()
        if moment is not None:
            seconds = min(seconds, (moment - now).total_seconds())
    return seconds, time.time() + seconds


def cache_headers(response):
    """after_request: keep the page if it may be kept, and say who else may keep it."""
    if request.endpoint not in settings()["endpoints"] or current_user.is_authenticated:
        return response
    cached = g.get("page_copy") or keep(response)
    if cached is None:
        response.headers["Cache-Control"] = "private, no-store"
        return response
    max_age = max(0, min(current_app.config["PORTAL_PAGE_MAX_AGE"], int(cached.expires - time.time())))
    personal = cached.has_form or session.modified   # the reader's token, or their session cookie
    response.headers["Cache-Control"] = (f"private, max-age={max_age}" if personal else
                                         f"public, max-age={max_age}, stale-if-error={STALE_IF_ERROR_SECONDS}")
    response.vary.add("Cookie")
    return response


# --- setting up ---------------------------------------------------------------
def cache_config(url, size):
    """Flask-Caching's settings for ``PORTAL_CACHE_URL``: ``memory://`` (this
    process; the default), ``redis://host:6379/0``, ``memcached://host:11211,host2:11211``
    (``none://``, no page cache, is not for Flask-Caching)."""
    scheme, _sep, rest = (url or "memory://").partition("://")
    if scheme not in CACHE_TYPES:
        raise ValueError(f"PORTAL_CACHE_URL: unknown cache {url!r}")
    config = {"CACHE_TYPE": CACHE_TYPES[scheme], "CACHE_THRESHOLD": size, "CACHE_KEY_PREFIX": "portal:"}
    if scheme.startswith("redis"):
        config["CACHE_REDIS_URL"] = url
    if scheme == "memcached":
        config["CACHE_MEMCACHED_SERVERS"] = rest.split(",")
    return config


def settings_fingerprint(config):
    """The deployment's own settings (less its folders, which differ between servers
    that share a cache): pages made with other settings are not served."""
    text = repr(sorted((name, repr(value)) for name, value in config.items()
                       if name.startswith("PORTAL_") and not name.endswith("_DIR")))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def init_app(app):
    from portal import signals
    from portal.catalogs.models import InterfaceTranslation
    from portal.languages.models import Language
    from portal.org.models import Department, Topic

    config = app.config
    app.extensions["portal.pagecache"] = {"endpoints": {}, "models": (), "next_change": [],
                                          "fingerprint": settings_fingerprint(config),
                                          "generation": GenerationReader(config["SQLALCHEMY_DATABASE_URI"])}
    # document_changed, not every workflow step: an editor's saves, submissions and
    # rejections change no public page, and raising the generation for each of them
    # emptied the cache every few seconds while anyone was editing (the load benchmark).
    for signal in (signals.document_changed, signals.alert_changed, signals.language_changed,
                   signals.interface_translation_saved, signals.department_changed):
        signal.connect(pages_changed)
    register_cacheable(app, "portal.home")
    register_cacheable(app, "portal.contact")
    register_public_models(app, Topic, Department, Language, InterfaceTranslation)
    if config["PORTAL_CACHE_URL"] == OFF:   # pages as their views make them, headers and all
        return
    app.extensions["portal.cache"] = Cache(app, config=cache_config(config["PORTAL_CACHE_URL"],
                                                                   config["PORTAL_PAGE_CACHE_SIZE"]))
    # First of all hooks: a kept page needs none of the others (GETs are neither
    # rate-limited nor CSRF-checked), and skipping them is a fifth of its time.
    app.before_request_funcs.setdefault(None, []).insert(0, serve_copy)
    app.after_request(cache_headers)
