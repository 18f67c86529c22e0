"""Departments (förvaltningar) and topics (life events).

Names are stored per language in a JSON mapping so that a language added
later needs rows, not columns; a missing language falls back to the source
language (Swedish).
"""
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.i18n import localized


class Translated:
    """Mixin for models with per-language ``names`` (and optional ``descriptions``)."""

    def name_in(self, lang=None):
        return localized(self.names, lang)


class Department(Translated, db.Model):
    """A förvaltning: owns articles, e-services and case queues."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Opening hours of the förvaltning's working days, for SLA clocks: "08:00-17:00".
    business_hours: Mapped[str] = mapped_column(String(20), default="08:00-17:00",
                                                server_default="08:00-17:00")

    def __repr__(self):
        return f"<Department {self.code}>"


class Topic(Translated, db.Model):
    """A life event ("Flytta hit", "Bygga och bo") that citizens browse by."""

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)

    def description_in(self, lang=None):
        return localized(self.descriptions, lang)

    def __repr__(self):
        return f"<Topic {self.slug}>"
