"""Languages added after installation (``portal add-language``, the admin page).

The built-in languages (``PORTAL_LANGUAGES``) are not rows: they are served
whatever the database holds.  A row is a language the portal knows; it is
offered to the public (its URL prefix, the language switch) only while
``enabled``.  Rows are never deleted, so that what was written in a language
(cases, translations) keeps naming a language the portal knows.
"""
from datetime import datetime

from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column

from portal.auth.models import ADMIN
from portal.clock import utcnow
from portal.extensions import db
from portal.languages.tags import MAX_LENGTH, LanguageInfo


class Language(db.Model):
    __tablename__ = "language"

    code: Mapped[str] = mapped_column(String(MAX_LENGTH), primary_key=True)   # BCP 47, canonical case
    name: Mapped[str] = mapped_column(String(100))          # in the language itself
    direction: Mapped[str] = mapped_column(String(3))       # "ltr" or "rtl"
    locale: Mapped[str] = mapped_column(String(MAX_LENGTH))  # Babel's, for dates and numbers
    analyzer: Mapped[str] = mapped_column(String(40), default="")   # PyStemmer's; "" is neutral
    enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @staticmethod
    def can_manage(user):
        return user is not None and user.has_role(ADMIN)

    def info(self):
        return LanguageInfo(code=self.code, name=self.name, direction=self.direction,
                            locale=self.locale, analyzer=self.analyzer, enabled=self.enabled)
