"""Telling the citizen about their case the way they chose: e-mail, SMS, or only
the tracking page.  Everything is queued in the caller's transaction (the
mail outbox, the SMS outbox), so a message exists exactly when the change it
tells about does.

SMS go through a pluggable sender: ``PORTAL_SMS_SENDER`` names a function
``send(to, text)`` (``module:function``); the default only writes to the log
that a message went out, without the number or the text, so that a
municipality without an SMS gateway loses nothing: the rows stay in
``sms_outbox`` for the record.
"""
import importlib
import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from eservices.models import NotifyBy, SmsMessage
from portal import mail
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import force_language, left_to_right_text, served_language
from portal.links import public_url

log = logging.getLogger(__name__)
SMS_EVERY_SECONDS = 30


def tracking_url(case):
    return public_url("eservices.track", token=case.tracking_token, lang_code=served_language(case.lang))


def case_words(case):
    """The reference and the tracking link for an SMS, held left to right in a
    right-to-left language (see ``left_to_right_text``)."""
    return {"reference": left_to_right_text(case.reference), "url": left_to_right_text(tracking_url(case))}


def receipt(case):
    _tell(case, "eservices/mail/receipt",
          lambda: _("Vi har tagit emot ditt ärende %(reference)s. Följ det här: %(url)s",
                    **case_words(case)))


def acknowledgement(case):
    """The answer to an e-mail that became a case: the receipt, by e-mail whatever the case
    says, since that is how the person wrote, with a word on answering by e-mail."""
    mail.queue(case.contact_email, "eservices/mail/receipt", case.lang, case=case,
               tracking_url=tracking_url(case), answer_by_mail=True)


def news(case):
    _tell(case, "eservices/mail/news",
          lambda: _("Nytt i ditt ärende %(reference)s: %(url)s", **case_words(case)))


def decision(case):
    _tell(case, "eservices/mail/decision",
          lambda: _("Beslut i ditt ärende %(reference)s: %(url)s", **case_words(case)))


def message(case, text):
    """An officer's message to the citizen: the whole text by e-mail; by SMS the
    first part and the link (the message is always on the tracking page).  The
    message of a confidential case stays on the tracking page: mail and SMS only
    point there."""
    def sms_text():
        if case.confidential:
            return _("Nytt meddelande i ditt ärende %(reference)s: %(url)s", **case_words(case))
        return _("Meddelande i ärende %(reference)s: %(text)s Läs mer: %(url)s",
                 text=shortened(text), **case_words(case))
    _tell(case, "eservices/mail/message", sms_text, text=text)


def shortened(text, length=200):
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …"


def _tell(case, template, sms_text, **context):
    if case.notify_by == NotifyBy.EMAIL and case.contact_email:
        mail.queue(case.contact_email, template, case.lang, case=case, tracking_url=tracking_url(case),
                   **context)
    elif case.notify_by == NotifyBy.SMS and case.contact_phone:
        with force_language(served_language(case.lang)):
            text = sms_text()
        db.session.add(SmsMessage(to=case.contact_phone, text=text, case_id=case.id))


def deliver_sms():
    """Hand the waiting text messages to the configured sender; returns how many went."""
    sender = _sender()
    waiting = db.session.scalars(select(SmsMessage).where(SmsMessage.sent_at.is_(None))
                                 .order_by(SmsMessage.id)).all()
    for message in waiting:
        sender(message.to, message.text)
        message.sent_at = utcnow()
        db.session.commit()
    return len(waiting)


def log_sender(to, text):
    log.info("SMS handed over (%d characters); no SMS gateway is configured", len(text))


def _sender():
    path = current_app.config["PORTAL_SMS_SENDER"]
    if not path:
        return log_sender
    module, _sep, name = path.partition(":")
    return getattr(importlib.import_module(module), name)
