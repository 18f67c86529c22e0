from time import monotonic

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from portal import search
from portal.extensions import db
from portal.i18n import languages, localized_url, source_language

bp = Blueprint("portal", __name__)


@bp.route("/")
def root():
    """Send visitors to the start page in the browser's preferred language."""
    lang = request.accept_languages.best_match(languages()) or source_language()
    response = redirect(url_for("portal.home", lang_code=lang))
    response.vary.add("Accept-Language")
    return response


def home():
    return render_template("portal/home.html")


localized_url(bp, {"sv": "/"}, home)


def contact():
    return render_template("portal/contact.html")


localized_url(bp, {"sv": "/kontakta-oss", "en": "/contact-us"}, contact)


def database_state():
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # any failure means "not usable"; the details go to the log
        db.session.rollback()
        return "unavailable"


def health_state():
    """The database's and the search index's state, checked at most every
    ``PORTAL_HEALTH_CHECK_SECONDS``: a load balancer polls every second or so,
    and opening the index each time would cost more than the pages it guards.
    A failure shows within that many seconds."""
    checked = current_app.extensions.get("portal.health")
    if checked is None or monotonic() - checked[0] >= current_app.config["PORTAL_HEALTH_CHECK_SECONDS"]:
        checked = (monotonic(), {"database": database_state(), "search_index": search.health()})
        current_app.extensions["portal.health"] = checked
    return checked[1]


@bp.route("/healthz")
def healthz():
    state = health_state()
    healthy = all(value == "ok" for value in state.values())
    response = jsonify(status="ok" if healthy else "degraded", **state)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
