"""Mail in: the contact centre's shared mailbox becomes cases (``portal mail-import``).

``PORTAL_MAIL_IMPORT`` names the mailbox:

- ``imaps://user:password@host[:port]/INBOX``: a folder on an IMAP server, over TLS
  (characters such as ``@`` or ``/`` in the user or password percent-encoded);
- ``maildir:/path/to/Maildir`` or ``mbox:/path/to/mbox``: for tests and simple setups.

The three have one interface (:class:`LocalMailbox`, :class:`ImapMailbox`).  Each
message waiting in the inbox is read (no more of it than
``PORTAL_MAIL_IMPORT_MAX_BYTES``), taken apart (:func:`parse`), its files are
checked and stored under the upload rules, and ``casework.ImportMessage`` makes a
case of it, or adds it to the case whose reference its subject carries.  Only
after that has committed is the message moved out of the inbox, to the folder
``imported``.  The order matters: a run that dies between the two leaves the
message in the inbox and the ``MailImport`` row that says it was imported, and
the next run only moves it.  Nothing is lost and nothing imported twice.  An mbox
belongs to the mail system and is only read; the rows are all that marks it.

What cannot be read (no sender address, or a message the email package cannot take
apart) or is too large is set aside: moved to the folder ``set-aside`` (from an
mbox: copied to ``<path>.set-aside``), where a person can read it.  The log line
names the message by its place in the mailbox, never by its sender or subject,
and the rest of the batch goes on.  A message whose import fails otherwise (the
database is away) stays in the inbox for the next run.
"""
import email
import email.policy
import hashlib
import imaplib
import logging
import mailbox
import re
import ssl
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import unquote, urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from eservices import uploads
from eservices.casework import IMPORT_MESSAGE
from eservices.models import MailImport, MailOutcome
from portal.extensions import db
from portal.html import without_control_characters
from portal.i18n import languages, source_language
from portal.org.models import Department

log = logging.getLogger(__name__)

IMPORTED = "imported"      # the folder a message moves to once its case is committed
SET_ASIDE = "set-aside"    # the folder of what could not be imported
HEAD_BYTES = 64 * 1024     # what is read of a message to know it by its Message-ID
IMAP_TIMEOUT_SECONDS = 60
FILE_KINDS = ("image", "pdf")
MAILBOX_ERRORS = (OSError, mailbox.Error, imaplib.IMAP4.error)


@contextmanager
def still_there():
    """Turn the errors of a message that another run has just taken into ``Vanished``."""
    try:
        yield
    except (KeyError, FileNotFoundError) as error:
        raise Vanished from error


class NotConfigured(Exception):
    """The settings do not allow an import; the message says which one to fix."""


class Vanished(Exception):
    """The message left the inbox while it was being read (another run took it)."""


class Unreadable(Exception):
    """A message that cannot become a case; the reason is for the log and holds no personal data."""


# --- mailboxes -----------------------------------------------------------------------

class LocalMailbox:
    """A Maildir or an mbox through the standard library's ``mailbox``; handles are its keys.

    ``waiting()`` lists the handles in the inbox, ``head(handle)`` gives the start of a
    message, ``read(handle, limit)`` all of it (None when larger than ``limit``);
    ``imported(handle)`` and ``set_aside(handle)`` take it out of the inbox."""

    def __init__(self, box):
        self.box = box

    def waiting(self):
        return list(self.box.keys())

    def head(self, handle):
        return self._read(handle, HEAD_BYTES)

    def read(self, handle, limit):
        data = self._read(handle, limit + 1)
        return data if len(data) <= limit else None

    def _read(self, handle, size):
        with still_there(), self.box.get_file(handle) as message:
            return message.read(size)

    def close(self):
        self.box.close()


class MaildirMailbox(LocalMailbox):
    """The Maildir is the inbox; what is done moves to its subfolders (Maildir++)."""

    def __init__(self, path):
        super().__init__(mailbox.Maildir(path, factory=None, create=False))

    def imported(self, handle):
        self._move(handle, IMPORTED)

    def set_aside(self, handle):
        self._move(handle, SET_ASIDE)

    def _move(self, handle, folder):
        """Copy, then remove: a crash between leaves the message twice, never nowhere."""
        with still_there():
            with self.box.get_file(handle) as message:
                self.box.add_folder(folder).add(message)
            self.box.remove(handle)


