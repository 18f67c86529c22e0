"""Reading articles, alerts and feedback: 404 and 403 decided in one place, and the
lists each person may see (``*_visible_to(user)``)."""
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import func, or_, select

from content.models import (
    Alert, Article, ArticleEvent, ArticleRevision, ArticleSlug, ArticleTranslation, PageFeedback,
    ReviewState, alert_article,
)
from portal.auth.models import EDITOR, MANAGER, RoleGrant, User
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import source_language
from portal.org.models import Department, Topic
from portal.org.queries import departments_for_role
from portal.search.models import SearchLogEntry

ZERO_HIT_DAYS = 90


def live_article_by_slug(lang, slug):
    """The live article and its translation for a public URL, or 404."""
    translation = db.session.scalar(select(ArticleTranslation).where(
        ArticleTranslation.lang == lang, ArticleTranslation.slug == slug))
    if translation is None or not translation.article.is_live():
        abort(404)
    return translation.article, translation


def article_or_404(article_id, permission="can_view"):
    article = db.session.get(Article, article_id)
    if article is None:
        abort(404)
    if not getattr(article, permission)(current_user):
        abort(403)
    return article


def revision_or_404(article, number):
    revision = db.session.scalar(select(ArticleRevision).where(
        ArticleRevision.article_id == article.id, ArticleRevision.number == number))
    return revision or abort(404)


def revision_by_id(article, revision_id):
    """The article's revision with this id, or None (an id from a form may be anything)."""
    revision = db.session.get(ArticleRevision, revision_id) if revision_id else None
    return revision if revision is not None and revision.article_id == article.id else None


def revisions(article):
    return db.session.scalars(select(ArticleRevision).where(ArticleRevision.article_id == article.id)
                              .order_by(ArticleRevision.number.desc())).all()


def events(article):
    return db.session.scalars(select(ArticleEvent).where(ArticleEvent.article_id == article.id)
                              .order_by(ArticleEvent.created_at.desc(), ArticleEvent.id.desc())).all()


def live_articles(topic=None, department_id=None):
    query = select(Article).where(Article.live_revision_id.is_not(None),
                                  Article.archived_at.is_(None),
                                  or_(Article.unpublish_at.is_(None), Article.unpublish_at > utcnow()))
    if topic is not None:
        query = query.where(Article.topics.contains(topic))
    if department_id is not None:
        query = query.where(Article.department_id == department_id)
    return db.session.scalars(query).all()


def live_article_ids_by_slug(slugs, lang=None):
    """{slug: article id} of live articles with these addresses in ``lang`` (the source language)."""
    if not slugs:
        return {}
    rows = db.session.execute(select(ArticleTranslation.slug, ArticleTranslation.article_id).where(
        ArticleTranslation.lang == (lang or source_language()), ArticleTranslation.slug.in_(slugs)))
    return dict(rows.all())


def slug_holder(lang, slug, except_article_id=None):
    """The id of another article that holds the address ``slug`` in ``lang``, or None."""
    return db.session.scalar(select(ArticleSlug.article_id).where(
        ArticleSlug.lang == lang, ArticleSlug.slug == slug,
        ArticleSlug.article_id != (except_article_id or -1)))


def topics():
    return db.session.scalars(select(Topic).order_by(Topic.position)).all()


def topic_by_slug(slug, lang):
    """The topic with the address ``slug`` in ``lang``, or in the source language; else 404."""
    for topic in topics():
        if slug in (topic.slug_in(lang), topic.slug):
            return topic
    abort(404)


def topics_by_slug(slugs):
    return db.session.scalars(select(Topic).where(Topic.slug.in_(slugs))).all() if slugs else []


def articles_by_id(ids):
    return db.session.scalars(select(Article).where(Article.id.in_(ids))).all() if ids else []


# --- what each person may see ---------------------------------------------------
def departments_edited_by(user):
    """The förvaltningar whose articles ``user`` may edit (all of them for an admin)."""
    return departments_for_role(user, EDITOR)


def articles_visible_to(user):
    """The articles on an editor's desk: those of the förvaltningar they edit."""
    ids = [d.id for d in departments_edited_by(user)]
    return db.session.scalars(select(Article).where(Article.department_id.in_(ids))
                              .order_by(Article.updated_at.desc())).all()


@dataclass
class Worklist:
    """What waits for an editor: their dashboard, and their review reminder."""

    editor: User
    articles: list[Article]

    @property
    def approvals(self):
        return [a for a in self.articles if a.awaits_review and a.can_approve(self.editor)]

    @property
    def drafts(self):
        return [a for a in self.articles if a.is_unpublished_draft]

    @property
    def reviews(self):
        return sorted((a for a in self.articles if a.is_live() and a.review_due()),
                      key=lambda a: a.review_before)

    @property
    def article_count(self):
        """Articles to look at, each counted once even when it is in two lists."""
        return len({article.id for article in self.approvals + self.drafts + self.reviews})


