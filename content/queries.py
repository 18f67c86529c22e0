"""Reading articles, alerts and feedback: 404 and 403 decided in one place, and the
lists each person may see (``*_visible_to(user)``)."""
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import and_, func, or_, select

from content.models import (
    Alert, Article, ArticleEvent, ArticleRevision, ArticleSlug, ArticleTranslation, PageFeedback,
    ReviewState, TranslationState, TranslationStatus, TranslationWork, alert_article,
)
from content.revisions import source_changed
from portal.auth.models import ADMIN, EDITOR, MANAGER, RoleGrant, User
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import all_languages, source_language
from portal.org.models import Department, Topic
from portal.org.queries import departments_for_role
from portal.search.models import SearchLogEntry

ZERO_HIT_DAYS = 90


def live_article_by_slug(lang, slug):
    """The live article and its text for a public URL: the text in ``lang``, else the
    source language's under its own address (a page not translated into ``lang`` is
    read in Swedish, never a 404); 404 when no live article has the address."""
    for text_lang in dict.fromkeys((lang, source_language())):
        translation = db.session.scalar(select(ArticleTranslation).where(
            ArticleTranslation.lang == text_lang, ArticleTranslation.slug == slug))
        if translation is not None and translation.article.is_live():
            return translation.article, translation
    abort(404)


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


def is_live():
    """``Article.is_live()`` as an SQL condition."""
    return and_(Article.live_revision_id.is_not(None), Article.archived_at.is_(None),
                or_(Article.unpublish_at.is_(None), Article.unpublish_at > utcnow()))


def live_articles(topic=None, department_id=None):
    query = select(Article).where(is_live())
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
        return departments()
    return departments_edited_by(user)


def departments():
    return db.session.scalars(select(Department).order_by(Department.code)).all()


def alerts_visible_to(user, limit=100):
    """Alerts for the alert list: every alert is public once active, so staff see all."""
    return db.session.scalars(select(Alert).order_by(Alert.ends_at.is_(None).desc(), Alert.ends_at.desc(),
                                                     Alert.id.desc()).limit(limit)).all()


def feedback_visible_to(user, page=1, per_page=50, include_spam=False, article_id=None):
    """Page feedback on the articles ``user`` edits (on one of them, with ``article_id``),
    newest first, and how many there are."""
    ids = [d.id for d in departments_edited_by(user)]
    query = (select(PageFeedback).join(Article, Article.id == PageFeedback.article_id)
             .where(Article.department_id.in_(ids)))
    if article_id is not None:
        query = query.where(PageFeedback.article_id == article_id)
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



# --- translations -------------------------------------------------------------------
def translation_languages():
    """The languages articles are translated into: every language the portal knows but
    the source, the disabled ones too (translated before they are offered)."""
    return [lang for lang in all_languages() if lang != source_language()]


def languages_translated_by(user):
    """The languages ``user``'s translation workspace shows: those they are assigned
    to; every one for administrators and editors (who review)."""
    if ADMIN in user.roles or user.department_ids(EDITOR):
        return translation_languages()
    return [lang for lang in translation_languages() if lang in user.languages()]


def translation_language_or_404(lang):
    if lang not in translation_languages():
        abort(404)
    return lang


def outdated_translations(articles):
    """{(article id, lang)} of the live translations whose source text has changed
    since the revision they were made from."""
    return changed_sources({(article.id, t.lang): (t.source_revision_id, article.live_revision_id)
                            for article in articles for t in article.translations
                            if t.lang != source_language() and t.source_revision_id not in (None, article.live_revision_id)})


def changed_sources(pairs):
    """The keys of ``pairs`` ({key: (revision translated from, live revision)}) whose
    source text differs between the two revisions."""
    if not pairs:
        return set()
    contents = {revision.id: revision.content for revision in db.session.scalars(
        select(ArticleRevision).where(ArticleRevision.id.in_({i for pair in pairs.values() for i in pair})))}
    return {key for key, (origin, live) in pairs.items()
            if origin in contents and live in contents and source_changed(contents[origin], contents[live])}


def is_outdated(article, lang):
    return (article.id, lang) in outdated_translations([article])


def translation_work(article, lang):
    """The work row of ``article`` in ``lang``: the stored one, or a new one not yet saved."""
    work = db.session.scalar(select(TranslationWork).where(
        TranslationWork.article_id == article.id, TranslationWork.lang == lang))
    return work or TranslationWork(article_id=article.id, article=article, lang=lang,
                                   state=TranslationState.IN_PROGRESS, text={}, agent={})


@dataclass
class TranslationRow:
    """One cell of the translators' table: a page in a language."""

    article: Article
    lang: str
    status: TranslationStatus


def translation_status(article, lang, outdated, work):
    if work is not None:
        return TranslationStatus(work.state)
    if article.translation(lang) is None:
        return TranslationStatus.MISSING
    return TranslationStatus.OUTDATED if (article.id, lang) in outdated else TranslationStatus.UP_TO_DATE


def translation_rows(langs, department_id=None, topic=None):
    """Every live article × each of ``langs``, with the status of its translation,
    by the article's title in the source language."""
    articles = sorted(live_articles(topic, department_id),
                      key=lambda article: article.title_in(source_language()).lower())
    outdated = outdated_translations(articles)
    works = {(w.article_id, w.lang): w for w in db.session.scalars(
        select(TranslationWork).where(TranslationWork.lang.in_(langs)))}
    return [TranslationRow(article, lang, translation_status(article, lang, outdated, works.get((article.id, lang))))
            for article in articles for lang in langs]


def next_public_change():
    """The next moment (UTC) at which public pages change by time alone: an approved
    alert starts or ends, or a live article reaches its unpublish time; None if none."""
    now = utcnow()
    approved = Alert.approved_at.is_not(None)
    moments = [db.session.scalar(select(func.min(column)).where(approved, column > now))
               for column in (Alert.starts_at, Alert.ends_at)]
    moments.append(db.session.scalar(select(func.min(Article.unpublish_at))
                                     .where(is_live(), Article.unpublish_at > now)))
    return min(filter(None, moments), default=None)
