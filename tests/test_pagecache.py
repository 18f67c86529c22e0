"""The page cache (portal/pagecache.py): public pages served as kept copies, never stale.

A copy is proven to be served by changing the database behind the cache's back (an SQL
UPDATE that neither sends a signal nor goes through the ORM): the page still shows the
old text.  Every real change (publishing, archiving, alerts, topics, languages,
interface texts; made by this app or by another process) shows at once.
"""
import time
from datetime import timedelta

import pytest
from flask import make_response
from sqlalchemy import select, text

from content import operations
from content.models import Alert, Article, ArticleTranslation, ArticleViews
from portal.auth.models import User
from portal.catalogs import queries as catalog_queries
from portal.catalogs.operations import SAVE_TRANSLATION
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Topic
from portal.pagecache import raise_generation, register_cacheable
from tests.conftest import CSRF_RE, act, make_app, save

ARTICLE = "/sv/artikel/grovavfall"
TOPIC = "/sv/amne/bygga-och-bo"


def behind_the_caches_back(statement, **values):
    """Change the database as no part of the portal does: no signal, no ORM."""
    db.session.execute(text(statement), values)
    db.session.commit()


def retitle_quietly(app, slug, title):
    with app.app_context():
        behind_the_caches_back("UPDATE article_translation SET title = :title WHERE slug = :slug",
                               title=title, slug=slug)


def admin():
    return db.session.scalar(select(User).where(User.username == "admin"))


def article(slug):
    return db.session.scalar(select(Article).join(ArticleTranslation).where(ArticleTranslation.slug == slug))


def page(client, url):
    return client.get(url).get_data(as_text=True)


# --- served from the cache ------------------------------------------------------------
def test_a_public_page_is_served_as_a_kept_copy(app, client):
    assert "<h1>Grovavfall" in page(client, ARTICLE)
    retitle_quietly(app, "grovavfall", "Tyst ändrad")
    assert "<h1>Grovavfall" in page(client, ARTICLE)
    assert "Tyst ändrad" in page(client, ARTICLE + "?utm_source=sms")   # a query string: not from the cache


def test_a_kept_article_still_counts_its_readers(app, client):
    """The reads of kept copies are written every few seconds (here: at once)."""
    for _ in range(3):
        assert client.get(ARTICLE).status_code == 200
    with app.app_context():
        operations.write_pending_view_counts()
        counted = db.session.scalar(select(ArticleViews.views).where(
            ArticleViews.article_id == article("grovavfall").id, ArticleViews.lang == "sv"))
    assert counted == 3


def test_each_reader_gets_a_token_of_their_own_that_works(app, client):
    other = app.test_client()
    first, second = page(client, ARTICLE), page(other, ARTICLE)
    tokens = CSRF_RE.search(first).group(1), CSRF_RE.search(second).group(1)
    assert tokens[0] != tokens[1]
    answered = other.post(f"{ARTICLE}/omdome", data={"csrf_token": tokens[1], "helpful": "yes"})
    assert answered.status_code == 302


# --- never stale ----------------------------------------------------------------------
def test_publishing_shows_at_once(app, client):
    assert "<h1>Grovavfall" in page(client, ARTICLE)
    with app.app_context():
        item = article("grovavfall")
        content = item.latest_revision.content
        content.texts["sv"].title = "Grovavfall – nya tider"
        save(item, admin(), content)
        act("submit", item, admin())
        act("approve", item, admin())
    assert "<h1>Grovavfall – nya tider" in page(client, ARTICLE)


def test_an_editor_s_drafts_leave_the_kept_pages_alone(app, client):
    """Saving, submitting and rejecting change no public page: the copies stay (the load
    benchmark's editor emptied the cache every few seconds while these raised it)."""
    def generation():
        with app.app_context():
            return db.session.execute(text("SELECT value FROM page_generation")).scalar() or 0

    assert "<h1>Grovavfall" in page(client, ARTICLE)
    before = generation()
    with app.app_context():
        item = article("grovavfall")
        content = item.latest_revision.content
        content.texts["sv"].title = "Grovavfall – utkast"
        save(item, admin(), content)
        act("submit", item, admin())
        act("reject", item, admin(), comment="Skriv tiderna också.")
    assert generation() == before
    assert "Grovavfall – utkast" not in page(client, ARTICLE)
    with app.app_context():
        act("submit", article("grovavfall"), admin())
        act("approve", article("grovavfall"), admin())
    assert generation() > before
    assert "<h1>Grovavfall – utkast" in page(client, ARTICLE)


