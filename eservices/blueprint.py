"""The URL map of the e-services."""
from flask import Blueprint

from eservices import views
from portal.i18n import localized_url

bp = Blueprint("eservices", __name__, template_folder="templates")

localized_url(bp, {"sv": "/e-tjanster/<code>", "en": "/e-services/<code>"}, views.landing)
