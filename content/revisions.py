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

SCHEMA_VERSION = 2
AGENT_TEXTS = ("notes", "script")   # Markdown parts of the agent layer
AGENT_PARTS = ("notes", "script", "checklist")   # each with its own "reviewed" date
# The parts of the source text whose change makes a translation outdated.
SOURCE_PARTS = ("title", "summary", "body", "keywords", "opening_hours")


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
class AgentText:
    """The agent layer in another language (internal, like the layer itself)."""

    notes: str = ""
    script: str = ""
    checklist: list[str] = field(default_factory=list)


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
    translated_from: dict[str, int] = field(default_factory=dict)   # lang → revision id
    agent_translations: dict[str, AgentText] = field(default_factory=dict)   # by language

    def text(self, lang):
        """The text in ``lang``, else in the source language (or None if neither)."""
        return self.texts.get(lang) or self.texts.get(source_language())

    def text_language(self, lang):
        return lang if lang in self.texts else source_language()

    @property
    def source_text(self):
        return self.texts.get(source_language())

    def origin(self, lang, own_revision_id):
        """The id of the revision whose source text the ``lang`` text translates
        (the revision holding this content when none is recorded)."""
        return self.translated_from.get(lang, own_revision_id)

    def keep_origins(self, previous, previous_id):
        """Keep where each translation came from when its text is the one in
        ``previous`` (the content of revision ``previous_id``); a changed or new
        translation gets none, so it reads as made from the revision it is saved
        in: an editor who writes it translates what they save."""
        self.translated_from = {
            lang: previous.origin(lang, previous_id) for lang, text in self.texts.items()
            if previous is not None and lang != source_language() and previous.texts.get(lang) == text}
        return self

    def stamp_origins(self, revision_id):
        """Write down every translation's origin, reading the unrecorded ones as made
        from ``revision_id`` (the revision this content comes from), before the
        content is copied into another revision."""
        self.translated_from = {lang: self.origin(lang, revision_id) for lang in self.texts
                                if lang != source_language()}
        return self

    def agent_text(self, lang):
        """The agent layer's text in ``lang`` (None when it has no translation)."""
        return None if lang == source_language() else self.agent_translations.get(lang)

    def agent_part(self, part, lang):
        """(value, language) of a part of the agent layer (``AGENT_PARTS``): in ``lang``
        where it is translated, else the source's."""
        translated = getattr(self.agent_text(lang), part, None)
        return (translated, lang) if translated else (getattr(self.agent, part), source_language())

    def to_json(self):
        data = asdict(self)
        data["schema"] = SCHEMA_VERSION
        data["translations"] = data.pop("texts")
        data["translated_from"] = {lang: int(origin) for lang, origin in self.translated_from.items()}
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
                                      "review_before", "translated_from", "agent_translations"}),
            texts={lang: Text(**t) for lang, t in texts.items()},
            contact=Contact(**_known(Contact, data.get("contact") or {})),
            agent=AgentLayer(**_known(AgentLayer, data.get("agent") or {})),
            publish_at=_datetime(data.get("publish_at")),
            unpublish_at=_datetime(data.get("unpublish_at")),
            review_before=date.fromisoformat(data["review_before"]) if data.get("review_before") else None,
            translated_from={lang: int(origin) for lang, origin in (data.get("translated_from") or {}).items()},
            agent_translations={lang: AgentText(**_known(AgentText, a))
                                for lang, a in (data.get("agent_translations") or {}).items()},
        )


def _known(cls, data, skip=()):
    """The entries of ``data`` that ``cls`` has fields for."""
    names = {f.name for f in fields(cls)} - set(skip)
    return {key: value for key, value in data.items() if key in names}


def _datetime(value):
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def source_changed(old, new):
    """True when the source text differs between two revisions' content in a part
    a translation renders (not its address, topics or contact details)."""
    before, after = old.source_text, new.source_text
    return any(getattr(before, part, None) != getattr(after, part, None) for part in SOURCE_PARTS)