def test_archiving_removes_the_page_at_once(app, client):
    assert client.get(ARTICLE).status_code == 200
    with app.app_context():
        act("archive", article("grovavfall"), admin())
    assert client.get(ARTICLE).status_code == 404


def new_alert(title, starts_at, ends_at, severity="crisis"):
    db.session.add(Alert(severity=severity, department_id=1, titles={"sv": title}, messages={"sv": "Text"},
                         starts_at=starts_at, ends_at=ends_at, approved_at=utcnow()))
    db.session.commit()


def test_a_new_alert_shows_at_once(app, client):
    assert "Stormvarning" not in page(client, ARTICLE)
    with app.app_context():
        new_alert("Stormvarning", utcnow() - timedelta(minutes=1), utcnow() + timedelta(hours=1))
    assert "Stormvarning" in page(client, ARTICLE)
    assert "Stormvarning" in page(client, "/sv/driftinformation")


def test_alerts_start_and_end_by_time_on_kept_pages(app, client):
    with app.app_context():
        soon = utcnow() + timedelta(seconds=2)
        new_alert("Snart över", utcnow() - timedelta(minutes=1), soon)
        new_alert("Snart börjar", soon, soon + timedelta(hours=1))
    first = client.get(ARTICLE)
    assert "Snart över" in first.text and "Snart börjar" not in first.text
    assert first.headers["Cache-Control"] in ("private, max-age=1", "private, max-age=2")
    time.sleep(2.1)
    html = page(client, ARTICLE)
    assert "Snart över" not in html and "Snart börjar" in html


def test_a_renamed_topic_shows_at_once(app, client):
    assert "Bygga och bo" in page(client, TOPIC) and "Bygga och bo" in page(client, "/sv/")
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.slug == "bygga-och-bo"))
        topic.names = {**topic.names, "sv": "Bygga, bo och miljö"}
        db.session.commit()
    assert "Bygga, bo och miljö" in page(client, TOPIC)
    assert "Bygga, bo och miljö" in page(client, "/sv/")


def test_an_enabled_language_shows_in_the_language_switch_at_once(app, client, runner):
    assert "Eesti" not in page(client, "/sv/")
    assert runner.invoke(args=["add-language", "et", "--enable"]).exit_code == 0
    assert "Eesti" in page(client, "/sv/")


def test_a_saved_interface_translation_shows_at_once(app, client):
    assert "Contact us" in page(client, "/en/")
    with app.test_request_context("/"):
        entry = next(e for e in catalog_queries.entries("en") if e.msgid == "Kontakta oss")
        SAVE_TRANSLATION.execute(entry, admin(), language="en", forms=["Get in touch"])
    assert "Get in touch" in page(client, "/en/")


def test_a_change_made_by_another_process_shows_at_once(app, client):
    """Another server, the CLI or the scheduler: an app of its own on the same database."""
    assert "<h1>Grovavfall" in page(client, ARTICLE)
    other = make_app(app.instance_path)
    with other.app_context():
        act("archive", article("grovavfall"), admin())
    assert client.get(ARTICLE).status_code == 404


# --- not kept, not served -------------------------------------------------------------
def test_staff_never_get_a_kept_copy(app, client, login_as):
    page(client, ARTICLE)
    retitle_quietly(app, "grovavfall", "Tyst ändrad")
    login_as("agent")
    response = client.get(ARTICLE)
    assert "Tyst ändrad" in response.text and response.headers["Cache-Control"] == "no-store"


def test_a_flash_message_is_shown_and_never_kept(app, client):
    page(client, TOPIC)
    with client.session_transaction() as browser:
        browser["_flashes"] = [("success", "Tack för ditt meddelande")]
    flashed = client.get(TOPIC)
    assert "Tack för ditt meddelande" in flashed.text and flashed.headers["Cache-Control"] == "private, no-store"
    assert "Tack för ditt meddelande" not in page(app.test_client(), TOPIC)


