"""Configuration read from environment variables, with safe defaults.

Every setting has a ``PORTAL_`` environment variable (``SECRET_KEY`` keeps its
usual name).  Paths default to folders inside the instance folder so that one
directory holds everything a deployment owns: database, search index, uploads
and the generated secret key.
"""
import os
import secrets
from pathlib import Path

DEFAULT_LANGUAGES = "sv,en"


def _env_bool(name, default=False):
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
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": os.environ.get("PORTAL_MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("PORTAL_MAIL_PORT", "25")),
        "MAIL_USE_TLS": _env_bool("PORTAL_MAIL_USE_TLS"),
        "MAIL_USERNAME": os.environ.get("PORTAL_MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("PORTAL_MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": os.environ.get("PORTAL_MAIL_SENDER", "kontaktcenter@sjobacka.example"),
        "SESSION_COOKIE_SECURE": _env_bool("PORTAL_SECURE_COOKIES"),
        "DEBUG": _env_bool("PORTAL_DEBUG"),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "portal_session",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "BABEL_DEFAULT_LOCALE": "sv",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
    # Failed logins: this many per account (or per address) within the window lock it.
    "LOGIN_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_FAILURES_PER_ADDRESS": 20,
    "LOGIN_FAILURE_WINDOW_SECONDS": 15 * 60,
    # Flask-Mailman picks an in-memory backend under TESTING; the tests talk SMTP too.
    "MAIL_BACKEND": "smtp",
    # Seconds before a silent mail server counts as a failed delivery (None would wait forever).
    "MAIL_TIMEOUT": 10,
}
