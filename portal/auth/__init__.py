"""Staff accounts, roles and login.  Citizens need no account.

``models`` (users, role grants, login throttling), ``operations``
(authentication, the password policy, creating accounts), ``access`` (route
guards), ``login`` (Flask-Login), ``blueprint`` and ``views`` (log in, log out).
"""


def init_app(app):
    from portal.auth import login
    from portal.auth.blueprint import bp

    login.init_app(app)
    app.register_blueprint(bp)
