"""Departments (förvaltningar) and topics (life events).

Names are stored per language in a JSON mapping so that a language added
later needs rows, not columns; a missing language falls back to the source
language (Swedish).
"""
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.i18n import localized, source_language
from portal.urls import slugify


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
    # Employees, entered by the manager: the base part of the statistics' cost-allocation key.
    employees: Mapped[int | None]

    def __repr__(self):
        return f"<Department {self.code}>"


class Topic(Translated, db.Model):
    """A topic ("Bygga och bo", "Flytta hit") that citizens browse by.

    ``slug`` is its address in the source language; other languages' addresses
    are made from the topic's name in that language (``/en/topic/housing-and-building``).
    """

    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    names: Mapped[dict] = mapped_column(JSON, default=dict)
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)

    def description_in(self, lang=None):
        return localized(self.descriptions, lang)

    def slug_in(self, lang):
        """The topic's address word in ``lang``: the source language's ``slug``, else
        made from its name in ``lang``; ``slug`` again when it has no such name."""
        name = self.names.get(lang)
        return slugify(name) if lang != source_language() and name else self.slug

    def __repr__(self):
        return f"<Topic {self.slug}>"
