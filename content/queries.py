"""Reading articles, alerts and feedback: 404 and 403 decided in one place, and the
lists each person may see (``*_visible_to(user)``)."""
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, lazyload

from content.models import (
    Alert, Article, ArticleEvent, ArticleRevision, ArticleSlug, ArticleTranslation, PageFeedback,
    ReviewState, TranslationState, TranslationStatus, TranslationWork, alert_article, article_related,
    article_topic,
)
from content.revisions import RevisionData, source_changed
from portal.auth.models import ADMIN, EDITOR, MANAGER, RoleGrant, User
from portal.catalogs import runtime as catalogs
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import all_languages, source_language
from portal.org.models import Department, Topic
from portal.org.queries import departments_for_role
from portal.search.models import SearchLogEntry

ZERO_HIT_DAYS = 90


@dataclass
class ArticlePage:
    """A live article at a public address, with what its page and the page's ETag
    need besides the article itself (see ``live_article_page``)."""

    article: Article
    translation: ArticleTranslation      # the text the address leads to
    related_state: tuple                 # (count, sum of live revision ids) of its live related articles
    catalog_version: int                 # of the interface catalogue in the page's language
    outdated: bool                       # a translation whose source text has changed since


def live_article_page(lang, slug):
    """The live article for a public URL and its text: the text in ``lang``, else the
    source language's under its own address (a page not translated into ``lang`` is
    read in Swedish, never a 404); 404 when no live article has the address.

    One query brings what the page shows of the article (texts, topics, live
    revision, förvaltning, whether the text in ``lang`` is outdated) and what its
    ETag needs: the state of its related articles (a republished one has a newer
    revision id, an archived one is no longer counted) and the version of the
    interface catalogue, which ``portal.catalogs`` then uses for the rest of the
    request.
    """
    rows = db.session.execute(article_page_statement(), {
        "lang": lang, "source": source_language(), "slug": slug, "now": utcnow()},
    ).unique(lambda row: row[0].id).all()
    for text_lang in dict.fromkeys((lang, source_language())):
        for article, count, revisions, catalog_version, origin in rows:
            translation = article.translation(text_lang)
            if translation is not None and translation.slug == slug:
                catalogs.remember_version(lang, catalog_version)
                outdated = origin is not None and text_lang != source_language() and source_changed(
                    RevisionData.from_json(origin), article.live_revision.content)
                return ArticlePage(article, translation, (count, revisions), catalog_version, outdated)
    abort(404)


@cache
def article_page_statement():
    """The statement of ``live_article_page``, built once per process (building it took
    longer than running it), with the parameters ``lang``, ``source``, ``slug`` and ``now``."""
    lang, now = bindparam("lang"), bindparam("now")
    holders = select(ArticleTranslation.article_id).where(
        ArticleTranslation.slug == bindparam("slug"), ArticleTranslation.lang.in_([lang, bindparam("source")]))
    other = aliased(Article)
    related = (select(func.count()).select_from(article_related)
               .join(other, other.id == article_related.c.related_id)
               .where(article_related.c.article_id == Article.id, is_live(other, now)))
    related_sum = related.with_only_columns(func.coalesce(func.sum(other.live_revision_id), 0))
    return (
        select(Article, related.scalar_subquery(), related_sum.scalar_subquery(), catalogs.version_column(lang),
               translated_from(lang))
        .outerjoin(article_topic, article_topic.c.article_id == Article.id)
        .outerjoin(Topic, Topic.id == article_topic.c.topic_id)   # flat joins: SQLite materialises nested ones
        .where(Article.id.in_(holders), is_live(now=now)).order_by(Topic.position)
        .options(contains_eager(Article.topics), joinedload(Article.translations),
                 joinedload(Article.live_revision).lazyload(ArticleRevision.created_by)))


