"""Staff accounts, roles and login.  Citizens need no account.

``models`` (users, role grants, login throttling counts), ``operations``
(authentication, the password policy, creating accounts), ``throttle``
(counting login attempts), ``access`` (route guards), ``login``
(Flask-Login), ``blueprint`` and ``views`` (log in, log out, the staff start page).

Where a person lands after login is a registry: a domain names the start
screen of a role it serves with :func:`register_start_page` (editors their
dashboard, officers their queue).  Roles without one land on the staff start
page, which says what they can do.
"""
from flask import current_app, url_for


def init_app(app):
    from portal.auth import login, throttle
    from portal.auth.blueprint import bp
    from portal.tasks import register_retention

    login.init_app(app)
    app.register_blueprint(bp)
    register_retention(app, "login throttling", throttle.purge)


def register_start_page(app, role, endpoint):
    """Send people holding ``role`` to ``endpoint`` after login.  A person with
    several roles lands on the screen registered first."""
    app.extensions.setdefault("portal.start_pages", []).append((role, endpoint))


def start_url(user):
    """The start screen of ``user``'s own roles (an admin's grant is not every
    role here: an admin lands on the staff start page), else that page."""
    for role, endpoint in current_app.extensions.get("portal.start_pages", []):
        if role in user.roles:
            return url_for(endpoint)
    return url_for("auth.staff_start")
