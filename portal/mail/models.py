"""The mail outbox: one row per message, written before it is delivered.

A row keeps what was sent to whom and when (recipient, subject, template,
language, times, attempts, the last error).  The rendered bodies are kept only
while the message waits: receipts to citizens and notes to case officers carry
personal data, and the template name and subject already tell what was sent.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import LanguageTag
from portal.clock import utcnow
from portal.extensions import db


class MailState(StrEnum):
    WAITING = "waiting"  # not sent yet, or a delivery failed and will be tried again
    SENDING = "sending"  # claimed by one deliverer; no other one picks it up
    SENT = "sent"
    FAILED = "failed"  # every attempt failed


class MailOutbox(db.Model):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=MailState.WAITING, index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    template: Mapped[str] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(LanguageTag)
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    attachments: Mapped[list["MailAttachment"]] = relationship(
        cascade="all, delete-orphan", order_by="MailAttachment.id")

    def __repr__(self):
        return f"<MailOutbox {self.id} {self.template} {self.state}>"


class MailAttachment(db.Model):
    """A file sent with a message; dropped with the bodies once the message is sent or given up."""

    __tablename__ = "mail_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("mail_outbox.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    data: Mapped[bytes] = mapped_column(LargeBinary)
