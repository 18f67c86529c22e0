"""The URL map of the interface translation pages."""
from flask import Blueprint

from portal.catalogs import views
from portal.i18n import localized_url

bp = Blueprint("catalogs", __name__, template_folder="templates")

localized_url(bp, {"sv": "/oversattning/granssnitt", "en": "/translation/interface"}, views.overview)
localized_url(bp, {"sv": "/oversattning/granssnitt/<language>", "en": "/translation/interface/<language>"},
              views.messages)
localized_url(bp, {"sv": "/oversattning/granssnitt/<language>/<key>",
                   "en": "/translation/interface/<language>/<key>"},
              views.edit_message, methods=("GET", "POST"))
