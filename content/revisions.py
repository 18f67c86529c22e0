"""The content of an article revision: one typed schema, stored as JSON.

Every module that reads or writes a revision (the form, the demo loader, the
diff, rendering, the search provider, templates) goes through
:class:`RevisionData` instead of spelling dictionary keys.  The stored JSON
carries ``schema`` (its version); :meth:`RevisionData.from_json` reads every
version there has been, so old revisions stay readable when the schema grows.
"""
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime

from portal.i18n import source_language

SCHEMA_VERSION = 1
AGENT_TEXTS = ("notes", "script")   # Markdown parts of the agent layer
AGENT_PARTS = ("notes", "script", "checklist")   # each with its own "reviewed" date


@dataclass
class Text:
    """The public text in one language."""

    title: str
    slug: str
    summary: str = ""
    body: str = ""   # Markdown
    keywords: list[str] = field(default_factory=list)
    opening_hours: str = ""


@dataclass
class Contact:
    phone: str = ""
    email: str = ""


@dataclass
class AgentLayer:
    """What only the contact centre sees: notes, a call script and a checklist,
    each with the date someone last confirmed it (ISO date, or "")."""

    notes: str = ""
    script: str = ""
    checklist: list[str] = field(default_factory=list)
    notes_reviewed: str = ""
    script_reviewed: str = ""
    checklist_reviewed: str = ""

    def reviewed(self, part):
        return getattr(self, f"{part}_reviewed")


@dataclass
class RevisionData:
    department_id: int
    texts: dict[str, Text] = field(default_factory=dict)   # by language
    topics: list[str] = field(default_factory=list)          # topic slugs
    rosa_level: int = 1
    contact: Contact = field(default_factory=Contact)
    eservices: list[str] = field(default_factory=list)       # e-service codes
    related: list[int] = field(default_factory=list)         # article ids
    agent: AgentLayer = field(default_factory=AgentLayer)
    publish_at: datetime | None = None     # naive UTC
    unpublish_at: datetime | None = None   # naive UTC
    review_before: date | None = None

    def text(self, lang):
        """The text in ``lang``, else in the source language (or None if neither)."""
        return self.texts.get(lang) or self.texts.get(source_language())

    def text_language(self, lang):
        return lang if lang in self.texts else source_language()

    @property
    def source_text(self):
        return self.texts.get(source_language())

    def to_json(self):
        data = asdict(self)
        data["schema"] = SCHEMA_VERSION
        data["translations"] = data.pop("texts")
        for name in ("publish_at", "unpublish_at", "review_before"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else ""
        return data

    @classmethod
    def from_json(cls, data):
        """Read stored JSON of any schema version (revisions are never rewritten)."""
        data = dict(data)
        data.pop("schema", None)
        texts = {lang: _known(Text, t) for lang, t in data.pop("translations", {}).items()}
        return cls(
            **_known(cls, data, skip={"texts", "contact", "agent", "publish_at", "unpublish_at",
                                      "review_before"}),
            texts={lang: Text(**t) for lang, t in texts.items()},
            contact=Contact(**_known(Contact, data.get("contact") or {})),
            agent=AgentLayer(**_known(AgentLayer, data.get("agent") or {})),
            publish_at=_datetime(data.get("publish_at")),
            unpublish_at=_datetime(data.get("unpublish_at")),
            review_before=date.fromisoformat(data["review_before"]) if data.get("review_before") else None,
        )


def _known(cls, data, skip=()):
    """The entries of ``data`` that ``cls`` has fields for."""
    names = {f.name for f in fields(cls)} - set(skip)
    return {key: value for key, value in data.items() if key in names}


def _datetime(value):
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
