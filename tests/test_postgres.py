"""The same code on PostgreSQL: migrations, demo data, login and its throttling,
workflow and search.

Runs when PORTAL_TEST_DATABASE_URL points to a PostgreSQL database that may
be emptied (``.ci/run`` starts a private server for it).
"""
import os

import pytest
from sqlalchemy import delete, select, text

from content.models import Article
from portal.auth.models import LoginThrottle, User
from portal.extensions import db
from tests.conftest import act, make_app, post_form, save
from tests.test_login_throttle import PARALLEL_CASES, parallel_wrong_logins

URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not URL, reason="PORTAL_TEST_DATABASE_URL is not set")]


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("pg"), SQLALCHEMY_DATABASE_URI=URL)
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
