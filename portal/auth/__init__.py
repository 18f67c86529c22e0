"""Staff accounts, roles and login.  Citizens need no account.

``models`` (users, role grants, login throttling counts), ``operations``
(authentication, the password policy, creating accounts), ``throttle``
(counting login attempts), ``access`` (route guards), ``login``
(Flask-Login), ``blueprint`` and ``views`` (log in, log out).
"""


def init_app(app):
    from portal.auth import login, throttle
    from portal.auth.blueprint import bp
    from portal.tasks import register_retention

    login.init_app(app)
    app.register_blueprint(bp)
    register_retention(app, "login throttling", throttle.purge)
