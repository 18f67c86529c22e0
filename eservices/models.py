"""Cases (ärenden) and what belongs to them, and forms on their way to becoming one.

A **case** is what a submission (or, with the case-handling work, an agent's
contact) becomes: a readable reference, the service and its answers, the
förvaltning and officer it is assigned to, a status, a due date from the
service's handling time, its files, and a timeline of what happened, some of
it shown to the citizen.  The citizen follows it through a private link with
an unguessable token (later messages link to it too, so the token is kept).

A **draft** holds the answers of a form being filled in, page by page, with
the files already uploaded, so that nothing typed is lost after an error and a
long form can be resumed through a private link.

Personal data lives in ``answers``, the contact fields and the files; lists
show masked values, and nothing of it goes into URLs or logs.
"""
import hashlib
import re
import secrets
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.auth.models import AGENT, MANAGER, OFFICER, User
from portal.clock import utcnow
from portal.database import LanguageTag, string_enum
from portal.extensions import db
from portal.org.models import Department


def token_digest(token):
    """What is stored of a resume link's token: a leaked table opens no draft."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(24)


class Channel(StrEnum):
    """How the contact came in."""

    WEB = "webb"
    PHONE = "telefon"
    VISIT = "besok"
    EMAIL = "epost"
    CHAT = "chatt"
    LETTER = "brev"
    OPEN311 = "open311"

    @property
    def label(self):
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {Channel.WEB: _l("Webb"), Channel.PHONE: _l("Telefon"), Channel.VISIT: _l("Besök"),
                  Channel.EMAIL: _l("E-post"), Channel.CHAT: _l("Chatt"), Channel.LETTER: _l("Brev"),
                  Channel.OPEN311: _l("Open311")}


class CaseStatus(StrEnum):
    """Where a case is.  ``NEW``: nobody has taken it; ``FORWARDED``: an agent handed
    it to a förvaltning, which has not acknowledged it yet; ``WAITING``: waiting for
    the citizen (the SLA clock stands still); ``SOLVED``: done, and the citizen may
    reopen it for a while; ``CLOSED``: done for good."""

    NEW = "new"
    OPEN = "open"
    FORWARDED = "forwarded"
    WAITING = "waiting"
    SOLVED = "solved"
    CLOSED = "closed"
    REOPENED = "reopened"

    @property
    def label(self):
        """In plain language, as the citizen reads it on the tracking page."""
        return STATUS_LABELS[self]

    @property
    def is_open(self):
        return self not in (CaseStatus.SOLVED, CaseStatus.CLOSED)

    @property
    def staff_label(self):
        """The short name officers use in queues and on the case page."""
        return STAFF_STATUS_LABELS[self]


STATUS_LABELS = {
    CaseStatus.NEW: _l("Mottaget – ingen har börjat med ärendet än"),
    CaseStatus.OPEN: _l("Handläggs"),
    CaseStatus.FORWARDED: _l("Skickat vidare till den förvaltning som ska handlägga det"),
    CaseStatus.WAITING: _l("Väntar på komplettering från dig"),
    CaseStatus.SOLVED: _l("Klart"),
    CaseStatus.CLOSED: _l("Avslutat"),
    CaseStatus.REOPENED: _l("Öppnat igen"),
}
STAFF_STATUS_LABELS = {
    CaseStatus.NEW: _l("Nytt"), CaseStatus.OPEN: _l("Handläggs"), CaseStatus.FORWARDED: _l("Vidarebefordrat"),
    CaseStatus.WAITING: _l("Väntar på invånaren"), CaseStatus.SOLVED: _l("Löst"),
    CaseStatus.CLOSED: _l("Avslutat"), CaseStatus.REOPENED: _l("Öppnat igen"),
}
OPEN_STATUSES = tuple(status for status in CaseStatus if status.is_open)


class Outcome(StrEnum):
    """How a case ended (first-contact resolution and referrals count in the statistics)."""

    FIRST_CONTACT = "first_contact"
    REFERRED = "referred"
    GRANTED = "granted"
    DENIED = "denied"
    SOLVED = "solved"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.FIRST_CONTACT: _l("Löst vid första kontakten"), Outcome.REFERRED: _l("Hänvisat till annan myndighet"),
    Outcome.GRANTED: _l("Bifall"), Outcome.DENIED: _l("Avslag"), Outcome.SOLVED: _l("Löst"),
    Outcome.DUPLICATE: _l("Dubblett"), Outcome.WITHDRAWN: _l("Återkallat"),
}


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self):
        return list(Priority).index(self)

    @property
    def label(self):
        return PRIORITY_LABELS[self]


PRIORITY_LABELS = {Priority.LOW: _l("Låg"), Priority.NORMAL: _l("Normal"), Priority.HIGH: _l("Hög"),
                   Priority.URGENT: _l("Brådskande")}


class NotifyBy(StrEnum):
    """How the citizen wants to hear about the case."""

    EMAIL = "email"
    SMS = "sms"
    PAGE = "page"


def email_key(address):
    """An e-mail address as the agents' lookup compares it: without case."""
    return (address or "").strip().lower()


