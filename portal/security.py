"""Request and response hardening for every route.

- **Headers**: a strict Content-Security-Policy and friends on every response;
  HSTS when the portal is served over HTTPS; staff pages never cached.
- **Proxies**: ``X-Forwarded-For`` and friends are believed only from the
  number of reverse proxies in ``PORTAL_PROXY_COUNT`` (Werkzeug's ProxyFix), so
  a client cannot choose the address that rate limits and login throttling
  count (``portal.auth.throttle``).
- **Form size**: a request body is refused (413) above ``PORTAL_FORM_MAX_BYTES``
  before it is parsed; a view that takes long texts or files raises its own
  limit with :func:`form_limit`.  Parsing a few megabytes of empty form fields
  costs seconds of CPU, so the default is small.
- **Rate limits**: every anonymous POST (login, feedback, and the e-services'
  forms to come) is limited per client address and route with Flask-Limiter
  (``PORTAL_RATELIMIT_PUBLIC_FORMS``; storage in ``PORTAL_RATELIMIT_STORAGE_URI``,
  in memory by default, Redis or memcached for several servers).  Staff who
  are logged in are not limited.
"""
from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
    if current_app.config["PORTAL_HSTS"]:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if current_user and current_user.is_authenticated:
        # Staff pages may hold internal notes or personal data: never cached.
        headers["Cache-Control"] = "no-store"
    return response


def form_limit(max_bytes):
    """Let a view accept request bodies up to ``max_bytes`` (long texts, uploads)."""
    def mark(view):
        view.form_limit = max_bytes
        return view
    return mark


def limit_request_size():
    """The view's own limit or the small default, and never above ``MAX_CONTENT_LENGTH``."""
    config = current_app.config
    view = current_app.view_functions.get(request.endpoint)
    limit = min(getattr(view, "form_limit", None) or config["PORTAL_FORM_MAX_BYTES"],
                config["MAX_CONTENT_LENGTH"])
    request.max_content_length = limit
    request.max_form_memory_size = limit


def exempt_from_rate_limits():
    return request.method in SAFE_METHODS or current_user.is_authenticated


def init_limiter(app):
    config = app.config
    limiter = Limiter(
        get_remote_address, app=app, storage_uri=config["PORTAL_RATELIMIT_STORAGE_URI"],
        default_limits=[lambda: current_app.config["PORTAL_RATELIMIT_PUBLIC_FORMS"]],
        default_limits_exempt_when=exempt_from_rate_limits,
        enabled=config["PORTAL_RATELIMIT_ENABLED"], headers_enabled=True)
    app.extensions["portal.limiter"] = limiter


def init_app(app):
    if app.config["PORTAL_PROXY_COUNT"]:
        count = app.config["PORTAL_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    # First of all hooks: CSRF protection reads the form, and must not parse a huge one.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_request_size)
    init_limiter(app)
    app.after_request(add_security_headers)
