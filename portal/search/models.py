"""Database side of search: the indexing outbox, synonyms, best bets and the query log."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.database import LanguageTag
from portal.auth.models import EDITOR, User
from portal.clock import utcnow
from portal.extensions import db


class CuratedMixin:
    """Who last changed a piece of search curation, and when (shown to editors)."""

    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @declared_attr
    def updated_by(cls) -> Mapped[User | None]:
        return relationship(User)

    @staticmethod
    def can_edit(user):
        """Synonyms and best bets are shared by all förvaltningar: any editor keeps them."""
        return user.is_authenticated and user.has_role(EDITOR)


class SearchOutbox(db.Model):
    """A document waiting to be (re)indexed, written in the same transaction as
    the change itself so that no change is lost if indexing fails or waits."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    doc_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SynonymGroup(CuratedMixin, db.Model):
    """Words searched as one: "sopor, avfall, hushållsavfall".

    With ``one_way`` only the first word expands to the others
    ("p-tillstånd" → "parkeringstillstånd"), not back.
    """

    __tablename__ = "search_synonym_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(String(500))
    one_way: Mapped[bool] = mapped_column(default=False)

    @property
    def term_list(self):
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]


class BestBet(CuratedMixin, db.Model):
    """Pins a document to the top of the results for one query in one language."""

    __tablename__ = "search_best_bet"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200), index=True)
    lang: Mapped[str] = mapped_column(LanguageTag)
    doc_type: Mapped[str] = mapped_column(String(32))
    doc_id: Mapped[str] = mapped_column(String(64))


class SearchLogEntry(db.Model):
    """One search, for statistics: no personal data (see ``scrub``).

    ``query_key`` is the query as the statistics count it (``normalise``d), empty when
    the query held personal data; ``topic`` and ``department`` are the filters the
    searcher had chosen (a topic's slug, a förvaltning's code), which assign a search
    that found nothing to a förvaltning.
    """

    __tablename__ = "search_log"
    # Today's searches for the statistics, and a day's when it is rolled up.
    __table_args__ = (Index("ix_search_log_stats", "created_at", "scope", "lang", "query_key", "hits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    lang: Mapped[str] = mapped_column(LanguageTag)
    scope: Mapped[str] = mapped_column(String(16))
    query: Mapped[str] = mapped_column(Text)
    hits: Mapped[int]
    clicked_ref: Mapped[str | None] = mapped_column(String(100))
    query_key: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(80))
    department: Mapped[str | None] = mapped_column(String(16))


class SearchDay(db.Model):
    """A finished (UTC) day of public searches counted by what the statistics group by
    (see ``operations.roll_up``): a quarter's figures read these few rows, never the log's
    millions.  Deleted with the log (``PORTAL_SEARCH_LOG_DAYS``)."""

    __tablename__ = "search_day"
    __table_args__ = (Index("ix_search_day_day_lang_key", "day", "lang", "query_key"),
                      # the filters and clicks of a few queries, over a long period
                      Index("ix_search_day_key_day", "query_key", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    lang: Mapped[str] = mapped_column(LanguageTag)
    query_key: Mapped[str] = mapped_column(String(200))
    found: Mapped[bool]
    department: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(80))
    clicked_ref: Mapped[str] = mapped_column(String(100))
    searches: Mapped[int]


class SearchMonth(db.Model):
    """A finished (UTC) month of public searches per query, summed from its days
    (``day`` is its first): the lists of queries over months read a popular query as one
    row a month instead of thirty rows a day for each filter and click.  Deleted with the
    month's first day in the log."""

    __tablename__ = "search_month"
    __table_args__ = (Index("ix_search_month_day_lang", "day", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    lang: Mapped[str] = mapped_column(LanguageTag)
    query_key: Mapped[str] = mapped_column(String(200))
    found: Mapped[bool]
    searches: Mapped[int]
    clicked: Mapped[int]       # of them, searches followed by a click on a hit


class SearchMonthTopic(db.Model):
    """A finished month of public searches per topic filter and document chosen (the
    self-service figures), summed from its days like ``SearchMonth``."""

    __tablename__ = "search_month_topic"
    __table_args__ = (Index("ix_search_month_topic_day_lang", "day", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    lang: Mapped[str] = mapped_column(LanguageTag)
    topic: Mapped[str] = mapped_column(String(80))
    clicked_ref: Mapped[str] = mapped_column(String(100))
    searches: Mapped[int]


class SearchDayRolled(db.Model):
    """A (UTC) day whose searches are in ``SearchDay``."""

    __tablename__ = "search_day_rolled"

    day: Mapped[date] = mapped_column(primary_key=True)
