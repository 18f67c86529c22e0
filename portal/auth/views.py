from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import service
from portal.auth.forms import LoginForm
from portal.extensions import db
from portal.i18n import localized_route

bp = Blueprint("auth", __name__)


def _safe_next(target):
    """Only same-site paths are followed after login (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@localized_route(bp, {"sv": "/logga-in", "en": "/login"}, methods=("GET", "POST"))
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        if service.is_throttled(form.username.data, address):
            abort(429)
        user = service.authenticate(form.username.data, form.password.data, address)
        if user:
            session.clear()  # a new session at login: nothing from before survives
            login_user(user)
            flash(_("Du är inloggad som %(name)s.", name=user.display_name), "success")
            return redirect(_safe_next(form.next.data) or url_for("portal.home"))
        form.password.errors.append(_("Fel användarnamn eller lösenord."))
    form.password.data = ""
    return render_template("auth/login.html", form=form)


@localized_route(bp, {"sv": "/logga-ut", "en": "/logout"}, methods=("POST",))
def logout():
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("portal.home"))