def worklist_for(user):
    return Worklist(editor=user, articles=articles_visible_to(user))


def submitted_by(user):
    """The articles whose latest version ``user`` sent for review and that still wait
    for it (in review, or approved and scheduled): the author's "sent for review"."""
    return db.session.scalars(
        select(Article).join(ArticleRevision, ArticleRevision.id == Article.latest_revision_id)
        .join(ArticleEvent, (ArticleEvent.article_id == Article.id)
              & (ArticleEvent.revision_number == ArticleRevision.number))
        .where(ArticleEvent.action == "submitted", ArticleEvent.user_id == user.id,
               Article.review_state.in_((ReviewState.IN_REVIEW, ReviewState.SCHEDULED)),
               Article.latest_revision_id != func.coalesce(Article.live_revision_id, 0))
        .distinct().order_by(Article.updated_at.desc())).all()


def reviewers_of(department_id, except_user=None):
    """The active editors of a förvaltning who have an address, each once
    (administrators are not mailed about every förvaltning's texts)."""
    return db.session.scalars(
        select(User).join(RoleGrant)
        .where(RoleGrant.role == EDITOR, RoleGrant.department_id == department_id,
               User.active.is_(True), User.email != "",
               User.id != (except_user.id if except_user else -1))
        .distinct().order_by(User.id)).all()


def alert_departments_for(user):
    """The förvaltningar ``user`` may publish alerts for: all for the manager and admins."""
    if user.has_role(MANAGER):
        return db.session.scalars(select(Department).order_by(Department.code)).all()
    return departments_edited_by(user)


def alerts_visible_to(user, limit=100):
    """Alerts for the alert list: every alert is public once active, so staff see all."""
    return db.session.scalars(select(Alert).order_by(Alert.ends_at.is_(None).desc(), Alert.ends_at.desc(),
                                                     Alert.id.desc()).limit(limit)).all()


def feedback_visible_to(user, page=1, per_page=50, include_spam=False):
    """Page feedback on the articles ``user`` edits, newest first, and how many there are."""
    ids = [d.id for d in departments_edited_by(user)]
    query = (select(PageFeedback).join(Article, Article.id == PageFeedback.article_id)
             .where(Article.department_id.in_(ids)))
    if not include_spam:
        query = query.where(PageFeedback.spam.is_(False))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(PageFeedback.created_at.desc(), PageFeedback.id.desc())
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return rows, total


def zero_hit_searches(limit=20):
    """The most common searches that found nothing lately (personal data already cut out)."""
    since = utcnow() - timedelta(days=ZERO_HIT_DAYS)
    return db.session.execute(
        select(SearchLogEntry.query, func.count().label("n"))
        .where(SearchLogEntry.hits == 0, SearchLogEntry.created_at > since,
               SearchLogEntry.query != "")
        .group_by(SearchLogEntry.query).order_by(func.count().desc()).limit(limit)).all()


# --- alerts on pages ------------------------------------------------------------
def active_alerts(now=None):
    """The approved alerts in force ``now``, most serious first; read once per request
    (the page and its banner ask)."""
    if now is not None or not has_request_context():
        return _alerts_at(now or utcnow())
    if "active_alerts" not in g:
        g.active_alerts = _alerts_at(utcnow())
    return g.active_alerts


def _alerts_at(moment):
    """The alerts in force, each with ``article_ids``: the ids of the articles it is
    shown on (two small queries; loading the articles themselves cost more than
    the rest of a page)."""
    alerts = db.session.scalars(select(Alert).where(
        Alert.approved_at.is_not(None), Alert.starts_at <= moment,
        or_(Alert.ends_at.is_(None), Alert.ends_at > moment))
        .order_by(Alert.starts_at.desc())).all()
    links = db.session.execute(select(alert_article.c.alert_id, alert_article.c.article_id).where(
        alert_article.c.alert_id.in_([alert.id for alert in alerts]))).all() if alerts else []
    for alert in alerts:
        alert.article_ids = {article_id for alert_id, article_id in links if alert_id == alert.id}
    return sorted(alerts, key=lambda alert: alert.severity.rank, reverse=True)


def alerts_for(kind=None, key=None):
    """Crisis alerts everywhere; others on the page of the article or e-service they name."""
    return [alert for alert in active_alerts()
            if alert.is_crisis or _concerns(alert, kind, key)]


def _concerns(alert, kind, key):
    if kind == "article":
        return key in alert.article_ids
    if kind == "eservice":
        return key in alert.eservices
    return False


def page_feedback(feedback_id):
    """One answer to "Hjälpte sidan dig?", or None (it may have been purged)."""
    return db.session.get(PageFeedback, feedback_id)

