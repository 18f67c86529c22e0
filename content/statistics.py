"""The knowledge base's figures in the statistics (issue 15): content gaps (page
feedback per article, articles past their review date, missing and outdated
translations per förvaltning and language) and article views per topic for the
self-service comparison.  It also tells the search statistics which förvaltning and
topics an article belongs to (``portal.search.register_facet_lookup``).

Counted by the database; comments on page feedback are citizens' free text and are
only counted here (the editors read them on the article's feedback page).
"""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select, true

from content import queries
from content.models import Article, ArticleTranslation, ArticleViews, PageFeedback, article_topic
from portal import search
from portal.extensions import db
from portal.i18n import current_language, source_language
from portal.org.models import Department, Topic
from portal.org.queries import department_names
from portal.stats import Column, Section, Table, register_statistics
from portal.stats.bounds import local_today, utc_bounds
from portal.stats.topics import register_topic_figures

FEEDBACK_ROWS = 100
OVERDUE_ROWS = 200


def init_app(app):
    register_statistics(app, "content", content_section, order=80)
    register_topic_figures(app, "article_views", _l("Artikelvisningar"), views_per_topic, order=200)
    search.register_facet_lookup(app, "article", article_facets)
    search.register_topic_owners(app, topic_owners)


def of_departments(query):
    """The articles of the query's förvaltningar (every article when it names none)."""
    return true() if query.department_ids is None else Article.department_id.in_(query.department_ids)


def content_section(query):
    with search.url_context():   # the monthly report asks outside a request
        return Section(key="content", title=_l("Innehåll som saknas eller brister"), tables=[
            feedback_per_article(query), overdue_reviews_per_department(query), overdue_reviews(query),
            translations_per_department(query)])


# --- page feedback ------------------------------------------------------------------
def feedback_per_article(query):
    """Answers to "Hjälpte sidan dig?" in the period (spam left out), by article."""
    first, after = utc_bounds(query)
    answers = func.count().label("answers")
    conditions = [PageFeedback.spam.is_(False), PageFeedback.created_at >= first,
                  PageFeedback.created_at < after, of_departments(query)]
    if query.lang:
        conditions.append(PageFeedback.lang == query.lang)
    rows = db.session.execute(
        select(PageFeedback.article_id, answers, func.sum(case((PageFeedback.helpful, 1), else_=0)),
               func.sum(case((PageFeedback.comment != "", 1), else_=0)))
        .join(Article, Article.id == PageFeedback.article_id).where(and_(*conditions))
        .group_by(PageFeedback.article_id).order_by(answers.desc(), PageFeedback.article_id)
        .limit(FEEDBACK_ROWS)).all()
    articles = {article.id: article for article in queries.articles_by_id([row[0] for row in rows])}
    names = department_names(current_language())
    return Table(
        key="content_feedback", public=False, title=_l("Omdömen per artikel"),
        columns=[Column("article", _l("Artikel")), Column("department", _l("Förvaltning")),
                 Column("answers", _l("Svar"), "int"), Column("helpful", _l("Hjälpte"), "percent"),
                 Column("comments", _l("Kommentarer"), "int")],
        rows=[(title(articles[article_id]), names.get(articles[article_id].department_id), n, 100 * helpful / n,
               comments) for article_id, n, helpful, comments in rows],
        links=[url_for("content.feedback_list", article=article_id) for article_id, *_counts in rows],
        note=_l("Svar på ”Hjälpte sidan dig?” under perioden, utan svar markerade som skräp. "
                "Kommentarerna läser förvaltningens redaktörer på artikelns sida med omdömen."))


def title(article):
    """The title in the reader's language where the article has one (else the Swedish)."""
    return article.title_in(current_language())


# --- review dates -------------------------------------------------------------------
def overdue():
    """Live articles whose review date has passed."""
    return and_(queries.is_live(), Article.review_before < local_today())


def overdue_reviews_per_department(query):
    count = func.count().label("n")
    rows = db.session.execute(
        select(Article.department_id, count, func.min(Article.review_before))
        .where(overdue(), of_departments(query)).group_by(Article.department_id)
        .order_by(count.desc(), Article.department_id)).all()
    names = department_names(current_language())
    return Table(
        key="content_overdue_by_department", public=False, title=_l("Artiklar som skulle ha granskats, per förvaltning"),
        columns=[Column("department", _l("Förvaltning")), Column("articles", _l("Artiklar"), "int"),
                 Column("oldest", _l("Äldsta granskningsdatum"), "date")],
        rows=[(names.get(department_id), n, oldest) for department_id, n, oldest in rows], chart="bar",
        links=[url_for("content.dashboard") for _row in rows],
        note=_l("Nuläge: publicerade artiklar vars granskningsdatum har passerat, oavsett period."))


def overdue_reviews(query):
    articles = db.session.scalars(select(Article).where(overdue(), of_departments(query))
                                  .order_by(Article.review_before, Article.id).limit(OVERDUE_ROWS)).all()
    names = department_names(current_language())
    today = local_today()
    return Table(
        key="content_overdue", public=False, title=_l("Artiklar som skulle ha granskats"),
        columns=[Column("article", _l("Artikel")), Column("department", _l("Förvaltning")),
                 Column("review_before", _l("Granskas senast"), "date"),
                 Column("days", _l("Dagar sedan"), "days")],
        rows=[(title(article), names.get(article.department_id), article.review_before,
               (today - article.review_before).days) for article in articles],
        links=[url_for("content.edit_article", article_id=article.id) for article in articles],
        note=_l("De %(n)d som väntat längst.", n=OVERDUE_ROWS))


