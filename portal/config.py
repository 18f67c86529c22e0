"""Configuration read from environment variables, with safe defaults.

Every setting has a ``PORTAL_`` environment variable (``SECRET_KEY`` keeps its
usual name).  Paths default to folders inside the instance folder so that one
directory holds everything a deployment owns: database, search index, uploads
and the generated secret key.
"""
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_LANGUAGES = "sv,en"


def _env_bool(name, default=False):
    """``1``/``true``/``yes``/``on`` → True; unset → ``default``."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_dir():
    return Path(os.environ.get("PORTAL_INSTANCE_DIR", "instance")).resolve()


def load_secret_key(folder: Path) -> str:
    """Return SECRET_KEY from the environment or from ``<instance>/secret_key``.

    The file is created with a random key on first run so that no deployment
    ever runs with a key that is written in the source code.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


# Whole-number settings whose default is in DEFAULTS; PORTAL_<name> replaces it when set.
ENVIRONMENT_INTEGERS = ("LOGIN_FAILURES_PER_PAIR", "LOGIN_FAILURES_PER_ADDRESS",
                        "LOGIN_FIRST_DELAY_SECONDS", "LOGIN_MAX_DELAY_SECONDS",
                        "LOGIN_FAILURE_WINDOW_SECONDS", "PORTAL_PAGE_CACHE_SECONDS", "PORTAL_PAGE_MAX_AGE",
                        "PORTAL_PAGE_CACHE_SIZE", "PORTAL_HEALTH_CHECK_SECONDS", "PORTAL_STATS_THREADS")


def _days_by_type(text):
    """``"topic:bygga-och-bo=10,topic:omsorg-och-stod=3"`` → ``{"topic:bygga-och-bo": 10, …}``."""
    days = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        question_type, sep, number = item.rpartition("=")
        if not sep or not question_type.strip() or not number.strip().isdigit():
            raise ValueError(f"PORTAL_SLA_SOLUTION_DAYS_BY_TYPE: {item!r} is not <type>=<working days>")
        days[question_type.strip()] = int(number)
    return days


def _environment_integers():
    return {name: int(os.environ[environment_name(name)]) for name in ENVIRONMENT_INTEGERS
            if os.environ.get(environment_name(name))}


def environment_name(setting):
    return setting if setting.startswith("PORTAL_") else f"PORTAL_{setting}"


