"""Flask-Login wiring: which user a session belongs to."""
from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id):
    """The session holds ``<id>:<token>``; a changed token ends old sessions."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or user.session_token != token or not user.active:
        return None
    return user


def csrf_field():
    """Flask-WTF's name of the CSRF secret in the session and of the token in ``g``."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def session_is_anonymous():
    """Nothing in the session but the CSRF secret: no account, flash or draft."""
    field = csrf_field()
    return all(key == field for key in session)


def settle_anonymous_reader():
    """A reader whose session holds nothing but the CSRF secret, and
    who sends no remember-me cookie, has no account; Flask-Login is told so at once.
    Its "strong" session protection would otherwise take such a session (it has no
    ``_id``) for another browser's and rewrite it, sending the session cookie again
    and clearing the remember-me cookie, on every request.  Returns whether it did."""
    anonymous = (session_is_anonymous()
                 and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies)
    if anonymous:
        login_manager._update_request_context_with_user()
    return anonymous


def settle_anonymous_reader_first():
    """before_request: ``settle_anonymous_reader`` before any other hook asks who the
    user is, except the page cache's, which runs earlier still and settles the reader
    itself before it serves a copy (a hook that answers nothing lets the request go on)."""
    settle_anonymous_reader()


def init_app(app):
    app.before_request_funcs.setdefault(None, []).insert(0, settle_anonymous_reader_first)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logga in för att se sidan.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
