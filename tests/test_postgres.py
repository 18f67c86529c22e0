"""The same code on PostgreSQL: migrations, demo data, login and its throttling,
workflow, search and a case's whole round.

Runs when PORTAL_TEST_DATABASE_URL points to a PostgreSQL database that may
be emptied (``.ci/run`` starts a private server for it).
"""
import os

import pytest
from sqlalchemy import delete, func, select, text

from content.models import Article, ArticleTranslation
from eservices.models import Case, CaseRead, CaseStatus
from portal.auth.models import LoginThrottle, User
from portal.extensions import db
from tests.conftest import act, make_app, post_form, save, send_case_action
from tests.test_article_translations import change_swedish, decide, notice, signed_in, translate
from tests.test_catalogs import save as save_translation
from tests.test_login_throttle import PARALLEL_CASES, parallel_wrong_logins

URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not URL, reason="PORTAL_TEST_DATABASE_URL is not set")]


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory, postgres_url):
    app = make_app(tmp_path_factory.mktemp("pg"), SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    return app


def test_migrations_and_demo_data(pg_app):
    with pg_app.app_context():
        assert db.session.execute(text("SELECT version()")).scalar().startswith("PostgreSQL")
        assert db.session.scalar(select(User).where(User.username == "editor"))
        assert len(db.session.scalars(select(Article)).all()) >= 60


def test_login_pages_and_search(pg_app):
    client = pg_app.test_client()
    assert post_form(client, "/sv/logga-in", {"username": "agent",
                                             "password": "kontaktcenter-demo"}).status_code == 302
    assert "Hemtjänst" in client.get("/sv/artikel/hemtjanst").get_data(as_text=True)
    assert client.get("/api/v1/search?q=hemtjanst&lang=sv&scope=agent").json["total"] > 0
    assert client.get("/healthz").json["database"] == "ok"


def test_workflow_round_trip(pg_app):
    with pg_app.app_context(), pg_app.test_request_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        article = db.session.scalar(select(Article).where(Article.live_revision_id.is_not(None)))
        save(article, admin, article.latest_revision.content, "pg")
        act("submit", article, admin)
        act("approve", article, admin)
        assert article.live_revision_id == article.latest_revision_id


def test_a_translation_round_trip(pg_app):
    """Translated, approved, then outdated by a Swedish change; the translators' table reads it."""
    with pg_app.app_context():
        article = db.session.scalar(select(ArticleTranslation.article_id).where(
            ArticleTranslation.slug == "boendeparkering"))
    english = {"title": "Residents' parking", "slug": "residents-parking-pg", "summary": "A card.", "body": "Text."}
    assert translate(signed_in(pg_app, "translator"), article, "en", "submit", **english).status_code == 302
    assert decide(signed_in(pg_app, "editor"), article, "en", "approve").status_code == 302
    client = pg_app.test_client()
    assert notice(client.get("/en/article/residents-parking-pg").get_data(as_text=True)) is None
    change_swedish(pg_app.app_context, article, "ingen garanterad plats", "aldrig en garanterad plats")
    assert notice(client.get("/en/article/residents-parking-pg").get_data(as_text=True)) is not None
    assert "Inaktuell" in signed_in(pg_app, "translator").get("/sv/oversattning?status=outdated").get_data(as_text=True)


@PARALLEL_CASES
def test_parallel_wrong_logins_are_counted_one_by_one(pg_app, monkeypatch, settings, usernames):
    for name, value in settings.items():
        monkeypatch.setitem(pg_app.config, name, value)
    checked, statuses = parallel_wrong_logins(pg_app, monkeypatch, usernames)
    with pg_app.app_context():
        db.session.execute(delete(LoginThrottle))
        db.session.commit()
    assert checked == 5, f"{checked} of 30 passwords checked"
    assert sorted(statuses) == [200] * 5 + [429] * 25


def test_a_case_goes_round_the_loop(pg_app):
    """Case handling on PostgreSQL, through the pages: an agent forwards a call with its
    handover, the agent finds it again by phone, the officer finds it first in the queue,
    takes it and answers; the citizen reads the answer and writes back; the officer
    solves it, the citizen reopens it, and the daily SLA digest runs twice."""
    agent, officer, citizen = (pg_app.test_client() for _ in range(3))
    login(agent, "agent")
    login(officer, "officer")
    forwarded = post_form(agent, "/sv/kontakt", {
        "channel": "telefon", "question_type": "eservice:felanmalan", "do": "forwarded",
        "text": "Gatlampan utanför Storgatan 4 är släckt sedan i söndags.", "name": "Eva Ek",
        "email": "eva.ek@example.se", "phone": "070-222 33 44", "notify_by": "email", "lang": "sv",
        "authority": "", "department": "TF", "asked": "Varför lampan inte lyser.",
        "answered": "Att en felanmälan behövs.", "needs": "Att lampan lagas.", "reach": "E-post."})
    assert forwarded.status_code == 302
    with pg_app.app_context():
        case = db.session.scalar(select(Case).order_by(Case.id.desc()))
        case_id, reference, token = case.id, case.reference, case.tracking_token
        assert (case.status, case.department.code) == (CaseStatus.FORWARDED, "TF")
        assert case.response_due_at is not None
    found = post_form(agent, "/sv/kontakt/arenden", {"q": "+46 70 222 33 44"}).get_data(as_text=True)
    assert f">{reference}</a>" in found
    queue = officer.get("/sv/handlaggning").get_data(as_text=True)
    assert reference in queue
    assert send_case_action(officer, case_id, "take").status_code == 302
    assert send_case_action(officer, case_id, "reply", text="Vi lagar lampan i veckan.").status_code == 302
    tracking = citizen.get(f"/sv/arende/{token}").get_data(as_text=True)
    assert "Vi lagar lampan i veckan." in tracking
    assert post_form(citizen, f"/sv/arende/{token}/svara", {"text": "Tack!"},
                     page=f"/sv/arende/{token}").status_code == 302
    assert send_case_action(officer, case_id, "solve", outcome="solved", text="Lampan är lagad.").status_code == 302
    assert post_form(citizen, f"/sv/arende/{token}/oppna-igen", {"text": "Det är inte åtgärdat."},
                     page=f"/sv/arende/{token}").status_code == 302
    with pg_app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.REOPENED
        assert [e.kind for e in case.events if e.kind in ("message_out", "message_in", "solved", "reopened")] == [
            "message_out", "message_in", "solved", "reopened"]
        assert db.session.scalar(select(func.count()).select_from(CaseRead).where(CaseRead.case_id == case_id))
    runner = pg_app.test_cli_runner()
    assert runner.invoke(args=["sla-check"]).exit_code == 0
    assert runner.invoke(args=["sla-check"]).output == "Sent 0 digests.\n"


def login(client, username):
    assert post_form(client, "/sv/logga-in", {"username": username,
                                             "password": "kontaktcenter-demo"}).status_code == 302


def test_an_interface_translation_saved_in_the_browser(pg_app):
    """Saved by the translator, served at once by this app and by a second one on the
    same database (another process), as on SQLite."""
    other = make_app(pg_app.instance_path,
                     SQLALCHEMY_DATABASE_URI=pg_app.config["SQLALCHEMY_DATABASE_URI"]).test_client()
    assert "Contact us" in other.get("/en/").get_data(as_text=True)
    translator = pg_app.test_client()
    login(translator, "translator")
    assert save_translation(translator, "en", "Kontakta oss", "Get in touch").status_code == 302
    assert "Get in touch" in other.get("/en/").get_data(as_text=True)


def test_a_kept_page_is_never_older_than_another_servers_change(pg_app, tmp_path):
    """The page cache reads the page generation through the session on PostgreSQL."""
    client = pg_app.test_client()
    assert "<h1>Grovavfall" in client.get("/sv/artikel/grovavfall").get_data(as_text=True)
    other = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=pg_app.config["SQLALCHEMY_DATABASE_URI"])
    with other.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        article = db.session.scalar(select(Article).join(ArticleTranslation)
                                    .where(ArticleTranslation.slug == "grovavfall"))
        act("archive", article, admin)
    assert client.get("/sv/artikel/grovavfall").status_code == 404
