"""The URL map of the language registry: the admins' page, and enabling and disabling a language."""
from flask import Blueprint

from portal.i18n import localized_url
from portal.languages import views

bp = Blueprint("languages", __name__, template_folder="templates")

localized_url(bp, {"sv": "/admin/sprak", "en": "/admin/languages"}, views.overview, methods=("GET", "POST"))
localized_url(bp, {"sv": "/admin/sprak/<code>/sla-pa", "en": "/admin/languages/<code>/enable"},
              views.enable, methods=("POST",))
localized_url(bp, {"sv": "/admin/sprak/<code>/sla-av", "en": "/admin/languages/<code>/disable"},
              views.disable, methods=("POST",))