def test_a_form_page_keeps_no_token_of_anyone(app, client):
    """The token is cut out of the kept copy: a reader never gets another's."""
    token = CSRF_RE.search(page(client, ARTICLE)).group(1)
    kept = [value for _expires, value in app.extensions["portal.cache"].cache._cache.values()]
    assert kept and not any(token.encode() in value for value in kept)


@pytest.fixture
def cookie_app(demo_template, tmp_path):
    from tests.conftest import copy_of_demo

    app = copy_of_demo(demo_template, tmp_path)
    served = []

    def with_cookie():
        served.append(1)
        response = make_response("<p>Kaka</p>")
        response.set_cookie("seen", "1")
        return response

    app.add_url_rule("/test/kaka", "with_cookie", with_cookie)
    register_cacheable(app, "with_cookie")
    return app, served


def test_a_page_that_sets_a_cookie_is_not_kept(cookie_app):
    app, served = cookie_app
    client = app.test_client()
    for _ in range(2):
        assert "seen=1" in client.get("/test/kaka").headers["Set-Cookie"]
    assert len(served) == 2


# --- what proxies and browsers may keep ---------------------------------------------------
def test_proxies_may_keep_public_pages_for_a_short_while(client):
    for url in ("/sv/", TOPIC, "/sv/driftinformation", "/sitemap.xml", "/sv/e-tjanster"):
        first, again = client.get(url), client.get(url)
        for response in (first, again):
            assert response.headers["Cache-Control"] == "public, max-age=30, stale-if-error=300", url
            assert "Cookie" in response.headers["Vary"] and response.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": again.headers["ETag"]}).status_code == 304


def test_a_page_with_a_form_is_kept_by_the_browser_only(client):
    first = client.get(ARTICLE)
    again = client.get(ARTICLE)
    assert first.headers["Cache-Control"] == again.headers["Cache-Control"] == "private, max-age=30"
    assert again.headers["ETag"] == first.headers["ETag"]
    assert client.get(ARTICLE, headers={"If-None-Match": again.headers["ETag"]}).status_code == 304
    assert app_client_etag(client) != again.headers["ETag"]


def app_client_etag(client):
    """The ETag another browser (another CSRF secret) gets for the same article."""
    return client.application.test_client().get(ARTICLE).headers["ETag"]


def test_a_reader_with_a_draft_gets_the_landing_page_of_their_own(client):
    """The landing page offers to go on with a draft kept in the session: never a copy."""
    url = "/sv/e-tjanster/felanmalan"
    assert client.get(url).headers["Cache-Control"].startswith(("public", "private, max-age"))
    with client.session_transaction() as browser:
        browser["eservice_drafts"] = {"felanmalan": "en-token-som-inte-finns"}
    assert client.get(url).headers["Cache-Control"] == "private, no-store"


def test_the_language_choice_of_the_bare_address_depends_on_the_browser(client):
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.headers["Location"].endswith("/en/") and "Accept-Language" in response.headers["Vary"]


def test_a_returning_reader_gets_public_pages_without_a_cookie(client):
    """A session that holds only the CSRF secret (after an article's form) is neither
    rewritten nor sent again, so a proxy never keeps anyone's cookie."""
    assert "portal_session" in client.get(ARTICLE).headers["Set-Cookie"]
    for _ in range(2):
        response = client.get(TOPIC)
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in client.get(ARTICLE).headers


def test_pages_made_for_the_reader_leave_their_cookie_alone_too(client):
    """A page the cache does not serve (a query string, a search, a static file) neither
    rewrites a session that holds only the CSRF secret nor clears a remember-me cookie;
    the token of the reader's first page still works afterwards."""
    first = client.get(ARTICLE)
    token = CSRF_RE.search(first.get_data(as_text=True)).group(1)
    for url in (ARTICLE + "?utm_source=sms", "/sv/sok?q=avfall", "/static/js/portal.js"):
        assert "Set-Cookie" not in client.get(url).headers, url
    assert client.post(f"{ARTICLE}/omdome", data={"csrf_token": token, "helpful": "yes"}).status_code == 302


def test_a_page_made_anew_the_same_still_answers_the_browsers_copy_with_304(app, client):
    first = client.get(TOPIC)
    with app.app_context():
        raise_generation(db.session)   # a change elsewhere: every kept page is made anew
        db.session.commit()
    again = client.get(TOPIC, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"].startswith("public")
