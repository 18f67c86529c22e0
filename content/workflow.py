"""Operations on articles: the only code that changes them.

Each operation checks permission, changes the rows, writes a revision (for
content changes) or an event (for workflow steps), commits, and sends
``document_changed`` so that the search index follows.  Views, the CLI and
the demo loader all go through here.
"""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from content import rendering
from content.models import (
    DRAFT, IN_REVIEW, SCHEDULED, Article, ArticleEvent, ArticleRevision, ArticleTranslation,
)
from portal.auth.models import EDITOR, utcnow
from portal.extensions import db
from portal.org.models import Topic
from portal.signals import document_changed

REVIEW_INTERVAL = timedelta(days=365)


class WorkflowError(Exception):
    """An action that is not allowed now; the message is shown to the editor."""


class StaleEdit(WorkflowError):
    """Someone saved a newer revision since the form was opened."""


def _changed(article):
    """Queue the search update inside the transaction that makes the change."""
    document_changed.send("article", doc_id=article.id)


def _event(article, user, action, comment=""):
    number = article.latest_revision.number if article.latest_revision else None
    db.session.add(ArticleEvent(article_id=article.id, action=action, comment=comment,
                                revision_number=number, user_id=user.id if user else None))


def _require(condition, message):
    if not condition:
        raise WorkflowError(str(message))


def _new_revision(article, user, data, comment):
    number = (article.latest_revision.number + 1) if article.latest_revision else 1
    revision = ArticleRevision(article_id=article.id, number=number, data=data,
                               rendered=rendering.render_revision(data), comment=comment,
                               created_by_id=user.id if user else None)
    db.session.add(revision)
    db.session.flush()
    article.latest_revision = revision
    article.department_id = data["department_id"]
    article.updated_at = utcnow()
    return revision


def create_article(user, data, comment=""):
    """A new article whose first revision is a draft."""
    article = Article(department_id=data["department_id"], review_state=DRAFT)
    _require(article.can_edit(user), _l("Du kan bara skapa artiklar för din egen förvaltning."))
    db.session.add(article)
    db.session.flush()
    _new_revision(article, user, data, comment)
    _event(article, user, "created", comment)
    db.session.commit()
    return article


def save_draft(user, article, data, base_revision_id, comment=""):
    """Save a new revision; the live version (if any) stays up until publishing."""
    _require(article.can_edit(user), _l("Du har inte behörighet att ändra artikeln."))
    _require(article.archived_at is None, _l("Arkiverade artiklar kan inte ändras. Återställ den först."))
    if base_revision_id != article.latest_revision_id:
        raise StaleEdit(str(_l("Någon annan har sparat artikeln sedan du öppnade den.")))
    _require(user.acts_for_department(EDITOR, data["department_id"]),
             _l("Du kan bara flytta artikeln till en förvaltning du är redaktör för."))
    _new_revision(article, user, data, comment)
    article.review_state = DRAFT
    _event(article, user, "saved", comment)
    db.session.commit()
    return article


def _apply_dates(article, data):
    """The version's publication and review dates, which count from its approval:
    a draft never changes what the live version does."""
    article.publish_at = rendering.parse_datetime(data.get("publish_at"))
    article.unpublish_at = rendering.parse_datetime(data.get("unpublish_at"))
    review = data.get("review_before")
    article.review_before = date.fromisoformat(review) if review else article.review_before


def submit(user, article, comment=""):
    _require(article.can_edit(user), _l("Du har inte behörighet att skicka artikeln på granskning."))
    _require(article.has_unpublished_changes and article.review_state == DRAFT,
             _l("Det finns inga ändringar att skicka på granskning."))
    article.review_state = IN_REVIEW
    _event(article, user, "submitted", comment)
    db.session.commit()


def approve(user, article, comment="", now=None):
    """Publish the revision under review now, or schedule it for ``publish_at``."""
    now = now or utcnow()
    _require(article.review_state == IN_REVIEW, _l("Artikeln väntar inte på granskning."))
    _require(article.can_approve(user),
             _l("En annan redaktör i förvaltningen (eller en administratör) måste godkänna."))
    _apply_dates(article, article.latest_revision.data)
    if article.publish_at and article.publish_at > now:
        article.review_state = SCHEDULED
        _event(article, user, "scheduled", comment)
        db.session.commit()
        return
    _event(article, user, "approved", comment)
    publish_revision(article, article.latest_revision, now)
    _changed(article)
    db.session.commit()


