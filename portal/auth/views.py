"""Log in and log out (routes in ``blueprint.py``)."""
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import operations
from portal.auth.forms import LoginForm
from portal.extensions import db

UNSAFE_IN_NEXT = frozenset("\\\r\n\t\x00")


def safe_next(target):
    """A same-site path to go to after login, or None (no open redirects).

    Browsers read a backslash as a slash ("/\\evil.example" leaves the site)
    and a line break cannot be sent in a header, so either makes it None.
    """
    if (not target or not target.startswith("/") or target.startswith("//")
            or UNSAFE_IN_NEXT.intersection(target) or not target.isprintable()):
        return None
    return target


def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        if operations.is_throttled(form.username.data, address):
            abort(429)
        user = operations.authenticate(form.username.data, form.password.data, address)
        if user:
            session.clear()  # a new session at login: nothing from before survives
            login_user(user)
            flash(_("Du är inloggad som %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(form.next.data) or url_for("portal.home"))
        form.password.errors.append(_("Fel användarnamn eller lösenord."))
    form.password.data = ""
    return render_template("auth/login.html", form=form)


def logout():
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("portal.home"))
