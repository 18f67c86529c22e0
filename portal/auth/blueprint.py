"""The URL map of login, logout and the staff start page."""
from flask import Blueprint

from portal.auth import views
from portal.i18n import localized_url

bp = Blueprint("auth", __name__)

localized_url(bp, {"sv": "/logga-in", "en": "/login"}, views.login, methods=("GET", "POST"))
localized_url(bp, {"sv": "/logga-ut", "en": "/logout"}, views.logout, methods=("POST",))
localized_url(bp, {"sv": "/personal", "en": "/staff"}, views.staff_start)
