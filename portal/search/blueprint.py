"""The URL map of search: the search pages, the JSON API and search tuning."""
from flask import Blueprint

from portal.i18n import localized_url
from portal.search import views

bp = Blueprint("search", __name__, template_folder="templates")

localized_url(bp, {"sv": "/sok", "en": "/search"}, views.results)
localized_url(bp, {"sv": "/kunskap", "en": "/knowledge"}, views.agent_search)
localized_url(bp, {"sv": "/sok/till/<int:log_id>/<path:ref>",
                   "en": "/search/to/<int:log_id>/<path:ref>"}, views.follow)
bp.add_url_rule("/api/v1/search", view_func=views.api_search)

localized_url(bp, {"sv": "/sokanpassning", "en": "/search-tuning"}, views.curation_overview)
localized_url(bp, {"sv": "/sokanpassning/synonymer/ny", "en": "/search-tuning/synonyms/new"},
              views.new_synonyms, methods=("GET", "POST"))
localized_url(bp, {"sv": "/sokanpassning/synonymer/<int:group_id>",
                   "en": "/search-tuning/synonyms/<int:group_id>"},
              views.edit_synonyms, methods=("GET", "POST"))
localized_url(bp, {"sv": "/sokanpassning/synonymer/<int:group_id>/ta-bort",
                   "en": "/search-tuning/synonyms/<int:group_id>/delete"},
              views.delete_synonyms, methods=("POST",))
localized_url(bp, {"sv": "/sokanpassning/rekommenderade/ny", "en": "/search-tuning/best-bets/new"},
              views.new_best_bet, methods=("GET", "POST"))
localized_url(bp, {"sv": "/sokanpassning/rekommenderade/<int:bet_id>/ta-bort",
                   "en": "/search-tuning/best-bets/<int:bet_id>/delete"},
              views.delete_best_bet, methods=("POST",))

bp.add_app_template_global(views.follow_url, "follow_url")
