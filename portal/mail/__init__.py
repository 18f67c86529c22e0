"""Outgoing mail: ``send``, ``render``, ``deliver_pending``.

Every message goes through the outbox (:class:`MailOutbox`).  ``send`` renders
it in the recipient's language, writes the row and commits, and only then hands
it to the mail server: the message is recorded together with the change it
tells about, and a failed delivery waits for a retry instead of being lost.
Within a web request the delivery happens after the view, like the search
outbox's drain; ``portal serve`` retries waiting mail in the background and
``portal mail-deliver`` does it from the command line.

Nothing is sent twice: a row is claimed (``waiting`` → ``sending``) in a
committed update that only one deliverer can win, before the server sees the
message.  A delivery that dies half-way leaves the row ``sending``; it is
counted by ``portal mail-deliver`` and never resent blindly.

Flask-Mailman does the SMTP work.  It is maintained, carries Django's
well-tried mail code (multipart messages, header-injection checks, one
connection for many messages) and reads the ``MAIL_*`` settings that
``portal.config`` fills from the ``PORTAL_MAIL_*`` environment variables.
"""
import logging
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g, has_request_context, render_template
from flask_mailman import EmailMultiAlternatives, Mail
from sqlalchemy import func, select, update

from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import force_language, served_language
from portal.mail.models import MailAttachment, MailOutbox, MailState
from portal.privacy import scrub

log = logging.getLogger(__name__)
mailman = Mail()

