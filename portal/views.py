from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from portal import search
from portal.extensions import db
from portal.i18n import languages, localized_url, source_language

bp = Blueprint("portal", __name__)


@bp.route("/")
def root():
    """Send visitors to the start page in the browser's preferred language."""
    lang = request.accept_languages.best_match(languages()) or source_language()
    return redirect(url_for("portal.home", lang_code=lang))


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


@bp.route("/healthz")
def healthz():
    state = {"database": database_state(), "search_index": search.health()}
    healthy = all(value == "ok" for value in state.values())
    return jsonify(status="ok" if healthy else "degraded", **state), 200 if healthy else 503
