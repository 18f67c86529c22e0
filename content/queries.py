"""Loading articles and alerts for views: 404 and 403 decided in one place."""
from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import or_, select

from content.models import Alert, Article, ArticleTranslation, CRISIS
from portal.auth.models import utcnow
from portal.extensions import db


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


def live_articles(topic=None, department_id=None):
    query = select(Article).where(Article.live_revision_id.is_not(None),
                                  Article.archived_at.is_(None),
                                  or_(Article.unpublish_at.is_(None), Article.unpublish_at > utcnow()))
    if topic is not None:
        query = query.where(Article.topics.contains(topic))
    if department_id is not None:
        query = query.where(Article.department_id == department_id)
    return db.session.scalars(query).all()


def active_alerts(now=None):
    """The alerts in force ``now``; read once per request (the page and its banner ask)."""
    if now is not None or not has_request_context():
        return _alerts_at(now or utcnow())
    if "active_alerts" not in g:
        g.active_alerts = _alerts_at(utcnow())
    return g.active_alerts


def _alerts_at(moment):
    return db.session.scalars(select(Alert).where(Alert.starts_at <= moment, Alert.ends_at > moment)
                              .order_by(Alert.severity.desc(), Alert.starts_at.desc())).all()


def alerts_for_page(article=None, eservice=None):
    """Crisis alerts everywhere; others where they are linked."""
    return [alert for alert in active_alerts()
            if alert.severity == CRISIS
            or (article is not None and article in alert.articles)
            or (eservice is not None and eservice in alert.eservices)]