# --- translations -------------------------------------------------------------------
def translations_per_department(query):
    """Live articles per förvaltning and language: how many have no text in the language,
    and how many have one whose Swedish has changed since it was translated."""
    langs = [query.lang] if query.lang else queries.translation_languages()
    langs = [lang for lang in langs if lang != source_language()]
    live = dict(db.session.execute(select(Article.department_id, func.count()).where(
        queries.is_live(), of_departments(query)).group_by(Article.department_id)).all())
    translated = {(department_id, lang): n for department_id, lang, n in db.session.execute(
        select(Article.department_id, ArticleTranslation.lang, func.count())
        .join(ArticleTranslation, ArticleTranslation.article_id == Article.id)
        .where(queries.is_live(), of_departments(query), ArticleTranslation.lang.in_(langs))
        .group_by(Article.department_id, ArticleTranslation.lang))}
    outdated = outdated_per_department(query, langs)
    names = department_names(current_language())
    cells = [(department_id, lang) for department_id in sorted(live, key=lambda d: names.get(d, ""))
             for lang in langs]
    return Table(
        key="content_translations", public=False, title=_l("Översättningar som saknas eller är inaktuella"),
        columns=[Column("department", _l("Förvaltning")), Column("lang", _l("Språk")),
                 Column("articles", _l("Publicerade artiklar"), "int"), Column("missing", _l("Saknas"), "int"),
                 Column("outdated", _l("Inaktuella"), "int")],
        rows=[(names.get(department_id), lang, live[department_id],
               live[department_id] - translated.get((department_id, lang), 0), outdated.get((department_id, lang), 0))
              for department_id, lang in cells],
        links=[url_for("content.translations", department=department_id, lang=lang) for department_id, lang in cells],
        note=_l("Nuläge, oavsett period. Inaktuell: den svenska texten har ändrats sedan översättningen gjordes."))


def outdated_per_department(query, langs):
    """{(department id, lang): live translations whose source text has changed}: the
    database picks those made from another revision than the live one, and only their
    revisions are compared."""
    candidates = db.session.execute(
        select(Article.id, Article.department_id, ArticleTranslation.lang, ArticleTranslation.source_revision_id,
               Article.live_revision_id)
        .join(ArticleTranslation, ArticleTranslation.article_id == Article.id)
        .where(queries.is_live(), of_departments(query), ArticleTranslation.lang.in_(langs),
               ArticleTranslation.source_revision_id.is_not(None),
               ArticleTranslation.source_revision_id != Article.live_revision_id)).all()
    changed = queries.changed_sources({(article_id, department_id, lang): (origin, live_id)
                                       for article_id, department_id, lang, origin, live_id in candidates})
    counts = {}
    for _article_id, department_id, lang in changed:
        counts[(department_id, lang)] = counts.get((department_id, lang), 0) + 1
    return counts


# --- for the search statistics and the self-service table ---------------------------
def article_facets(doc_ids):
    """{article id (str): (department code, [topic slugs])}."""
    ids = [int(doc_id) for doc_id in doc_ids if str(doc_id).isdigit()]
    if not ids:
        return {}
    facets = {str(article_id): (code, []) for article_id, code in db.session.execute(
        select(Article.id, Department.code).join(Department, Department.id == Article.department_id)
        .where(Article.id.in_(ids)))}
    for article_id, slug in db.session.execute(
            select(article_topic.c.article_id, Topic.slug).join(Topic, Topic.id == article_topic.c.topic_id)
            .where(article_topic.c.article_id.in_(ids))):
        facets[str(article_id)][1].append(slug)
    return facets


def topic_owners():
    """{topic slug: code of the förvaltning with the most live articles on the topic}."""
    count = func.count().label("n")
    owners = {}
    for slug, code, _n in db.session.execute(
            select(Topic.slug, Department.code, count)
            .join(article_topic, article_topic.c.topic_id == Topic.id)
            .join(Article, Article.id == article_topic.c.article_id)
            .join(Department, Department.id == Article.department_id)
            .where(queries.is_live()).group_by(Topic.slug, Department.code)
            .order_by(count.desc(), Department.code)):
        owners.setdefault(slug, code)
    return owners


def views_per_topic(query):
    """{topic slug: views of its articles in the period} (the query's förvaltningar and language)."""
    conditions = [ArticleViews.day >= query.start, ArticleViews.day <= query.end, of_departments(query)]
    if query.lang:
        conditions.append(ArticleViews.lang == query.lang)
    return dict(db.session.execute(
        select(Topic.slug, func.sum(ArticleViews.views))
        .join(article_topic, article_topic.c.topic_id == Topic.id)
        .join(ArticleViews, ArticleViews.article_id == article_topic.c.article_id)
        .join(Article, Article.id == ArticleViews.article_id)
        .where(and_(*conditions)).group_by(Topic.slug)).all())