class MboxMailbox(LocalMailbox):
    """An mbox belongs to the mail system that delivers to it: it is read under its lock
    (so that a message being delivered is not read half) and never changed."""

    def __init__(self, path):
        super().__init__(mailbox.mbox(path, create=False))
        self.path = path
        try:
            self.box.lock()
        except MAILBOX_ERRORS:
            self.box.close()
            raise

    def imported(self, handle):
        """Nothing to do: the ``MailImport`` row marks the message."""

    def set_aside(self, handle):
        aside = mailbox.mbox(f"{self.path}.{SET_ASIDE}")
        aside.lock()
        try:
            with still_there(), self.box.get_file(handle) as message:
                aside.add(message)
            aside.flush()
        finally:
            aside.unlock()
            aside.close()

    def close(self):
        self.box.unlock()
        super().close()


class ImapMailbox:
    """A folder on an IMAP server over TLS, with the interface of :class:`LocalMailbox`;
    handles are UIDs.  Messages are only peeked at while read; what is done is marked
    seen and moved to the folders ``imported`` and ``set-aside``, made when missing.
    A server without MOVE gets COPY, the flag \\Deleted and EXPUNGE instead."""

    def __init__(self, host, port, user, password, folder):
        self.imap = imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context(),
                                      timeout=IMAP_TIMEOUT_SECONDS)
        self.folders = set()
        try:
            self.imap.login(user, password)
            ok(self.imap.select(quoted(folder)))
        except MAILBOX_ERRORS:
            self.imap.shutdown()
            raise

    def waiting(self):
        return [uid.decode() for uid in ok(self.imap.uid("SEARCH", "UNDELETED"))[0].split()]

    def head(self, uid):
        return self._fetch(uid, "BODY.PEEK[HEADER]")

    def read(self, uid, limit):
        answer = b" ".join(part for part in ok(self.imap.uid("FETCH", uid, "(RFC822.SIZE)"))
                           if isinstance(part, bytes))
        size = re.search(rb"RFC822\.SIZE (\d+)", answer)
        if size is None:
            raise Vanished
        return self._fetch(uid, "BODY.PEEK[]") if int(size[1]) <= limit else None

    def _fetch(self, uid, item):
        for part in ok(self.imap.uid("FETCH", uid, f"({item})")):
            if isinstance(part, tuple):
                return part[1]
        raise Vanished

    def imported(self, uid):
        ok(self.imap.uid("STORE", uid, "+FLAGS", r"(\Seen)"))
        self._move(uid, IMPORTED)

    def set_aside(self, uid):
        self._move(uid, SET_ASIDE)

    def _move(self, uid, folder):
        if folder not in self.folders:
            self.imap.create(folder)   # answered "NO" when it exists, which is fine
            self.folders.add(folder)
        if "MOVE" in self.imap.capabilities:
            ok(self.imap.uid("MOVE", uid, folder))
        else:
            ok(self.imap.uid("COPY", uid, folder))
            ok(self.imap.uid("STORE", uid, "+FLAGS", r"(\Deleted)"))
            ok(self.imap.expunge())

    def close(self):
        """Log out (never CLOSE, which would expunge what a person flagged deleted)."""
        with suppress(*MAILBOX_ERRORS):
            self.imap.logout()


def ok(response):
    """The data of an IMAP answer, which must be OK."""
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"the IMAP server answered {status}")
    return data


def quoted(folder):
    return '"{}"'.format(folder.replace("\\", "\\\\").replace('"', '\\"'))


def open_mailbox(setting):
    """The mailbox that ``PORTAL_MAIL_IMPORT`` names (see the module's docstring)."""
    scheme, _colon, rest = setting.partition(":")
    if scheme == "maildir" and rest:
        return MaildirMailbox(rest)
    if scheme == "mbox" and rest:
        return MboxMailbox(rest)
    if scheme == "imaps":
        url = urlsplit(setting)
        return ImapMailbox(url.hostname, url.port or imaplib.IMAP4_SSL_PORT, unquote(url.username or ""),
                           unquote(url.password or ""), unquote(url.path.lstrip("/")) or "INBOX")
    raise NotConfigured("PORTAL_MAIL_IMPORT must be imaps://user:password@host/INBOX, "
                        "maildir:/path or mbox:/path.")


# --- taking a message apart ------------------------------------------------------------