def from_environment(folder: Path) -> dict:
    """Build the configuration mapping for an instance folder."""
    database_url = os.environ.get("PORTAL_DATABASE_URL") or f"sqlite:///{folder / 'portal.sqlite3'}"
    return {
        "SECRET_KEY": load_secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PORTAL_INDEX_DIR": os.environ.get("PORTAL_INDEX_DIR", str(folder / "search-index")),
        "PORTAL_UPLOAD_DIR": os.environ.get("PORTAL_UPLOAD_DIR", str(folder / "uploads")),
        "PORTAL_LANGUAGES": os.environ.get("PORTAL_LANGUAGES", DEFAULT_LANGUAGES).split(","),
        "PORTAL_MUNICIPALITY": os.environ.get("PORTAL_MUNICIPALITY", "Sjöbacka kommun"),
        "PORTAL_CONTACT_PHONE": os.environ.get("PORTAL_CONTACT_PHONE", "0480-45 00 00"),
        # The contact centre as the contact page, the footer and articles without their own show it.
        "PORTAL_CONTACT_EMAIL": os.environ.get("PORTAL_CONTACT_EMAIL", "kontaktcenter@sjobacka.example"),
        "PORTAL_VISITING_ADDRESS": os.environ.get("PORTAL_VISITING_ADDRESS",
                                                  "Kommunhuset, Storgatan 1, 380 30 Sjöbacka"),
        "PORTAL_OPENING_HOURS": os.environ.get("PORTAL_OPENING_HOURS", "08:00-16:30"),
        # south,west,north,east in decimal degrees: positions outside are refused (felanmälan).
        "PORTAL_MUNICIPALITY_BOUNDS": os.environ.get("PORTAL_MUNICIPALITY_BOUNDS", "56.55,15.95,56.80,16.45"),
        # Map tiles ({z}/{x}/{y}); without a URL no map is shown and no tile server is needed.
        "PORTAL_MAP_TILE_URL": os.environ.get("PORTAL_MAP_TILE_URL", ""),
        "PORTAL_MAP_ATTRIBUTION": os.environ.get("PORTAL_MAP_ATTRIBUTION", ""),
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": os.environ.get("PORTAL_MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("PORTAL_MAIL_PORT", "25")),
        "MAIL_USE_TLS": _env_bool("PORTAL_MAIL_USE_TLS"),
        "MAIL_USERNAME": os.environ.get("PORTAL_MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("PORTAL_MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": os.environ.get("PORTAL_MAIL_SENDER", "kontaktcenter@sjobacka.example"),
        "SESSION_COOKIE_SECURE": _env_bool("PORTAL_SECURE_COOKIES", default=None),
        "PORTAL_TRUSTED_HOSTS": os.environ.get("PORTAL_TRUSTED_HOSTS", ""),
        "PORTAL_PROXY_COUNT": int(os.environ.get("PORTAL_PROXY_COUNT", "0")),
        # The page cache (portal/pagecache.py): memory:// (this process), redis://…, memcached://…, none://.
        "PORTAL_CACHE_URL": os.environ.get("PORTAL_CACHE_URL", "memory://"),
        "PORTAL_RATELIMIT_STORAGE_URI": os.environ.get("PORTAL_RATELIMIT_STORAGE_URI", "memory://"),
        "PORTAL_RATELIMIT_PUBLIC_FORMS": os.environ.get("PORTAL_RATELIMIT_PUBLIC_FORMS",
                                                        "10 per minute;60 per hour"),
        "PORTAL_RATELIMIT_OPEN311": os.environ.get("PORTAL_RATELIMIT_OPEN311", "60 per minute;1000 per hour"),
        "PORTAL_SEARCH_LOG_DAYS": int(os.environ.get("PORTAL_SEARCH_LOG_DAYS", "90")),
        "PORTAL_FEEDBACK_DAYS": int(os.environ.get("PORTAL_FEEDBACK_DAYS", "365")),
        "PORTAL_STATS_MIN_SEARCHES": int(os.environ.get("PORTAL_STATS_MIN_SEARCHES", "3")),
        "PORTAL_CASE_PREFIX": os.environ.get("PORTAL_CASE_PREFIX", "SJB"),
        "PORTAL_DRAFT_DAYS": int(os.environ.get("PORTAL_DRAFT_DAYS", "30")),
        "PORTAL_SMS_SENDER": os.environ.get("PORTAL_SMS_SENDER", ""),
        "PORTAL_SLA_SOLUTION_DAYS": int(os.environ.get("PORTAL_SLA_SOLUTION_DAYS", "5")),
        "PORTAL_SLA_SOLUTION_DAYS_BY_TYPE": _days_by_type(os.environ.get("PORTAL_SLA_SOLUTION_DAYS_BY_TYPE", "")),
        "PORTAL_SLA_SHORT_DAYS": _env_bool("PORTAL_SLA_SHORT_DAYS"),
        "PORTAL_REOPEN_DAYS": int(os.environ.get("PORTAL_REOPEN_DAYS", "14")),
        # Mail in (eservices/mailin.py): the shared mailbox, and the förvaltning its cases go to.
        "PORTAL_MAIL_IMPORT": os.environ.get("PORTAL_MAIL_IMPORT", ""),
        "PORTAL_MAIL_IMPORT_EVERY_SECONDS": int(os.environ.get("PORTAL_MAIL_IMPORT_EVERY_SECONDS", "0")),
        "PORTAL_MAIL_IMPORT_MAX_BYTES": int(os.environ.get("PORTAL_MAIL_IMPORT_MAX_BYTES", str(25 * 1024 * 1024))),
        "PORTAL_MAIL_IMPORT_FILE_MAX_BYTES": int(os.environ.get("PORTAL_MAIL_IMPORT_FILE_MAX_BYTES",
                                                                str(10 * 1024 * 1024))),
        "PORTAL_CONTACT_CENTRE": os.environ.get("PORTAL_CONTACT_CENTRE", "KLF"),
        "DEBUG": _env_bool("PORTAL_DEBUG"),
        **_environment_integers(),
    }


