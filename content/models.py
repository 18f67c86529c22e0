"""Articles, their immutable revisions and live copies, alerts and page feedback.

Modelled on Wagtail: every saved change is an immutable ``ArticleRevision``
(a JSON snapshot of all languages and the agent layer, see ``revisions.py``).
``latest_revision`` is what editors work on; ``live_revision`` is what the
public sees.  Editing a published article therefore makes a working copy
while the live version stays up; publishing copies the revision into the live
tables (translations, topics, related articles) that public pages, listings
and search read.

Translations have their own work rows (``TranslationWork``) while a
translator writes them and a reviewer reads them; approving one makes a new
revision like any other change.  Each live text records the revision whose
source text it translates, so a later change of the Swedish makes it outdated.

Who may do what is decided here (``can_*``), for views and templates alike.
"""
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from content.revisions import RevisionData
from portal.auth.models import ADMIN, AGENT, EDITOR, MANAGER, TRANSLATOR, User
from portal.clock import utcnow
from portal.database import LanguageTag, string_enum
from portal.extensions import db
from portal.i18n import localized, localized_language, source_language
from portal.org.models import Department, Topic

REVIEW_SOON_DAYS = 30


class ReviewState(StrEnum):
    """Where the latest revision is when it is not live."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SCHEDULED = "scheduled"


class Status(StrEnum):
    """What editors see in lists: derived from the article, never stored."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {Status.DRAFT: _l("Utkast"), Status.IN_REVIEW: _l("Granskas"),
                 Status.SCHEDULED: _l("Schemalagd"), Status.PUBLISHED: _l("Publicerad"),
                 Status.ARCHIVED: _l("Arkiverad")}

article_topic = Table(
    "article_topic", db.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True),
)
article_related = Table(
    "article_related", db.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
)


class Article(db.Model):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    latest_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_revision.id", use_alter=True))
    live_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("article_revision.id", use_alter=True))
    review_state: Mapped[ReviewState] = mapped_column(string_enum(ReviewState),
                                                      default=ReviewState.DRAFT)
    publish_at: Mapped[datetime | None]
    unpublish_at: Mapped[datetime | None]
    review_before: Mapped[date | None]
    archived_at: Mapped[datetime | None]
    first_published_at: Mapped[datetime | None]
    last_published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic locking: two requests that change the same article at once
    # cannot both succeed (the second gets StaleDataError and is refused).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    department: Mapped[Department] = relationship(lazy="joined")
    latest_revision: Mapped["ArticleRevision | None"] = relationship(
        foreign_keys=[latest_revision_id], post_update=True)
    live_revision: Mapped["ArticleRevision | None"] = relationship(
        foreign_keys=[live_revision_id], post_update=True)
    translations: Mapped[list["ArticleTranslation"]] = relationship(
        back_populates="article", cascade="all, delete-orphan", lazy="selectin")
    topics: Mapped[list[Topic]] = relationship(secondary=article_topic, lazy="selectin",
                                               order_by=Topic.position)
    related: Mapped[list["Article"]] = relationship(
        secondary=article_related, primaryjoin=lambda: Article.id == article_related.c.article_id,
        secondaryjoin=lambda: Article.id == article_related.c.related_id)

    # --- state ----------------------------------------------------------------
    def is_expired(self, now=None):
        return self.unpublish_at is not None and self.unpublish_at <= (now or utcnow())

    def is_live(self, now=None):
        """Visible to the public now (checked on every read, so an article never
        shows after its unpublish time even before the scheduler has run)."""
        return (self.live_revision_id is not None and self.archived_at is None
                and not self.is_expired(now))

    @property
    def has_unpublished_changes(self):
        return self.latest_revision_id != self.live_revision_id

    @property
    def status(self):
        if self.archived_at:
            return Status.ARCHIVED
        if self.has_unpublished_changes and self.review_state != ReviewState.DRAFT:
            return Status(self.review_state)
        if self.is_live():
            return Status.PUBLISHED
        return Status.DRAFT

    @property
    def is_unpublished_draft(self):
        """A draft that has never been (or is no longer) live: the dashboard's drafts."""
        return self.status == Status.DRAFT and self.has_unpublished_changes

    @property
    def has_draft_changes(self):
        """Changes saved since the live version that nobody has sent for review."""
        return self.review_state == ReviewState.DRAFT and self.has_unpublished_changes

    @property
    def awaits_review(self):
        return self.review_state == ReviewState.IN_REVIEW and self.has_unpublished_changes

    def review_due(self, today=None):
        today = today or date.today()
        return self.review_before is not None and self.review_before <= today + timedelta(
            days=REVIEW_SOON_DAYS)

    # --- reading ----------------------------------------------------------------
    def translation(self, lang):
        """The live text in ``lang`` (None if it has none)."""
        return next((t for t in self.translations if t.lang == lang), None)

    def translation_or_source(self, lang):
        """The live text in ``lang``, else in the source language."""
        return self.translation(lang) or self.translation(source_language())

    def title_language(self, lang):
        """The language ``title_in(lang)`` is written in, for the ``lang`` attribute
        that screen readers need."""
        live = self.translation_or_source(lang)
        if live:
            return live.lang
        return self.latest_revision.content.text_language(lang) if self.latest_revision else lang

    def title_in(self, lang):
        live = self.translation_or_source(lang)
        if live:
            return live.title
        text = self.latest_revision.content.text(lang) if self.latest_revision else None
        return text.title if text else f"#{self.id}"

    # --- permissions ------------------------------------------------------------
    def can_view(self, user):
        """Public when live; otherwise only to the editors who own it."""
        return self.is_live() or self.can_edit(user)

    def can_edit(self, user):
        return bool(user and user.is_authenticated
                    and user.acts_for_department(EDITOR, self.department_id))

    def can_approve(self, user):
        """Another editor of the department (not the last author), or an admin.

        An admin may approve their own text: an emergency power for when no
        second editor can be reached; the history shows it (``self_approved``).
        """
        if not self.can_edit(user):
            return False
        return ADMIN in user.roles or self.latest_author_id != user.id

    @property
    def latest_author_id(self):
        return self.latest_revision.created_by_id if self.latest_revision else None

    def can_view_agent_layer(self, user):
        return bool(user and user.is_authenticated
                    and (user.has_role(AGENT) or self.can_edit(user)))

    def can_translate(self, user, lang):
        """A translator assigned to ``lang`` (an admin into every language) may
        translate the live article into it."""
        return bool(self.is_live() and lang != source_language()
                    and user and user.is_authenticated and translates_into(user, lang))

    def can_review_translation(self, user, lang):
        """An editor of the article's förvaltning, or a translator of ``lang``; the
        author of the text is refused by the action, not here."""
        return bool(user and user.is_authenticated
                    and (self.can_edit(user) or translates_into(user, lang)))


