"""Log in, log out and the staff start page (routes in ``blueprint.py``)."""
from datetime import timedelta
from math import ceil

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import operations, start_url, throttle
from portal.auth.forms import LoginForm
from portal.auth.models import ROLE_LABELS
from portal.errors import render_error
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
        if wait := throttle.start_attempt(form.username.data, address):
            return too_many_attempts(wait)
        user = operations.authenticate(form.username.data, form.password.data, address)
        if user:
            session.clear()  # a new session at login: nothing from before survives
            login_user(user)
            flash(_("Du är inloggad som %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(form.next.data) or start_url(user))
        form.password.errors.append(_("Fel användarnamn eller lösenord."))
    form.password.data = ""
    return render_template("auth/login.html", form=form)


def too_many_attempts(seconds):
    """429 with ``Retry-After``, telling the person how long to wait (whole minutes
    from one minute on, rounded up)."""
    wait = timedelta(seconds=seconds if seconds < 60 else 60 * ceil(seconds / 60))
    response = make_response(render_error(429, _(
        "Du har försökt logga in för många gånger. Vänta %(wait)s och försök sedan igen.",
        wait=format_timedelta(wait))))
    response.headers["Retry-After"] = str(seconds)
    return response


def logout():
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("portal.home"))


@login_required
def staff_start():
    """Where staff whose roles have no screen of their own land: their roles and
    the staff menu's pages, instead of the citizens' start page."""
    roles = sorted(str(ROLE_LABELS[role]) for role in current_user.roles if role in ROLE_LABELS)
    return render_template("auth/staff_start.html", roles=roles)