# The wait after the first, second, … failed attempt; the attempt after the last wait is the last.
RETRY_DELAYS = tuple(timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
NOT_CONFIGURED = ("No mail server is configured (PORTAL_MAIL_SERVER): "
                  "mail is recorded in the outbox and not sent.")


DELIVER_EVERY_SECONDS = 30


def init_app(app):
    from portal.tasks import register_periodic

    mailman.init_app(app)
    app.after_request(_deliver_after_request)
    register_periodic(app, "mail outbox", deliver_pending, DELIVER_EVERY_SECONDS)


def is_configured():
    return bool(current_app.config["MAIL_SERVER"])


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def render(template, lang, **context) -> RenderedMail:
    """Render ``<template>.subject.txt``, ``<template>.txt`` and ``<template>.html`` in ``lang``.

    The templates get ``lang`` besides ``context``, the bodies also ``subject``.  Links made with
    ``url_for(..., _external=True)`` start with ``PORTAL_BASE_URL``, never with
    the host of the request being served.  Only the HTML body is autoescaped.
    A language no longer served is written in the source language instead.
    """
    lang = served_language(lang)
    with _recipient_context(lang):
        subject = " ".join(render_template(f"{template}.subject.txt", lang=lang, **context).split())
        return RenderedMail(
            subject=subject,
            text=render_template(f"{template}.txt", lang=lang, subject=subject, **context),
            html=render_template(f"{template}.html", lang=lang, subject=subject, **context))


@contextmanager
def _recipient_context(lang):
    """Render as for a page in ``lang`` requested at the portal's public address.

    The request context shares ``g`` with a request being served, so that
    request's language is put back afterwards (by ``force_language``).
    """
    base_url = current_app.config["PORTAL_BASE_URL"]
    with current_app.test_request_context(f"/{lang}/", base_url=base_url), force_language(lang):
        yield


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def send(to, template, lang, **context) -> MailOutbox:
    """Send a message rendered from ``template`` in ``lang`` to the address ``to``.

    Returns the outbox row.  The row is committed before the mail server is
    contacted, and that commit also commits what the caller has changed: call
    ``send`` once the change the message tells about is complete.  Outside a
    request the message is delivered at once, within one after the view.  If
    the delivery fails the row waits for :func:`deliver_pending`.  ``attachments``
    (a list of :class:`Attachment`) wait in the outbox with the message.
    """
    row = queue(to, template, lang, **context)
    db.session.commit()
    if not has_request_context():
        _deliver([row.id], utcnow())
    return row


def queue(to, template, lang, attachments=(), **context) -> MailOutbox:
    """Add a message to the outbox in the caller's transaction, without committing.

    For a change made as one action (``portal.actions``): the message commits
    with the change or not at all.  Within a request it is delivered after the
    view; elsewhere by the next :func:`deliver_pending` (``portal serve`` runs
    it every half minute).
    """
    rendered = render(template, lang, **context)
    row = MailOutbox(recipient=to, template=template, language=lang, subject=rendered.subject,
                     body_text=rendered.text, body_html=rendered.html,
                     attachments=[MailAttachment(filename=a.filename, content_type=a.content_type, data=a.data)
                                  for a in attachments])
    db.session.add(row)
    db.session.flush()
    if has_request_context():
        g.setdefault("mail_queued", []).append(row.id)
    return row


def deliver_pending(now=None) -> int:
    """Deliver the waiting mail whose next attempt is due by ``now``; returns how many went out.

    A failed attempt sets the next one ``RETRY_DELAYS`` later; after
    ``MAX_ATTEMPTS`` the row is ``failed`` and left alone.  Safe to run in
    several threads or processes at once.
    """
    now = now or utcnow()
    due = db.session.scalars(select(MailOutbox.id).where(
        MailOutbox.state == MailState.WAITING, MailOutbox.next_attempt_at <= now)
        .order_by(MailOutbox.id)).all()
    return _deliver(due, now)


def outbox_counts():
    """The number of outbox rows in each state."""
    rows = db.session.execute(select(MailOutbox.state, func.count()).group_by(MailOutbox.state))
    return {MailState(state): count for state, count in rows}


def _deliver_after_request(response):
    queued = g.pop("mail_queued", None)
    if queued:
        _deliver(queued, utcnow())
    return response


def _deliver(row_ids, now):
    """Send the rows over one connection, stopping at the first failure.

    The rows after a failure are not charged an attempt: they are still due
    for the next :func:`deliver_pending`.
    """
    if not row_ids or not is_configured():
        return 0
    connection = mailman.get_connection()
    sent = 0
    try:
        for row_id in row_ids:
            row = _claim(row_id, now)
            if row is None:
                continue
            try:
                connection.open()
                connection.send_messages([_message(row)])
            except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; bad addresses ValueErrors
                _record_failure(row, error, now)
                break
            _record_sent(row)
            sent += 1
    finally:
        with suppress(OSError):
            connection.close()
    return sent


def _claim(row_id, now):
    """The row, marked ``sending`` and committed; None if it is not due or another deliverer has it."""
    claimed = db.session.execute(
        update(MailOutbox)
        .where(MailOutbox.id == row_id, MailOutbox.state == MailState.WAITING,
               MailOutbox.next_attempt_at <= now)
        .values(state=MailState.SENDING, attempts=MailOutbox.attempts + 1)).rowcount
    db.session.commit()
    return db.session.get(MailOutbox, row_id) if claimed else None


def _message(row):
    message = EmailMultiAlternatives(row.subject, row.body_text, to=[row.recipient])
    message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment.filename, attachment.data, attachment.content_type)
    return message


def _record_sent(row):
    row.state = MailState.SENT
    row.sent_at = utcnow()
    _drop_bodies(row)
    db.session.commit()


def _record_failure(row, error, now):
    """Keep the error (without addresses, also in the log) and plan the next attempt, if any."""
    row.last_error = scrub(f"{type(error).__name__}: {error}")[:500]
    if row.attempts >= MAX_ATTEMPTS:
        row.state = MailState.FAILED
        _drop_bodies(row)
        log.error("Mail %d (%s) given up after %d attempts: %s",
                  row.id, row.template, row.attempts, row.last_error)
    else:
        row.state = MailState.WAITING
        row.next_attempt_at = now + RETRY_DELAYS[row.attempts - 1]
        log.warning("Mail %d (%s) not delivered, attempt %d of %d: %s",
                    row.id, row.template, row.attempts, MAX_ATTEMPTS, row.last_error)
    db.session.commit()


def _drop_bodies(row):
    """The bodies may hold personal data; once the message is sent or given up nobody needs them."""
    row.body_text = row.body_html = None
    row.attachments.clear()