def translates_into(user, lang):
    return ADMIN in user.roles or (user.has_role(TRANSLATOR) and lang in user.languages())


class ArticleRevision(db.Model):
    """An immutable snapshot: never updated after it is written."""

    __tablename__ = "article_revision"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"),
                                            index=True)
    number: Mapped[int]
    data: Mapped[dict] = mapped_column(JSON)       # RevisionData.to_json()
    rendered: Mapped[dict] = mapped_column(JSON)   # rendering.render_revision()
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def content(self) -> RevisionData:
        if getattr(self, "_content", None) is None:
            self._content = RevisionData.from_json(self.data)
        return self._content

    def body_html(self, lang):
        """The rendered body in ``lang``, else in the source language."""
        bodies = self.rendered.get("translations", {})
        return (bodies.get(lang) or bodies.get(source_language()) or {}).get("body", "")

    def agent_html(self, part, lang=None):
        """The agent layer's ``part`` as HTML, in ``lang`` where it is translated into it
        (as ``RevisionData.agent_part`` chooses)."""
        _value, part_lang = self.content.agent_part(part, lang)
        rendered = self.rendered.get("agent_translations", {}).get(part_lang) or self.rendered.get("agent", {})
        return rendered.get(part, "")


class ArticleTranslation(db.Model):
    """The live text of a published article in one language (slug lookups, lists, search)."""

    __tablename__ = "article_translation"
    __table_args__ = (UniqueConstraint("lang", "slug"), UniqueConstraint("article_id", "lang"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(LanguageTag)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    # The revision whose source text this translates (the source text's own row: its revision).
    source_revision_id: Mapped[int | None] = mapped_column(ForeignKey("article_revision.id"))

    article: Mapped[Article] = relationship(back_populates="translations")


class TranslationState(StrEnum):
    """Where a translation's work row is: written, or waiting for a reviewer."""

    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"


class TranslationStatus(StrEnum):
    """What the translators' table says of a page in a language: derived, never stored."""

    MISSING = "missing"
    OUTDATED = "outdated"
    IN_PROGRESS = "in_progress"
    IN_REVIEW = "in_review"
    UP_TO_DATE = "up_to_date"

    @property
    def label(self):
        return TRANSLATION_STATUS_LABELS[self]


TRANSLATION_STATUS_LABELS = {
    TranslationStatus.MISSING: _l("Saknas"), TranslationStatus.OUTDATED: _l("Inaktuell"),
    TranslationStatus.IN_PROGRESS: _l("Pågår"), TranslationStatus.IN_REVIEW: _l("Granskas"),
    TranslationStatus.UP_TO_DATE: _l("Aktuell")}


class TranslationWork(db.Model):
    """A translation being written or reviewed: one row per article and language.

    It becomes a revision only when a reviewer approves it
    (``operations.ApproveTranslation``), and the row is then deleted.  ``text``
    and ``agent`` hold a ``revisions.Text`` and ``revisions.AgentText`` as JSON;
    ``source_revision_id`` is the live revision whose source text the translator
    last had in front of them.
    """

    __tablename__ = "translation_work"
    __table_args__ = (UniqueConstraint("article_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(LanguageTag)
    state: Mapped[TranslationState] = mapped_column(string_enum(TranslationState),
                                                    default=TranslationState.IN_PROGRESS)
    text: Mapped[dict] = mapped_column(JSON)
    agent: Mapped[dict] = mapped_column(JSON, default=dict)
    source_revision_id: Mapped[int] = mapped_column(ForeignKey("article_revision.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewer_comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Optimistic locking: a save over a newer save is refused, never silent.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    article: Mapped[Article] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")

    @property
    def in_review(self):
        return self.state == TranslationState.IN_REVIEW

    def can_approve(self, user):
        """A reviewer of the language who did not write it (not even an admin)."""
        return (self.in_review and self.article.can_review_translation(user, self.lang)
                and user.id != self.author_id)


class ArticleSlug(db.Model):
    """An address held by an article: those of its live text and of its latest
    revision.  Unique per language, so no department's draft can take an
    address another article uses or is about to publish under."""

    __tablename__ = "article_slug"
    __table_args__ = (UniqueConstraint("lang", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"),
                                            index=True)
    lang: Mapped[str] = mapped_column(LanguageTag)
    slug: Mapped[str] = mapped_column(String(120))


class ArticleEvent(db.Model):
    """A workflow step (submitted, approved, rejected with a comment, …) for the history."""

    __tablename__ = "article_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"),
                                            index=True)
    action: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(Text, default="")
    revision_number: Mapped[int | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship(lazy="joined")


class Severity(StrEnum):
    INFO = "info"
    DISRUPTION = "disruption"
    CRISIS = "crisis"

    @property
    def rank(self):
        """Higher is more serious: lists and banners show the most serious first."""
        return list(Severity).index(self)

    @property
    def label(self):
        return SEVERITY_LABELS[self]


SEVERITY_LABELS = {Severity.INFO: _l("Information"), Severity.DISRUPTION: _l("Störning"),
                   Severity.CRISIS: _l("Kris")}

alert_article = Table(
    "alert_article", db.metadata,
    Column("alert_id", ForeignKey("alert.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
)


class Alert(db.Model):
    """Driftinformation: shown on its related pages (a crisis on every page) until it ends.

    Who publishes what:

    - an editor publishes information and disruption alerts for the
      förvaltningar they edit, shown on articles of those förvaltningar;
    - a crisis alert reaches every page, so an editor's crisis alert is only a
      proposal until a second person approves it: the contact-centre manager,
      an administrator, or another editor of the same förvaltning;
    - the contact-centre manager and administrators publish and change any
      alert directly;
    - anyone who may edit an alert may end it at once.
    """

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[Severity] = mapped_column(string_enum(Severity), default=Severity.INFO)
    titles: Mapped[dict] = mapped_column(JSON, default=dict)
    messages: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]   # None: until someone ends it
    eservices: Mapped[list] = mapped_column(JSON, default=list)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # Loaded when asked for (the alert form); pages ask ``queries.alerts_for``, which
    # reads only the ids of the linked articles.
    articles: Mapped[list[Article]] = relationship(secondary=alert_article)
    department: Mapped[Department] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    def is_active(self, now=None):
        now = now or utcnow()
        return self.approved_at is not None and self.starts_at <= now and not self.has_ended(now)

    def has_ended(self, now=None):
        return self.ends_at is not None and self.ends_at <= (now or utcnow())

    @property
    def is_pending(self):
        return self.approved_at is None

    @property
    def is_crisis(self):
        return self.severity == Severity.CRISIS

    def text_in(self, lang=None):
        return localized(self.titles, lang), localized(self.messages, lang)

    def text_language(self, lang=None):
        """The language ``text_in(lang)`` is written in, for the ``lang`` attribute."""
        return localized_language(self.titles, lang)

    def can_edit(self, user):
        """Managers and admins: every alert.  Editors: their förvaltningar's, except an
        approved crisis alert (they may end it, see ``can_end``)."""
        if not (user and user.is_authenticated):
            return False
        if user.has_role(MANAGER):
            return True
        return (user.acts_for_department(EDITOR, self.department_id)
                and not (self.is_crisis and not self.is_pending))

    def can_end(self, user):
        return bool(user and user.is_authenticated
                    and (user.has_role(MANAGER) or user.acts_for_department(EDITOR, self.department_id)))

    def can_approve(self, user):
        """A second person: the manager, an admin, or another editor of the förvaltning."""
        if not (user and user.is_authenticated):
            return False
        return user.has_role(MANAGER) or (user.acts_for_department(EDITOR, self.department_id)
                                          and user.id != self.updated_by_id)


class PageFeedback(db.Model):
    """"Did this page help you?" – no personal data is asked for or kept."""

    __tablename__ = "page_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"),
                                            index=True)
    lang: Mapped[str] = mapped_column(LanguageTag)
    helpful: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    spam: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class ArticleViews(db.Model):
    """How often a public article page was read on a day in a language: a count and
    nothing else (no address, cookie or account), for the self-service figures.

    Only a citizen's full page counts (``operations.count_view_later``): not staff, not a
    304 from the browser's cache.  Kept ``PORTAL_FEEDBACK_DAYS`` like page feedback.
    """

    __tablename__ = "article_views"

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    lang: Mapped[str] = mapped_column(LanguageTag, primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True, index=True)
    views: Mapped[int] = mapped_column(default=0)
