"""Changes through Open311: a posted request becomes a case, and admins make and
revoke API keys.

**A request is a felanmälan case like any other.**  :func:`submit_request`
starts a draft on the channel ``open311``, saves each page of the felanmälan
form filled from the request (``save_page``, so the answers have the web
form's shape) and runs ``SubmitCase``: the reference, due date, timeline and
the receipt to the citizen's e-mail commit together.  What only Open311 has,
the key that posted it and the picture's address, is added by
:func:`note_origin` when ``case_changed`` says the case was received, in the
same transaction.

**A picture's address is kept as given and never fetched.**  Fetching an
address a client chose would let anyone make the portal's server request
internal addresses (server-side request forgery: the database host, a cloud
metadata service) and bring unchecked files inside; the address is shown to
officers as text and given back in ``media_url``.
"""
from contextvars import ContextVar
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eservices import operations as case_operations
from eservices import registry
from eservices.models import CaseEvent, Channel
from eservices.open311 import attributes, faults
from eservices.open311.models import ApiKey, Open311Request, key_digest, new_key
from portal.actions import Action, require
from portal.auth.models import ADMIN
from portal.clock import utcnow
from portal.extensions import db

SERVICE = "felanmalan"      # the e-service whose categories are the Open311 services


@dataclass(frozen=True)
class Origin:
    key_id: int
    key_name: str
    media_url: str


# The origin of the request being submitted in this thread, for note_origin.
_origin = ContextVar("open311_origin", default=None)


def fault_service():
    return registry.get(SERVICE)


def filled_request(form, form_data):
    """The felanmälan pages filled from a valid ``RequestForm``: [(page, form, problems)]."""
    return attributes.filled_forms(fault_service(), form.values(), attributes.given_attributes(form_data),
                                   faults.active_categories())


def submit_request(key, filled, media_url, lang):
    """Make the case from the filled pages (``attributes.filled_forms``); returns it.

    Raises ``ActionRefused`` when the service refuses the answers as a whole.
    """
    service = fault_service()
    draft, _token = case_operations.start_draft(service, lang, Channel.OPEN311)
    for page, form, _problems in filled:
        case_operations.save_page(draft, page, form)
    key.last_used_at = utcnow()
    marker = _origin.set(Origin(key.id, key.name, media_url))
    try:
        case, _tracking = case_operations.SUBMIT.execute(draft, None, service=service)
    finally:
        _origin.reset(marker)
    return case


def note_origin(case_id, case=None, what=None, **extra):
    """``case_changed`` receiver: the key and picture of a case received through Open311,
    and a line in its timeline for the officers (not shown to the citizen)."""
    origin = _origin.get()
    if what != "received" or origin is None or case.channel != Channel.OPEN311:
        return
    db.session.add(Open311Request(case=case, api_key_id=origin.key_id, media_url=origin.media_url))
    text = str(_l("Inkom via Open311 från ”%(client)s”.", client=origin.key_name))
    if origin.media_url:
        text += " " + str(_l("Bild enligt klienten (öppnas inte automatiskt): %(url)s", url=origin.media_url))
    case.events.append(CaseEvent(kind="open311", text=text, public=False))


# --- API keys -----------------------------------------------------------------
def key_by_value(value):
    """The active key whose value this is, or None."""
    if not value:
        return None
    return db.session.scalar(select(ApiKey).where(ApiKey.digest == key_digest(value), ApiKey.active.is_(True)))


def store_key(name, value, user=None):
    key = ApiKey(name=name, digest=key_digest(value), created_by_id=user.id if user else None)
    db.session.add(key)
    return key


class CreateKey(Action):
    """A new key; returns ``(key, value)``: the value is shown once and never stored."""

    name = "create_api_key"

    def check(self, target, user, **context):
        require(user is not None and user.has_role(ADMIN), _l("Bara administratörer hanterar API-nycklar."))

    def apply(self, target, user, name="", **context):
        value = new_key()
        return store_key(name.strip(), value, user), value


class RevokeKey(Action):
    """Stop a key at once; it is kept so that its cases still say who posted them."""

    name = "revoke_api_key"

    def check(self, key, user, **context):
        require(user is not None and user.has_role(ADMIN), _l("Bara administratörer hanterar API-nycklar."))
        require(key.active, _l("Nyckeln är redan återkallad."))

    def apply(self, key, user, **context):
        key.active = False
        key.revoked_at = utcnow()
        return key


CREATE_KEY = CreateKey()
REVOKE_KEY = RevokeKey()
