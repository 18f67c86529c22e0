"""Interface translations saved in the browser.

A row is one save of one message in one language.  Rows are only ever added,
never changed or deleted: the newest row of a message is its translation, the
older ones are its history, and the number of rows of a language is a version
number that grows with every committed save (what ``runtime`` compares to
know that its catalogue is out of date, in every process).
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import ADMIN, User
from portal.clock import utcnow
from portal.extensions import db


class InterfaceTranslation(db.Model):
    __tablename__ = "interface_translation"
    __table_args__ = (Index("ix_interface_translation_language_id", "language", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(35))     # a BCP 47 code
    context: Mapped[str] = mapped_column(String(200), default="", server_default="")
    msgid: Mapped[str] = mapped_column(Text)              # the Swedish source (its singular)
    # One text, or one per plural form of the language (Babel's plural rules).
    forms: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")


def can_translate(user, language):
    """Translators of ``language`` may translate its interface; admins every language's."""
    return bool(user and user.is_authenticated
                and (ADMIN in user.roles or language in user.languages()))
