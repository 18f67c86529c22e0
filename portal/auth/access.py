"""Route guards.  Object-level checks live on the models (``can_view``/``can_edit``)."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(*roles):
    """Require a logged-in user holding one of ``roles`` (admins pass every check)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
