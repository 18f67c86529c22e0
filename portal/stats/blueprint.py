"""The URL map of statistics: the dashboard, its exports and the JSON API."""
from flask import Blueprint

from portal.i18n import localized_url
from portal.stats import views

bp = Blueprint("stats", __name__, template_folder="templates")

localized_url(bp, {"sv": "/statistik", "en": "/statistics"}, views.dashboard)
localized_url(bp, {"sv": "/statistik/<key>.<any(csv, xlsx):fmt>", "en": "/statistics/<key>.<any(csv, xlsx):fmt>"},
              views.export)
bp.add_url_rule("/api/v1/stats", view_func=views.api_index)
bp.add_url_rule("/api/v1/stats/<key>", view_func=views.api_table)
bp.add_app_template_filter(views.formatted, "stat")
bp.add_app_template_global(views.chart, "stats_chart")
