"""Public pages in a crisis peak (issue 16): each reads what it shows in a few queries,
however many related articles, topics, alerts and translations there are, and a
browser's copy is confirmed (304) without loading or rendering the page; yet the
ETag changes with everything the page shows, so a 304 never hides a change."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import event, select

from content.models import Alert, Article, ArticleTranslation
from portal.auth.models import User
from portal.catalogs.models import InterfaceTranslation
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department
from tests.conftest import act, save

SV_PAGE, EN_PAGE = "/sv/artikel/hemtjanst", "/en/article/home-help-service"
MAX_QUERIES = 5
ARTICLE_QUERIES = 4   # its reads are counted in memory: no write of its own


@pytest.fixture
def app_config():
    """The views' own queries and ETags: the page cache (tests/test_pagecache.py) is off,
    or it would answer the second request itself."""
    return {"PORTAL_CACHE_URL": "none://"}


@contextmanager
def statements(app):
    """The SQL statements the app sends meanwhile (INSERTs and UPDATEs too)."""
    with app.app_context():
        engine = db.engine
    sent = []

    def note(_connection, _cursor, statement, *_args):
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def queries_of(app, url, **headers):
    """The response to an anonymous GET of ``url`` and the statements it took (the app
    warmed up first: a page's first request in a process builds its catalogue)."""
    app.test_client().get(url)
    with statements(app) as sent:
        response = app.test_client().get(url, headers=headers)
    return response, sent


def article_id(slug):
    return db.session.scalar(select(ArticleTranslation.article_id).where(ArticleTranslation.slug == slug))


def admin():
    return db.session.scalar(select(User).where(User.username == "admin"))


def republish(slug, change):
    """Publish a new version of the article at ``slug`` through the editors' workflow,
    its content changed by ``change(content)``."""
    article = db.session.get(Article, article_id(slug))
    content = article.latest_revision.content
    change(content)
    save(article, admin(), content)
    act("submit", article, admin())
    act("approve", article, admin())


def relate(ctx, slug, count):
    """Make the article at ``slug`` relate to ``count`` other live articles; their titles
    in each language, as a page shows them."""
    with ctx():
        others = db.session.scalars(select(Article).where(Article.id != article_id(slug),
                                                          Article.live_revision_id.is_not(None))
                                    .order_by(Article.id).limit(count)).all()
        titles = {lang: [str(escape(other.title_in(lang))) for other in others] for lang in ("sv", "en")}
        republish(slug, lambda content: setattr(content, "related", [other.id for other in others]))
    return titles


def add_alerts(ctx, slug, count, severity="info"):
    """``count`` approved alerts in force, on the article at ``slug``; their titles."""
    titles = [f"Meddelande {number} ({severity}, {slug})" for number in range(count)]
    with ctx():
        article = db.session.get(Article, article_id(slug))
        department = db.session.scalar(select(Department.id).order_by(Department.id))
        for title in titles:
            db.session.add(Alert(severity=severity, department_id=department, titles={"sv": title},
                                 messages={"sv": f"{title}: mer information."}, articles=[article],
                                 starts_at=utcnow() - timedelta(minutes=1), approved_at=utcnow()))
        db.session.commit()
    return titles


# --- how many queries a page takes ---------------------------------------------------
@pytest.mark.parametrize("url", [SV_PAGE, EN_PAGE])
def test_an_article_page_takes_four_queries_however_much_it_shows(app, ctx, url):
    relate(ctx, "hemtjanst", 0)
    few, few_sent = queries_of(app, url)

    related = relate(ctx, "hemtjanst", 10)
    alerts = add_alerts(ctx, "hemtjanst", 2) + add_alerts(ctx, "grovavfall", 1, severity="crisis")
    many, many_sent = queries_of(app, url)

    html = many.get_data(as_text=True)
    assert few.status_code == many.status_code == 200
    assert all(title in html for title in related[url[1:3]] + alerts) and "Meddelande" not in few.get_data(as_text=True)
    assert len(many_sent) == len(few_sent) <= ARTICLE_QUERIES, many_sent


def test_the_start_page_takes_five_queries_whatever_the_alerts(app, ctx):
    few, few_sent = queries_of(app, "/sv/")
    alerts = add_alerts(ctx, "hemtjanst", 3, severity="crisis")
    many, many_sent = queries_of(app, "/sv/")
    english, english_sent = queries_of(app, "/en/")

    assert all(title in many.get_data(as_text=True) and title in english.get_data(as_text=True) for title in alerts)
    assert len(many_sent) == len(few_sent) <= MAX_QUERIES, many_sent
    assert len(english_sent) <= MAX_QUERIES, english_sent


@pytest.mark.parametrize("url", ["/sv/amne/omsorg-och-stod", "/sv/amne/bygga-och-bo", "/en/topic/care-and-support"])
def test_a_topic_page_takes_five_queries_however_many_articles_it_lists(app, url):
    response, sent = queries_of(app, url)
    assert response.status_code == 200 and response.get_data(as_text=True).count('class="card"') >= 2
    assert len(sent) <= MAX_QUERIES, sent


@pytest.mark.parametrize("url", ["/sv/e-tjanster/felanmalan", "/en/e-services/parkeringstillstand"])
def test_an_e_service_landing_page_takes_few_queries(app, url):
    response, sent = queries_of(app, url)
    assert response.status_code == 200 and len(sent) <= 3, sent


# --- the browser's copy --------------------------------------------------------------
def conditional_get(client, url):
    """A GET, then the same GET with the ETag it answered: the second response."""
    etag = client.get(url).headers["ETag"]
    return client.get(url, headers={"If-None-Match": etag})


@pytest.mark.parametrize("url", [SV_PAGE, EN_PAGE])
def test_a_current_copy_is_confirmed_in_three_queries_without_counting_a_view(app, ctx, url):
    relate(ctx, "hemtjanst", 10)
    add_alerts(ctx, "hemtjanst", 3)
    client = app.test_client()
    etag = client.get(url).headers["ETag"]

    with statements(app) as sent:
        response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304 and response.get_data() == b""
    assert len(sent) <= 3, sent
    assert not any(statement.lstrip().upper().startswith(("INSERT", "UPDATE")) for statement in sent)


def changed_since_copy(app, url, change):
    """The answer to a browser that has the page as it was before ``change()``."""
    client = app.test_client()
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    change()
    return client.get(url, headers={"If-None-Match": etag})


def test_a_republished_article_is_sent_again(app, ctx):
    def retitle():
        with ctx():
            republish("hemtjanst", lambda content: setattr(content.texts["sv"], "title", "Hemtjänst i hemmet"))

    response = changed_since_copy(app, SV_PAGE, retitle)
    assert response.status_code == 200 and "Hemtjänst i hemmet" in response.get_data(as_text=True)


def test_a_republished_related_article_is_sent_again(app, ctx):
    relate(ctx, "hemtjanst", 3)
    with ctx():
        related = db.session.get(Article, article_id("hemtjanst")).related[0].title_in("sv")
        slug = db.session.scalar(select(ArticleTranslation.slug).where(ArticleTranslation.title == related))

    def retitle():
        with ctx():
            republish(slug, lambda content: setattr(content.texts["sv"], "title", "Nytt namn på sidan"))

    response = changed_since_copy(app, SV_PAGE, retitle)
    assert response.status_code == 200 and "Nytt namn på sidan" in response.get_data(as_text=True)


@pytest.mark.parametrize("severity", ["info", "crisis"])
def test_a_new_alert_is_sent_at_once(app, ctx, severity):
    titles = []
    response = changed_since_copy(app, SV_PAGE, lambda: titles.extend(add_alerts(
        ctx, "hemtjanst" if severity == "info" else "grovavfall", 1, severity)))
    assert response.status_code == 200 and titles[0] in response.get_data(as_text=True)


def test_a_changed_interface_translation_is_sent_at_once(app, ctx):
    def retranslate():
        with ctx():
            db.session.add(InterfaceTranslation(language="en", msgid="Relaterat", forms=["See also"]))
            db.session.commit()

    response = changed_since_copy(app, EN_PAGE, retranslate)
    assert response.status_code == 200 and "See also" in response.get_data(as_text=True)