def derive(config):
    """Settings that follow from others unless set: what ``PORTAL_BASE_URL`` implies.

    Behind ``https://`` the session cookie is ``Secure`` and HSTS is sent.
    Requests are accepted only for the public host and the machine itself
    (``PORTAL_TRUSTED_HOSTS`` adds hosts, comma-separated; ``*`` accepts any).
    """
    base = urlsplit(config["PORTAL_BASE_URL"])
    https = base.scheme == "https"
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = https
    config.setdefault("PORTAL_HSTS", https)
    config["PREFERRED_URL_SCHEME"] = base.scheme or "http"
    config["BABEL_DEFAULT_LOCALE"] = config["PORTAL_SOURCE_LANGUAGE"]
    if config.get("TRUSTED_HOSTS") is None:
        extra = [host.strip() for host in config["PORTAL_TRUSTED_HOSTS"].split(",") if host.strip()]
        local = ["localhost", "127.0.0.1", "[::1]", "::1"]
        config["TRUSTED_HOSTS"] = None if "*" in extra else [base.hostname or "localhost", *local, *extra]


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "portal_session",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    # The largest request any view takes (a form page with several files).
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    # Request bodies above this are refused unless the view sets a higher form_limit.
    "PORTAL_FORM_MAX_BYTES": 64 * 1024,
    "PORTAL_RATELIMIT_ENABLED": True,
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
    # Swedish is the language every text is written in first; others fall back to it.
    "PORTAL_SOURCE_LANGUAGE": "sv",
    "ARGON2_PARAMETERS": {},
    # Login throttling (portal/auth/throttle.py).  After this many failed logins for one
    # account from one address (a pair), or from one address for any accounts, each further
    # attempt from there waits the first delay, doubled after every failure up to the
    # maximum.  A count is forgotten a window after its last attempt, or after the end of
    # the wait that attempt set.  Each can be set with PORTAL_<name> (ENVIRONMENT_INTEGERS).
    "LOGIN_FAILURES_PER_PAIR": 5,
    "LOGIN_FAILURES_PER_ADDRESS": 20,
    "LOGIN_FIRST_DELAY_SECONDS": 30,
    "LOGIN_MAX_DELAY_SECONDS": 15 * 60,
    "LOGIN_FAILURE_WINDOW_SECONDS": 15 * 60,
    # The page cache (portal/pagecache.py): how long a kept page lives at most, how long
    # proxies and browsers may keep a public page, and how many pages this process keeps.
    "PORTAL_PAGE_CACHE_SECONDS": 300,
    "PORTAL_PAGE_MAX_AGE": 30,
    "PORTAL_PAGE_CACHE_SIZE": 5000,
    # /healthz checks the database and the search index at most this often.
    "PORTAL_HEALTH_CHECK_SECONDS": 2,
    # The statistics' sections are computed side by side in at most this many threads
    # (1: one after the other), each with its own database connection.
    "PORTAL_STATS_THREADS": 4,
    # Flask-Mailman picks an in-memory backend under TESTING; the tests talk SMTP too.
    "MAIL_BACKEND": "smtp",
    # Seconds before a silent mail server counts as a failed delivery (None would wait forever).
    "MAIL_TIMEOUT": 10,
}
