"""The GeoReport v2 API (routes in ``eservices/open311/blueprint.py``).

Each view loads, checks and answers in the format of the URL's suffix.  A
refusal is an :class:`Open311Error`, answered as the spec's ``errors`` with
the HTTP status as ``code``.  Texts people read (names, messages) are in the
language of the ``Accept-Language`` header, Swedish by default.

Nothing personal is given out: no names, e-mail addresses or phone numbers
(the spec's fields for those exist only for POST), and free texts
(description, status notes, address) lose whatever looks like an e-mail
address, a personnummer or a phone number (``portal.privacy.scrub``).
"""
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from eservices.open311 import attributes, faults, formats, operations, queries
from eservices.open311.forms import FilterRefused, RequestFilter, RequestForm
from portal import errors as portal_errors
from portal.actions import ActionRefused
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import current_language
from portal.links import absolute_url
from portal.privacy import scrub

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00Z"   # when this API last changed what it offers


class Open311Error(Exception):
    def __init__(self, status, messages):
        super().__init__(status)
        self.status = status
        self.messages = messages if isinstance(messages, list) else [messages]


# --- discovery and services -------------------------------------------------------
def discovery(fmt):
    config = current_app.config
    contact = {"municipality": config["PORTAL_MUNICIPALITY"], "phone": config["PORTAL_CONTACT_PHONE"],
               "email": config["MAIL_DEFAULT_SENDER"]}
    return formats.respond(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": _("Kontaktcenter, %(municipality)s: %(phone)s, %(email)s", **contact),
        "key_service": _("Be kontaktcentret om en API-nyckel: %(email)s.", **contact),
        "endpoints": [{"specification": SPECIFICATION, "url": endpoint_url(), "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}]})


def endpoint_url():
    """``…/open311/v2`` on the public address (``PORTAL_BASE_URL``)."""
    return absolute_url(url_for("open311.discovery", fmt="xml").rsplit("/", 1)[0])


def services(fmt):
    metadata = bool(attributes.attributes(operations.fault_service()))
    return formats.respond(fmt, "services", [service_entry(category, metadata)
                                             for category in faults.active_categories()])


def service_entry(category, metadata):
    return {"service_code": category.code, "service_name": category.name_in(),
            "description": category.description_in() or "", "metadata": metadata, "type": "realtime",
            "keywords": ", ".join(category.keywords or []), "group": category.group or ""}


def service_definition(service_code, fmt):
    category = faults.category(service_code)
    if category is None or not category.active:
        raise Open311Error(404, _("Det finns ingen tjänst med service_code ”%(code)s”.", code=service_code))
    found = attributes.attributes(operations.fault_service())
    return formats.respond(fmt, "service_definition", {
        "service_code": category.code, "attributes": [attribute.as_spec() for attribute in found]})


# --- requests ---------------------------------------------------------------------------
def request_list(fmt):
    try:
        wanted = RequestFilter.from_args(request.args, utcnow())
    except FilterRefused as refused:
        raise Open311Error(400, refused.messages) from None
    return requests_response(fmt, queries.matching_cases(wanted))


def request_detail(request_id, fmt):
    return requests_response(fmt, [known_case(request_id)])


def token(token, fmt):
    """Requests are made at once, so the spec's token is the request id itself."""
    case = known_case(token)
    return formats.respond(fmt, "service_requests", [{"service_request_id": case.reference, "token": token}])


def known_case(reference):
    case = queries.case_by_reference(reference)
    if case is None:
        raise Open311Error(404, _("Det finns ingen felanmälan med service_request_id ”%(id)s”.", id=reference))
    return case


def requests_response(fmt, cases):
    origins = queries.origins(cases)
    names = {}
    return formats.respond(fmt, "service_requests",
                           [request_entry(case, origins.get(case.id), names) for case in cases])


def request_entry(case, origin, names):
    """A case as the spec's service request, without anything personal."""
    code = (case.answers.get("fel") or {}).get("category") or ""
    if code not in names:
        category = faults.category(code)
        names[code] = category.name_in() if category else ""
    notes = [event.text for event in case.events if event.public and not event.from_citizen]
    return {
        "service_request_id": case.reference, "status": "open" if case.status.is_open else "closed",
        "status_notes": scrub(notes[-1]) if notes else None, "service_name": names[code],
        "service_code": code, "description": scrub((case.answers.get("fel") or {}).get("description") or ""),
        "agency_responsible": case.department.name_in(), "service_notice": service_notice(),
        "requested_datetime": stamp(case.created_at), "updated_datetime": stamp(case.updated_at),
        "expected_datetime": due(case.due_on), "address": scrub(case.place or ""), "address_id": None,
        "zipcode": None, "lat": case.latitude, "long": case.longitude,
        "media_url": origin.media_url if origin and origin.media_url else None,
    }


def service_notice():
    return _("Akuta och farliga fel ska du ringa in: %(phone)s.", phone=current_app.config["PORTAL_CONTACT_PHONE"])


def zone():
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def stamp(moment):
    """A stored (naive UTC) time in ISO 8601 with the Swedish offset (+01:00 or +02:00)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc).astimezone(zone()).isoformat(timespec="seconds")


def due(day):
    """The due date as the end of that day in Swedish time."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone()).isoformat() if day else None


def create_request(fmt):
    """POST requests: the key, then the arguments, then the felanmälan form's own checks."""
    key = queries.posting_key()
    if key is None:
        raise Open311Error(403, _("api_key saknas. Skicka nyckeln du fått av kommunen som api_key.")
                           if not request.form.get("api_key", "").strip()
                           else _("api_key är ogiltig eller återkallad."))
    form = RequestForm()
    if not form.validate():
        raise Open311Error(400, form.problems())
    filled = operations.filled_request(form, request.form)
    problems = [problem for _page, _form, page_problems in filled for problem in page_problems]
    if problems:
        raise Open311Error(400, problems)
    try:
        case = operations.submit_request(key, filled, (form.media_url.data or "").strip(), current_language())
    except ActionRefused as refused:
        db.session.rollback()
        raise Open311Error(400, refused.message) from None
    return formats.respond(fmt, "service_requests", [{
        "service_request_id": case.reference, "service_notice": service_notice(), "account_id": None}])


# --- refusals -----------------------------------------------------------------------------
HTTP_MESSAGES = {
    404: lambda: _("Det finns inget sådant i API:t."),
    405: lambda: _("Metoden går inte att använda här."),
    413: lambda: _("Det som skickades är för stort."),
    429: lambda: _("För många anrop på kort tid. Vänta en stund och försök igen."),
}


def refused(error):
    return formats.errors(request_format(), error.status, error.messages)


def http_error(error: HTTPException):
    """The API's own errors in its format; the admin pages get the portal's error page."""
    if request_format() is None:
        return portal_errors.handle_http_error(error)
    message = HTTP_MESSAGES.get(error.code, lambda: error.name)()
    return formats.errors(request_format(), error.code or 500, [message])


def request_format():
    return (request.view_args or {}).get("fmt")
