"""The URL map of the knowledge base: public pages, the agents' article view,
the editors' workspace, service alerts and page feedback."""
from flask import Blueprint

from content.forms import language_label
from content.views import alerts, editor, public, translation
from portal.i18n import localized_url

bp = Blueprint("content", __name__, template_folder="templates")
bp.context_processor(lambda: {"language_label": language_label})

# Citizens
localized_url(bp, {"sv": "/amne/<slug>", "en": "/topic/<slug>"}, public.topic)
localized_url(bp, {"sv": "/artikel/<slug>", "en": "/article/<slug>"}, public.article)
localized_url(bp, {"sv": "/artikel/<slug>/omdome", "en": "/article/<slug>/feedback"},
              public.feedback, methods=("GET", "POST"))
localized_url(bp, {"sv": "/driftinformation", "en": "/service-alerts"}, public.alerts)
localized_url(bp, {"sv": "/driftinformation.atom", "en": "/service-alerts.atom"}, public.alerts_feed)
bp.add_url_rule("/sitemap.xml", view_func=public.sitemap)

# Agents (and the editors of the article's förvaltning)
localized_url(bp, {"sv": "/kunskap/<int:article_id>", "en": "/knowledge/<int:article_id>"},
              public.agent_article)

# Editors
localized_url(bp, {"sv": "/redaktion", "en": "/editorial"}, editor.dashboard)
localized_url(bp, {"sv": "/redaktion/ny", "en": "/editorial/new"}, editor.new_article,
              methods=("GET", "POST"))
localized_url(bp, {"sv": "/redaktion/<int:article_id>", "en": "/editorial/<int:article_id>"},
              editor.edit_article, methods=("GET", "POST"))
localized_url(bp, {"sv": "/redaktion/<int:article_id>/atgard", "en": "/editorial/<int:article_id>/action"},
              editor.article_action, methods=("POST",))
localized_url(bp, {"sv": "/redaktion/<int:article_id>/granska", "en": "/editorial/<int:article_id>/review"},
              editor.review)
localized_url(bp, {"sv": "/redaktion/<int:article_id>/historik", "en": "/editorial/<int:article_id>/history"},
              editor.history)
localized_url(bp, {"sv": "/redaktion/<int:article_id>/jamfor", "en": "/editorial/<int:article_id>/compare"},
              editor.compare)
localized_url(bp, {"sv": "/redaktion/<int:article_id>/aterstall/<int:number>",
                   "en": "/editorial/<int:article_id>/revert/<int:number>"}, editor.revert, methods=("POST",))
localized_url(bp, {"sv": "/redaktion/omdomen", "en": "/editorial/feedback"}, editor.feedback_list)
localized_url(bp, {"sv": "/redaktion/omdomen/<int:feedback_id>", "en": "/editorial/feedback/<int:feedback_id>"},
              editor.mark_feedback, methods=("POST",))

# Translators (and reviewers of translations: the förvaltning's editors, the language's translators)
localized_url(bp, {"sv": "/oversattning", "en": "/translation"}, translation.workspace, endpoint="translations")
localized_url(bp, {"sv": "/oversattning/<int:article_id>/<lang>", "en": "/translation/<int:article_id>/<lang>"},
              translation.translate, methods=("GET", "POST"))
localized_url(bp, {"sv": "/oversattning/<int:article_id>/<lang>/granska",
                   "en": "/translation/<int:article_id>/<lang>/review"},
              translation.review_translation, methods=("GET", "POST"))

# Service alerts (editors and the contact-centre manager)
localized_url(bp, {"sv": "/redaktion/driftinformation", "en": "/editorial/service-alerts"}, alerts.alert_list)
localized_url(bp, {"sv": "/redaktion/driftinformation/ny", "en": "/editorial/service-alerts/new"},
              alerts.new_alert, methods=("GET", "POST"))
localized_url(bp, {"sv": "/redaktion/driftinformation/<int:alert_id>",
                   "en": "/editorial/service-alerts/<int:alert_id>"}, alerts.edit_alert, methods=("GET", "POST"))
localized_url(bp, {"sv": "/redaktion/driftinformation/<int:alert_id>/atgard",
                   "en": "/editorial/service-alerts/<int:alert_id>/action"}, alerts.alert_action, methods=("POST",))