@dataclass
class InboundMail:
    """What a case needs of one e-mail.  ``files`` are stored (``uploads.Accepted``);
    ``refused`` names the files that were not kept, each with the reason."""

    key: str
    sender: str
    sender_name: str
    subject: str
    text: str
    lang: str
    may_answer: bool
    attachments: list = field(default_factory=list)   # (name, content) still to be checked
    files: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def message_key(head):
    """What a message is known by: a digest of its Message-ID, or of its start when it has none."""
    message_id = BytesHeaderParser(policy=email.policy.compat32).parsebytes(head).get("Message-ID")
    if message_id:
        return hashlib.sha256(b"id:" + " ".join(str(message_id).split()).encode(
            "utf-8", "surrogateescape")).hexdigest()
    return hashlib.sha256(b"head:" + head).hexdigest()


def parse(raw, key):
    """The parts of a message a case needs, or ``Unreadable``.  The email package is lenient
    but raises assorted errors on some malformed messages; any of them makes the
    message unreadable, to be set aside for a person instead of stopping the batch."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        sender, sender_name = sender_of(message)
        texts, attachments = [], []
        collect(message, texts, attachments)
        return InboundMail(
            key=key, sender=sender, sender_name=sender_name, subject=clean(message["Subject"])[:200],
            text=without_control_characters("\n\n".join(t.strip() for t in texts if t.strip())),
            lang=language_of(message), may_answer=may_answer(message, sender),
            attachments=[(clean(part.get_filename()), part.get_payload(decode=True) or b"")
                         for part in attachments])
    except Unreadable:
        raise
    except Exception as error:   # see the docstring: the message is kept, not lost
        raise Unreadable(f"the email package could not read it ({type(error).__name__})") from error


def clean(value):
    """A header as one line of text, without control characters."""
    return without_control_characters(" ".join(str(value or "").split()))


def sender_of(message):
    addresses = message["From"].addresses if message["From"] else ()
    if not addresses or "@" not in addresses[0].addr_spec:
        raise Unreadable("it has no sender address")
    return addresses[0].addr_spec[:254], clean(addresses[0].display_name)[:200]


def collect(part, texts, attachments, text_wanted=True):
    """The texts of ``part`` and its other parts (files, to be checked).  Of alternatives
    only the plainest one's text is taken, but the files of all: a photo pasted into the
    HTML version is not in the plain one.  A forwarded message is taken apart too."""
    if part.is_multipart():
        children = part.get_payload()
        chosen = plainest(children) if part.get_content_type() == "multipart/alternative" else None
        for child in children:
            collect(child, texts, attachments, text_wanted and chosen in (None, child))
    elif is_text(part):
        if text_wanted:
            texts.append(text_of(part))
    else:
        attachments.append(part)


def plainest(alternatives):
    for content_type in ("text/plain", "text/html"):
        for part in alternatives:
            if part.get_content_type() == content_type:
                return part
    return alternatives[-1]   # the richest, as the sender's program ordered them


def is_text(part):
    return (part.get_content_type() in ("text/plain", "text/html") and not part.get_filename()
            and part.get_content_disposition() != "attachment")


def text_of(part):
    text = decoded(part)
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def decoded(part):
    """A text part's payload in its charset; with an unknown or wrong charset, UTF-8 or else
    Windows-1252 (what Swedish mail without a charset mostly is)."""
    data = part.get_payload(decode=True) or b""
    for charset in (part.get_content_charset(), "utf-8"):
        if charset:
            with suppress(LookupError, UnicodeDecodeError):
                return data.decode(charset)
    return data.decode("cp1252", errors="replace")


class TextOfHtml(HTMLParser):
    """What an HTML mail says: its text, a line break for each block, nothing of scripts
    and styles (which mail programs put in the HTML version)."""

    BLOCKS = {"address", "blockquote", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
              "ol", "p", "pre", "table", "tr", "ul"}
    HIDDEN = {"script", "style", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.pieces.append(data)


def html_to_text(html):
    parser = TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.pieces).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def language_of(message):
    """The language of the case (and so of what it sends): the mail's ``Content-Language``
    when the portal speaks it, else the source language."""
    tag = clean(message["Content-Language"]).split(",")[0].strip().split("-")[0].lower()
    return tag if tag in languages() else source_language()


def may_answer(message, sender):
    """Whether the sender may get an acknowledgement: not when the mail came from a machine
    (an auto-reply, a bounce, a mailing list: RFC 3834) or from the portal itself, so
    that two auto-responders never answer each other for ever."""
    automatic = (clean(message["Auto-Submitted"]).lower() not in ("", "no")
                 or clean(message["Precedence"]).lower() in ("bulk", "junk", "list")
                 or message["List-Id"] is not None or clean(message["Return-Path"]) == "<>")
    own = sender.lower() == current_app.config["MAIL_DEFAULT_SENDER"].lower()
    return not (automatic or own)


def keep_files(mail):
    """Check and store the attached files under the upload rules (images and PDF); what is
    refused is named with the reason, so that nothing is dropped without a word."""
    max_bytes = current_app.config["PORTAL_MAIL_IMPORT_FILE_MAX_BYTES"]
    for name, content in mail.attachments:
        try:
            mail.files.append(uploads.accept(FileStorage(BytesIO(content), filename=name),
                                             FILE_KINDS, max_bytes))
        except uploads.UploadRejected as refusal:
            mail.refused.append((name[:200] or _("(bilaga utan namn)"), str(refusal)))


def discard_files(mail):
    for kept in mail.files:
        uploads.delete_stored(kept.stored_name)


# --- the import ----------------------------------------------------------------------------

@dataclass
class Batch:
    """What one run did, in counts: no personal data."""

    imported: int = 0
    set_aside: int = 0
    already: int = 0
    failed: int = 0

    def __str__(self):
        return (f"Imported {self.imported} messages, set {self.set_aside} aside; {self.already} "
                f"imported before were moved; {self.failed} wait for the next run.")


def run_import():
    """Import what waits in the mailbox that ``PORTAL_MAIL_IMPORT`` names."""
    setting, centre = (current_app.config[name] for name in ("PORTAL_MAIL_IMPORT", "PORTAL_CONTACT_CENTRE"))
    if not setting:
        raise NotConfigured("PORTAL_MAIL_IMPORT names no mailbox.")
    if db.session.scalar(select(Department.id).where(Department.code == centre)) is None:
        raise NotConfigured(f"PORTAL_CONTACT_CENTRE ({centre}) is the code of no förvaltning.")
    box = open_mailbox(setting)
    try:
        return import_mailbox(box)
    finally:
        box.close()


def import_mailbox(box):
    batch = Batch()
    for handle in box.waiting():
        try:
            import_message(box, handle, batch)
        except Vanished:
            log.info("Mail import: message %s left the inbox while it was read", handle)
        except MAILBOX_ERRORS as error:
            batch.failed += 1
            log.error("Mail import: message %s could not be handled in the mailbox (%s)", handle,
                      type(error).__name__)
    return batch


def import_message(box, handle, batch):
    key = message_key(box.head(handle))
    if db.session.scalar(select(MailImport.id).where(MailImport.key == key)) is not None:
        box.imported(handle)   # a run that stopped before it could move it, or the same mail again
        batch.already += 1
        return
    raw = box.read(handle, current_app.config["PORTAL_MAIL_IMPORT_MAX_BYTES"])
    try:
        if raw is None:
            raise Unreadable("it is larger than PORTAL_MAIL_IMPORT_MAX_BYTES")
        mail = parse(raw, key)
    except Unreadable as reason:
        set_aside(box, handle, key, reason)
        batch.set_aside += 1
        return
    if import_parsed(mail, handle):
        box.imported(handle)
        batch.imported += 1
    else:
        batch.failed += 1


def import_parsed(mail, handle):
    """Make the case (or its new message); False, with the message left in the inbox, when
    that fails.  Any error counts: one message must not stop the others, and the log says
    only its kind, since error texts can quote what was being written."""
    try:
        keep_files(mail)
        IMPORT_MESSAGE.execute(mail, None)
    except Exception as error:   # see the docstring
        db.session.rollback()
        discard_files(mail)
        log.error("Mail import: message %s stays in the inbox for the next run (%s)", handle,
                  type(error).__name__)
        return False
    return True


def set_aside(box, handle, key, reason):
    """Out of the inbox first, then remembered (an mbox keeps it): a crash between at worst
    sets it aside twice."""
    box.set_aside(handle)
    db.session.add(MailImport(key=key, outcome=MailOutcome.SET_ASIDE))
    try:
        db.session.commit()
    except IntegrityError:   # another run set it aside at the same time
        db.session.rollback()
    log.warning("Mail import: message %s set aside in %r: %s", handle, SET_ASIDE, reason)
