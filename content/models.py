"""Articles, their immutable revisions and live copies, alerts and page feedback.

Modelled on Wagtail: every saved change is an immutable ``ArticleRevision``
(a JSON snapshot of all languages and the agent layer).  ``latest_revision``
is what editors work on; ``live_revision`` is what the public sees.  Editing a
published article therefore makes a working copy while the live version stays
up; publishing copies the revision into the live tables (translations, topics,
related articles) that public pages, listings and search read.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import ADMIN, AGENT, EDITOR, User, utcnow
from portal.extensions import db
from portal.org.models import Department, Topic

DRAFT, IN_REVIEW, SCHEDULED, PUBLISHED, ARCHIVED = (
    "draft", "in_review", "scheduled", "published", "archived")
REVIEW_SOON_DAYS = 30

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
    # State of the latest revision when it is not live: draft, in_review or scheduled.
    review_state: Mapped[str] = mapped_column(String(16), default=DRAFT)
    publish_at: Mapped[datetime | None]
    unpublish_at: Mapped[datetime | None]
    review_before: Mapped[date | None]
    archived_at: Mapped[datetime | None]
    first_published_at: Mapped[datetime | None]
    last_published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

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
            return ARCHIVED
        if self.has_unpublished_changes and self.review_state in (IN_REVIEW, SCHEDULED):
            return self.review_state
        if self.is_live():
            return PUBLISHED
        return DRAFT

    def review_due(self, today=None):
        today = today or date.today()
        return self.review_before is not None and self.review_before <= today + timedelta(
            days=REVIEW_SOON_DAYS)

    # --- reading ----------------------------------------------------------------
    def translation(self, lang):
        return next((t for t in self.translations if t.lang == lang), None)

    def title_language(self, lang):
        """The language ``title_in(lang)`` is written in (Swedish when ``lang`` is missing),
        for the ``lang`` attribute that screen readers need."""
        return lang if self.translation(lang) else "sv"

    def title_in(self, lang):
        live = self.translation(lang) or self.translation("sv")
        if live:
            return live.title
        data = self.latest_revision.data if self.latest_revision else {}
        return data.get("translations", {}).get("sv", {}).get("title", f"#{self.id}")

    # --- permissions ------------------------------------------------------------
    def can_view(self, user):
        """Public when live; otherwise only to the editors who own it."""
        return self.is_live() or self.can_edit(user)

    def can_edit(self, user):
        return bool(user and user.is_authenticated
                    and user.acts_for_department(EDITOR, self.department_id))

    def can_approve(self, user):
        """Another editor of the department (not the last author), or an admin."""
        if not self.can_edit(user):
            return False
        author = self.latest_revision.created_by_id if self.latest_revision else None
        return ADMIN in user.roles or author != user.id

    def can_view_agent_layer(self, user):
        return bool(user and user.is_authenticated
                    and (user.has_role(AGENT) or self.can_edit(user)))


class ArticleRevision(db.Model):
    """An immutable snapshot: never updated after it is written."""

    __tablename__ = "article_revision"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"),
                                            index=True)
    number: Mapped[int]
    data: Mapped[dict] = mapped_column(JSON)
    rendered: Mapped[dict] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")

    def translation(self, lang):
        return self.data.get("translations", {}).get(lang)

    @property
    def languages(self):
        return list(self.data.get("translations", {}))


class ArticleTranslation(db.Model):
    """The live text of a published article in one language (slug lookups, lists, search)."""

    __tablename__ = "article_translation"
    __table_args__ = (UniqueConstraint("lang", "slug"), UniqueConstraint("article_id", "lang"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="translations")


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


INFO, DISRUPTION, CRISIS = "info", "disruption", "crisis"

alert_article = Table(
    "alert_article", db.metadata,
    Column("alert_id", ForeignKey("alert.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
)


class Alert(db.Model):
    """Driftinformation: shown on its related pages (a crisis on every page) until it ends."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    severity: Mapped[str] = mapped_column(String(16), default=INFO)
    titles: Mapped[dict] = mapped_column(JSON, default=dict)
    messages: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]
    eservices: Mapped[list] = mapped_column(JSON, default=list)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    articles: Mapped[list[Article]] = relationship(secondary=alert_article, lazy="selectin")
    department: Mapped[Department] = relationship(lazy="joined")

    def is_active(self, now=None):
        now = now or utcnow()
        return self.starts_at <= now < self.ends_at

    def text_in(self, lang):
        return (self.titles.get(lang) or self.titles.get("sv", ""),
                self.messages.get(lang) or self.messages.get("sv", ""))

    def can_edit(self, user):
        return bool(user and user.is_authenticated
                    and user.acts_for_department(EDITOR, self.department_id))


class PageFeedback(db.Model):
    """"Did this page help you?" – no personal data is asked for or kept."""

    __tablename__ = "page_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"),
                                            index=True)
    lang: Mapped[str] = mapped_column(String(8))
    helpful: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
