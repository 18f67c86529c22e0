"""Error pages in the user's language, with a reference id and never a stack trace."""
import logging
import uuid

from flask import Response, g, jsonify, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Felaktig begäran"), _l("Sidan kunde inte förstå det som skickades. Gå tillbaka och försök igen.")),
    401: (_l("Logga in"), _l("Logga in för att se sidan.")),
    403: (_l("Du har inte behörighet"), _l("Du har inte behörighet att se den här sidan. Logga in med ett konto som har rätt behörighet, eller kontakta din administratör.")),
    404: (_l("Sidan finns inte"), _l("Vi hittar inte sidan du söker. Den kan ha flyttats eller tagits bort. Prova att söka, eller gå till startsidan.")),
    405: (_l("Det går inte att göra så här"), _l("Sidan kan inte användas på det sättet. Gå tillbaka och försök igen.")),
    413: (_l("Filen är för stor"), _l("Det du skickade är större än vad vi tar emot. Välj en mindre fil och försök igen.")),
    429: (_l("För många försök"), _l("Du har gjort för många försök på kort tid. Vänta en stund och försök igen.")),
    500: (_l("Något gick fel hos oss"), _l("Ett oväntat fel uppstod. Felet är loggat och vi rättar det. Försök igen om en stund.")),
    503: (_l("Tjänsten är inte tillgänglig just nu"), _l("Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.")),
}
CSRF_MESSAGE = _l("Formuläret hade gått ut eller kom inte från den här webbplatsen. "
                  "Ladda om sidan och skicka igen; det du skrev finns kvar om du går tillbaka.")


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def render_error(code, message=None):
    g.error_reference = uuid.uuid4().hex[:10]
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    message = message or default_message
    if request_ctx.url_adapter is None:
        # The Host header is not trusted (TRUSTED_HOSTS): no link of ours can be built for it.
        return Response(f"{title}. {message}\n", code, mimetype="text/plain")
    if wants_json():
        return jsonify(error={"code": code, "title": str(title), "message": str(message),
                              "reference": g.error_reference}), code
    return render_template("errors/error.html", code=code, title=title, message=message,
                           reference=g.error_reference), code


def handle_http_error(error: HTTPException):
    return render_error(error.code or 500)


def handle_csrf_error(error: CSRFError):
    return render_error(400, CSRF_MESSAGE)


def handle_unexpected(error: Exception):
    """Log the exception under a reference id the user can quote; show no details."""
    if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
        return handle_http_error(error)
    db.session.rollback()
    response = render_error(500)
    log.exception("Unhandled error, reference %s, %s %s", g.error_reference,
                  request.method, request.path)
    return response


def init_app(app):
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