def translated_from(lang):
    """The content (``data``) of the revision the article's text in ``lang`` was
    translated from, where that is not the live revision: what tells whether the
    translation is outdated (as ``outdated_translations``), for the query of one article."""
    origin = aliased(ArticleRevision)
    return (select(origin.data).join(ArticleTranslation, ArticleTranslation.source_revision_id == origin.id)
            .where(ArticleTranslation.article_id == Article.id, ArticleTranslation.lang == lang,
                   origin.id != Article.live_revision_id).scalar_subquery())


def related_live_texts(article, lang):
    """The live articles ``article`` relates to, in the order of their ids, each as its
    text in ``lang`` or else in the source language: rows of ``article_id``, ``lang``,
    ``slug`` and ``title``, all that the page shows of them (one query of four columns;
    loading the articles themselves cost a tenth of the page)."""
    rows = db.session.execute(related_texts_statement(), {
        "article_id": article.id, "lang": lang, "source": source_language(), "now": utcnow()})
    chosen = {}
    for row in rows:
        if row.lang == lang or row.article_id not in chosen:
            chosen[row.article_id] = row
    return list(chosen.values())


@cache
def related_texts_statement():
    """The statement of ``related_live_texts``, built once per process."""
    text, article = ArticleTranslation.__table__.c, Article.__table__.c   # Core: no ORM work on the rows
    return (select(text.article_id, text.lang, text.slug, text.title)
            .join(article_related, article_related.c.related_id == text.article_id)
            .join(Article.__table__, article.id == text.article_id)
            .where(article_related.c.article_id == bindparam("article_id"), is_live(article, bindparam("now")),
                   text.lang.in_([bindparam("lang"), bindparam("source")]))
            .order_by(text.article_id))


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


def is_live(article=Article, now=None):
    """``Article.is_live()`` as an SQL condition (on ``article``: an alias of ``Article``
    or its table's columns; ``now``: a moment or a bound parameter, by default the
    current moment)."""
    return and_(article.live_revision_id.is_not(None), article.archived_at.is_(None),
                or_(article.unpublish_at.is_(None), article.unpublish_at > (utcnow() if now is None else now)))


def live_articles(topic=None, department_id=None):
    """The live articles with their texts (one query; their topics are read when asked)."""
    query = select(Article).where(is_live()).options(joinedload(Article.translations), lazyload(Article.topics))
    if topic is not None:
        query = query.where(Article.topics.contains(topic))
    if department_id is not None:
        query = query.where(Article.department_id == department_id)
    return db.session.scalars(query).unique().all()


def live_articles_by_slug(slugs):
    """{Swedish address: live article, with its texts} of these addresses (one query)."""
    if not slugs:
        return {}
    articles = db.session.scalars(
        select(Article).join(ArticleTranslation).where(
            ArticleTranslation.lang == source_language(), ArticleTranslation.slug.in_(slugs), is_live())
        .options(joinedload(Article.translations), lazyload(Article.topics))).unique().all()
    return {article.translation(source_language()).slug: article for article in articles}


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
    shown on (one query, a row per alert and article; loading the articles themselves
    cost more than the rest of a page)."""
    rows = db.session.execute(alerts_statement(), {"moment": moment}).all()
    alerts = {}
    for alert, article_id in rows:
        alerts.setdefault(alert, set()).add(article_id)
    for alert, article_ids in alerts.items():
        alert.article_ids = article_ids - {None}
    return sorted(alerts, key=lambda alert: alert.severity.rank, reverse=True)


@cache
def alerts_statement():
    """The statement of ``_alerts_at``, built once per process."""
    moment = bindparam("moment")
    return (select(Alert, alert_article.c.article_id).outerjoin(alert_article, alert_article.c.alert_id == Alert.id)
            .where(Alert.approved_at.is_not(None), Alert.starts_at <= moment,
                   or_(Alert.ends_at.is_(None), Alert.ends_at > moment))
            .order_by(Alert.starts_at.desc(), Alert.id)
            .options(lazyload(Alert.department)))   # no page that lists them names it


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