def reject(user, article, comment):
    _require(article.review_state in (IN_REVIEW, SCHEDULED), _l("Artikeln väntar inte på granskning."))
    _require(article.can_edit(user), _l("Du har inte behörighet att granska artikeln."))
    _require(comment.strip(), _l("Skriv vad som behöver ändras."))
    article.review_state = DRAFT
    _event(article, user, "rejected", comment)
    db.session.commit()


def retract(user, article, comment=""):
    """Take back from review (or from a scheduled publication); else take a live article offline."""
    _require(article.can_edit(user), _l("Du har inte behörighet att ändra artikeln."))
    if article.has_unpublished_changes and article.review_state in (IN_REVIEW, SCHEDULED):
        article.review_state = DRAFT
        _event(article, user, "retracted", comment)
    else:
        _require(article.live_revision_id is not None, _l("Artikeln är inte publicerad."))
        unpublish(article)
        _event(article, user, "unpublished", comment)
    _changed(article)
    db.session.commit()


def archive(user, article, comment=""):
    _require(article.can_edit(user), _l("Du har inte behörighet att arkivera artikeln."))
    _require(article.archived_at is None, _l("Artikeln är redan arkiverad."))
    unpublish(article)
    article.archived_at = utcnow()
    _event(article, user, "archived", comment)
    _changed(article)
    db.session.commit()


def restore(user, article, comment=""):
    """Bring an archived article back as a draft (it is not published again by itself)."""
    _require(article.can_edit(user), _l("Du har inte behörighet att återställa artikeln."))
    _require(article.archived_at is not None, _l("Artikeln är inte arkiverad."))
    article.archived_at = None
    article.review_state = DRAFT
    _event(article, user, "restored", comment)
    db.session.commit()


def revert(user, article, revision):
    """A new revision with the content of an older one; history is never rewritten."""
    return save_draft(user, article, dict(revision.data), article.latest_revision_id,
                      comment=str(_l("Återställd till version %(n)d", n=revision.number)))


def publish_revision(article, revision, now=None):
    """Make ``revision`` the live version: copy it into the live tables."""
    now = now or utcnow()
    data = revision.data
    article.live_revision = revision
    article.review_state = DRAFT
    article.first_published_at = article.first_published_at or now
    article.last_published_at = now
    if article.is_expired(now):
        article.unpublish_at = None
    if not data.get("review_before"):
        article.review_before = (now + REVIEW_INTERVAL).date()
    db.session.execute(delete(ArticleTranslation).where(ArticleTranslation.article_id == article.id))
    db.session.flush()
    article.translations = [
        ArticleTranslation(lang=lang, slug=t["slug"], title=t["title"], summary=t["summary"])
        for lang, t in data["translations"].items()]
    article.topics = db.session.scalars(select(Topic).where(Topic.slug.in_(data.get("topics", [])))).all()
    article.related = db.session.scalars(
        select(Article).where(Article.id.in_(data.get("related", [])))).all()


def unpublish(article):
    article.live_revision = None
    db.session.execute(delete(ArticleTranslation).where(ArticleTranslation.article_id == article.id))
    article.translations = []


def apply_schedules(now=None):
    """Publish what is due and take down what has expired; for cron (``portal publish-scheduled``)."""
    now = now or utcnow()
    due = db.session.scalars(select(Article).where(
        Article.review_state == SCHEDULED, Article.publish_at <= now)).all()
    expired = db.session.scalars(select(Article).where(
        Article.live_revision_id.is_not(None), Article.unpublish_at <= now)).all()
    for article in due:
        publish_revision(article, article.latest_revision, now)
        _event(article, None, "published_on_schedule")
        _changed(article)
    for article in expired:
        unpublish(article)
        _event(article, None, "unpublished_on_schedule")
        _changed(article)
    db.session.commit()
    return len(due), len(expired)