def phone_key(number):
    """A phone number as the agents' lookup compares it: its digits as dialled in
    Sweden, so that 070-123 45 67, 0701234567, +46 70 123 45 67, +46 (0)70-123 45 67
    and 0046701234567 are one number.  Other countries' numbers keep their code."""
    text = (number or "").strip()
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0046"):
        national = digits[4:]
    elif digits.startswith("46") and not text.startswith("0"):
        national = digits[2:]
    else:
        return digits
    return "0" + national.removeprefix("0")


def _key_of(column, normalise):
    """A column default that keeps a lookup key for rows inserted without the ORM
    (bulk loads); ORM changes keep it through ``Case._keep_lookup_keys``."""
    def default(context):
        return normalise(context.get_current_parameters().get(column) or "")
    return default


class CaseCounter(db.Model):
    """The last reference number given in a year; numbers are taken inside the
    transaction that writes the case, so none is given twice."""

    __tablename__ = "case_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    service_code: Mapped[str | None] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CaseStatus] = mapped_column(string_enum(CaseStatus, 24), default=CaseStatus.NEW,
                                               index=True)
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, 24), default=Channel.WEB)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confidential: Mapped[bool] = mapped_column(default=False, server_default=false())
    retention: Mapped[str] = mapped_column(String(40), default="")
    lang: Mapped[str] = mapped_column(LanguageTag)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    decision: Mapped[dict] = mapped_column(JSON, default=dict)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # The contact fields as the agents' lookup finds them (``email_key``, ``phone_key``).
    contact_email_key: Mapped[str] = mapped_column(String(254), index=True, server_default="",
                                                   default=_key_of("contact_email", email_key))
    contact_phone_key: Mapped[str] = mapped_column(String(40), index=True, server_default="",
                                                   default=_key_of("contact_phone", phone_key))
    notify_by: Mapped[NotifyBy] = mapped_column(string_enum(NotifyBy, 24), default=NotifyBy.PAGE)
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    place: Mapped[str] = mapped_column(String(300), default="")
    # What the contact was about: "topic:<slug>" or "eservice:<code>" (the statistics' type).
    question_type: Mapped[str] = mapped_column(String(80), default="", index=True)
    rosa_level: Mapped[int | None]
    priority: Mapped[Priority] = mapped_column(string_enum(Priority, 16), default=Priority.NORMAL)
    outcome: Mapped[Outcome | None] = mapped_column(string_enum(Outcome, 24))
    referred_to: Mapped[str] = mapped_column(String(120), default="")
    # An agent's handover to the förvaltning: asked, answered, needs, reach.
    handover: Mapped[dict] = mapped_column(JSON, default=dict)
    linked_articles: Mapped[list] = mapped_column(JSON, default=list)   # article ids
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # SLA clocks (see ``clocks.py``): the moments, in naive UTC, by which the
    # förvaltning should first answer and should be done (None while paused).
    clock_started_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    # The response deadline that was running when the first response came (the
    # statistics' "first response within SLA"; ``response_due_at`` is cleared then).
    first_response_due_at: Mapped[datetime | None]
    response_due_at: Mapped[datetime | None] = mapped_column(index=True)
    solution_due_at: Mapped[datetime | None] = mapped_column(index=True)
    solution_warn_at: Mapped[datetime | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The officers' queue: a förvaltning's cases in some statuses, the solved and
        # closed ones newest first, the open ones by urgency.  The index holds what the
        # urgency is made of, so the queue counts, filters and sorts a page's ids in the
        # index alone and reads only the rows it shows (``queries.queue``).
        Index("ix_cases_queue", "department_id", "status", "closed_at", "id", "response_due_at",
              "solution_due_at", "solution_warn_at", "priority"),
        # The statistics' e-mail figures (KKiK): a channel's cases of a period.
        Index("ix_cases_channel_created_at", "channel", "created_at"),
        # The cost-allocation key: the cases closed in a period per förvaltning and type,
        # counted in the index alone.
        Index("ix_cases_department_closed_type", "department_id", "closed_at", "question_type"),
        # The statistics' overdue-now: the open cases' deadlines per förvaltning, in the index alone.
        Index("ix_cases_open_deadlines", "status", "department_id", "response_due_at", "solution_due_at"),
        # An officer's own cases (the queue's "Mina ärenden").
        Index("ix_cases_assignee", "department_id", "assigned_to_id", "status", "closed_at", "id"),
        # The duplicates of a case (its page lists them; deleting it clears their link).
        # Few cases are duplicates: the index holds only those.
        Index("ix_cases_duplicate_of_id", "duplicate_of_id", sqlite_where=sql_text("duplicate_of_id IS NOT NULL"),
              postgresql_where=sql_text("duplicate_of_id IS NOT NULL")),
    )

    department: Mapped[Department] = relationship(lazy="joined")
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id")
    files: Mapped[list["CaseFile"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseFile.id")
    pauses: Mapped[list["CasePause"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CasePause.id")
    duplicate_of: Mapped["Case | None"] = relationship(remote_side=[id], back_populates="duplicates")
    # The cases closed as duplicates of this one: their citizens hear when it is solved.
    duplicates: Mapped[list["Case"]] = relationship(back_populates="duplicate_of", order_by="Case.id")

    def public_events(self):
        return [event for event in self.events if event.public]

    @property
    def open_pause(self):
        return next((pause for pause in self.pauses if pause.ended_at is None), None)

    @validates("contact_email", "contact_phone")
    def _keep_lookup_keys(self, name, value):
        if name == "contact_email":
            self.contact_email_key = email_key(value)
        else:
            self.contact_phone_key = phone_key(value)
        return value

    # --- permissions ------------------------------------------------------------
    def can_view(self, user):
        """Reading: those who may handle it; the contact centre (agents and the
        manager) too, since callers ask about any case, unless it is confidential."""
        if not (user and user.is_authenticated):
            return False
        return self.can_handle(user) or (not self.confidential and user.has_role(AGENT, MANAGER))

    def can_handle(self, user):
        """The owning förvaltning's officers; admins too unless the case is confidential
        (health data and the like: only the förvaltning's own officers)."""
        if not (user and user.is_authenticated):
            return False
        if self.confidential:
            return self.department_id in user.department_ids(OFFICER)
        return user.acts_for_department(OFFICER, self.department_id)


class CaseEvent(db.Model):
    """One line of a case's timeline.  ``public`` lines are shown to the citizen;
    ``data`` holds what the kind of event needs (the förvaltningar of a reroute,
    the channel a message went through)."""

    # The lines the citizen wrote: shown to them, never to the public (Open311).
    CITIZEN_KINDS = frozenset({"message_in", "reopened"})

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()
    # The files sent with a message (a citizen's reply through the tracking page).
    files: Mapped[list["CaseFile"]] = relationship(back_populates="event", order_by="CaseFile.id")

    @property
    def from_citizen(self):
        return self.kind in self.CITIZEN_KINDS


class CasePause(db.Model):
    """A time the case waited for the citizen: its SLA clock stood still."""

    __tablename__ = "case_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(back_populates="pauses")


class CaseRead(db.Model):
    """Who opened a case, and when: access to personal data must be traceable."""

    __tablename__ = "case_read"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    what: Mapped[str] = mapped_column(String(40), default="case")   # "case" or "file:<id>"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredFile:
    """A file kept under a random name in ``PORTAL_UPLOAD_DIR`` (see ``uploads.py``)."""

    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int]
    field: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseFile(StoredFile, db.Model):
    __tablename__ = "case_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # The message the file came with; None for the files sent with the form.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_event.id", ondelete="SET NULL"), index=True)

    case: Mapped[Case] = relationship(back_populates="files")
    event: Mapped[CaseEvent | None] = relationship(back_populates="files")


class FormDraft(db.Model):
    """A form being filled in.  Found by the digest of the token in the person's
    session or in the private resume link; deleted when submitted or expired."""

    __tablename__ = "form_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    service_code: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(LanguageTag)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)   # page name → {field: value}
    channel: Mapped[Channel] = mapped_column(string_enum(Channel, 24), default=Channel.WEB)
    acting_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    files: Mapped[list["DraftFile"]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="DraftFile.id")

    def files_for(self, field):
        return [f for f in self.files if f.field == field]


class DraftFile(StoredFile, db.Model):
    __tablename__ = "draft_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    gps: Mapped[list | None] = mapped_column(JSON)   # [lat, lon] read from a photo
    draft_id: Mapped[int] = mapped_column(ForeignKey("form_draft.id", ondelete="CASCADE"), index=True)

    draft: Mapped[FormDraft] = relationship(back_populates="files")


class SmsMessage(db.Model):
    """A text message to a citizen, kept until the SMS sender has taken it."""

    __tablename__ = "sms_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class SlaDigest(db.Model):
    """That a förvaltning's SLA digest went out on a day (``portal sla-check`` runs
    from cron and must not send it twice)."""

    __tablename__ = "sla_digest"
    __table_args__ = (UniqueConstraint("department_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    day: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Mail in (``mailin.py``) ---------------------------------------------------------
class MailOutcome(StrEnum):
    IMPORTED = "imported"
    SET_ASIDE = "set_aside"


class MailImport(db.Model):
    """A message taken from the contact centre's shared mailbox, known by a digest of its
    Message-ID (or of its start when it has none), never by anything a person wrote.

    The row is written in the transaction that makes the case, and the mailbox is
    told only after that commit: a run that dies in between leaves the message in
    the mailbox and this row, and the next run sees the row and imports nothing
    twice.  An mbox is never written to, so for it this table is all there is.
    The unique key also stops two runs at once (cron and ``portal serve``) from
    importing one message twice."""

    __tablename__ = "mail_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    outcome: Mapped[MailOutcome] = mapped_column(string_enum(MailOutcome, 16))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
