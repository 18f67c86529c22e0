"""Flask-Login wiring: which user a session belongs to."""
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


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logga in för att se sidan.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
