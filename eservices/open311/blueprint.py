"""The URL map of Open311: the GeoReport v2 API under ``/open311/v2/`` (no
language prefix: a client picks the language with ``Accept-Language``), each
resource in ``.xml`` and ``.json``, and the admins' key pages."""
from flask import Blueprint
from werkzeug.exceptions import HTTPException

from eservices.open311.views import admin, api
from portal.i18n import localized_url

bp = Blueprint("open311", __name__, template_folder="templates")
API = "/open311/v2"
FMT = "<any(xml, json):fmt>"

bp.add_url_rule(f"{API}/discovery.{FMT}", view_func=api.discovery)
bp.add_url_rule(f"{API}/services.{FMT}", view_func=api.services)
bp.add_url_rule(f"{API}/services/<service_code>.{FMT}", view_func=api.service_definition)
bp.add_url_rule(f"{API}/requests.{FMT}", view_func=api.request_list)
bp.add_url_rule(f"{API}/requests.{FMT}", view_func=api.create_request, methods=("POST",))
bp.add_url_rule(f"{API}/requests/<request_id>.{FMT}", view_func=api.request_detail)
bp.add_url_rule(f"{API}/tokens/<token>.{FMT}", view_func=api.token)
bp.register_error_handler(api.Open311Error, api.refused)
bp.register_error_handler(HTTPException, api.http_error)

# Administrators
localized_url(bp, {"sv": "/admin/open311-nycklar", "en": "/admin/open311-keys"}, admin.keys)
localized_url(bp, {"sv": "/admin/open311-nycklar/ny", "en": "/admin/open311-keys/new"}, admin.new_key,
              methods=("GET", "POST"))
localized_url(bp, {"sv": "/admin/open311-nycklar/<int:key_id>/aterkalla",
                   "en": "/admin/open311-keys/<int:key_id>/revoke"}, admin.revoke_key, methods=("POST",))
