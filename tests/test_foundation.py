"""The shell: languages, login, roles, error pages, health, CLI."""
import re

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from tests.conftest import post_form

DEMO_ROLES = ["admin", "agent", "officer", "editor", "translator", "manager"]


def test_root_follows_browser_language(client):
    assert client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).location == "/en/"
    assert client.get("/", headers={"Accept-Language": "de,sv;q=0.5"}).location == "/sv/"
    assert client.get("/", headers={"Accept-Language": "de"}).location == "/sv/"


@pytest.mark.parametrize("url, lang, text", [
    ("/sv/", "sv", "Välkommen till"), ("/en/", "en", "Welcome to")])
def test_start_page_speaks_its_language(client, url, lang, text):
    html = client.get(url).get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    assert text in html
    assert 'hreflang="sv" href="http://127.0.0.1:5000/sv/"' in html
    assert 'hreflang="en" href="http://127.0.0.1:5000/en/"' in html


def test_language_switcher_keeps_the_page(client):
    html = client.get("/sv/logga-in").get_data(as_text=True)
    assert 'href="/en/login" lang="en"' in html


def test_login_logout_and_session_renewal(client):
    client.get("/sv/logga-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    response = post_form(client, "/sv/logga-in",
                         {"username": "agent", "password": "kontaktcenter-demo"})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
    assert "Kim Kommunvägledare" in client.get("/sv/").get_data(as_text=True)
    response = post_form(client, "/sv/logga-ut", {}, page="/sv/")
    assert response.status_code == 302
    assert "Logga in för personal" in client.get("/sv/").get_data(as_text=True)


def test_old_session_cookie_dies_at_logout(app, login_as):
    client = login_as("agent")
    cookie = client.get_cookie("portal_session").value
    post_form(client, "/sv/logga-ut", {}, page="/sv/")
    thief = app.test_client()
    thief.set_cookie("portal_session", cookie)
    html = thief.get("/sv/").get_data(as_text=True)
    assert "Logga ut" not in html and "Logga in för personal" in html


def test_session_cookie_flags(client):
    response = post_form(client, "/sv/logga-in",
                         {"username": "agent", "password": "kontaktcenter-demo"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_message_in_english(client):
    response = post_form(client, "/en/login", {"username": "agent", "password": "wrong-password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wrong username or password." in html
    assert "<title>Error:" in html
    assert 'value="agent"' in html and "wrong-password" not in html


def test_missing_fields_are_named_at_the_field(client):
    html = post_form(client, "/sv/logga-in", {"username": "", "password": ""}).get_data(as_text=True)
    assert 'href="#username">Skriv ditt användarnamn.' in html
    assert 'href="#password">Skriv ditt lösenord.' in html


def test_repeated_failures_are_throttled_per_account(client):
    for _attempt in range(5):
        post_form(client, "/sv/logga-in", {"username": "editor", "password": "guess-guess-guess"})
    response = post_form(client, "/sv/logga-in",
                         {"username": "editor", "password": "kontaktcenter-demo"})
    assert response.status_code == 429
    assert "För många försök" in response.get_data(as_text=True)
    # another account from the same address is not locked by these failures
    response = post_form(client, "/sv/logga-in", {"username": "agent", "password": "kontaktcenter-demo"})
    assert response.status_code == 302


def test_repeated_failures_are_throttled_per_address(app, client):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 3
    for name in ("a1", "a2", "a3"):
        post_form(client, "/sv/logga-in", {"username": name, "password": "guess-guess-guess"})
    response = post_form(client, "/sv/logga-in", {"username": "agent", "password": "kontaktcenter-demo"})
    assert response.status_code == 429


def test_no_password_is_stored_or_logged(ctx, client, caplog):
    post_form(client, "/sv/logga-in", {"username": "hunter2-secret-pw", "password": "hunter2-secret-pw"})
    assert "hunter2" not in caplog.text
    from portal.auth.models import LoginThrottle
    with ctx():
        stored = db.session.scalars(select(LoginThrottle)).all()
        assert len(stored) == 2 and all("hunter2" not in row.key for row in stored)


def test_password_is_hashed_with_argon2(ctx):
    with ctx():
        user = db.session.scalar(select(User).where(User.username == "agent"))
        assert user.password_hash.startswith("$argon2id$")


def test_forged_csrf_token_is_refused_in_users_language(client):
    response = client.post("/en/login", data={"username": "agent", "password": "kontaktcenter-demo",
                                              "csrf_token": "forged"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    response = client.post("/sv/logga-in", data={"username": "agent", "password": "x"})
    assert response.status_code == 400
    assert "Formuläret hade gått ut" in response.get_data(as_text=True)


@pytest.mark.parametrize("url, status, text", [
    ("/sv/finns-inte", 404, "Sidan finns inte"),
    ("/en/does-not-exist", 404, "Page not found"),
])
def test_error_pages_have_reference_and_language(client, url, status, text):
    response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert text in html
    assert re.search(r"[0-9a-f]{10}", html)


def test_wrong_method_gives_405_page(client):
    response = client.get("/sv/logga-ut")
    assert response.status_code == 405
    assert "Det går inte att göra så här" in response.get_data(as_text=True)


def test_unexpected_error_shows_no_stack_trace(app, client):
    @app.route("/sv/boom")
    def boom():
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/sv/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Något gick fel hos oss" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_too_large_upload_gives_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 100
    response = client.post("/sv/logga-in", data={"username": "x" * 500})
    assert response.status_code == 413
    assert "för stor" in response.get_data(as_text=True)


def test_healthz_reports_database_and_index(app, client, monkeypatch):
    """The checks run at most every PORTAL_HEALTH_CHECK_SECONDS (2), so a load balancer
    may poll every second; a failure shows once that time has passed."""
    from portal import views

    now = [1000.0]
    monkeypatch.setattr(views, "monotonic", lambda: now[0])
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.json == {"status": "ok", "database": "ok", "search_index": "ok"}
    import shutil
    shutil.rmtree(app.config["PORTAL_INDEX_DIR"])
    now[0] += 1.9
    assert client.get("/healthz").status_code == 200
    now[0] += 0.1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["search_index"] == "missing"


def test_security_headers(client):
    headers = client.get("/sv/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_every_demo_account_can_log_in(login_as, username):
    client = login_as(username)
    assert "Logga ut" in client.get("/sv/").get_data(as_text=True)


def test_create_user_command(ctx, runner, login_as):
    result = runner.invoke(args=["create-user", "nina", "--name", "Nina Handläggare",
                                 "--role", "officer:SOF", "--role", "translator:en",
                                 "--password", "en-lang-fras-som-duger"])
    assert result.exit_code == 0, result.output
    with ctx():
        user = db.session.scalar(select(User).where(User.username == "nina"))
        assert {g.role for g in user.grants} == {"officer", "translator"}
        assert user.languages() == {"en"}
    login_as("nina", "en-lang-fras-som-duger")


@pytest.mark.parametrize("args, message", [
    (["--role", "agent", "--password", "short"], "minst 12 tecken"),
    (["--role", "editor", "--password", "en-lang-fras-som-duger"], "department code"),
    (["--role", "wizard", "--password", "en-lang-fras-som-duger"], "unknown role"),
])
def test_create_user_refuses_bad_input(runner, args, message):
    result = runner.invoke(args=["create-user", "olle", "--name", "Olle", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_init_is_idempotent(ctx, runner):
    result = runner.invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    with ctx():
        assert len(db.session.scalars(select(User).where(User.username == "admin")).all()) == 1


def test_init_without_demo_creates_no_accounts(tmp_path):
    from tests.conftest import make_app
    app = make_app(tmp_path / "plain")
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(select(User)).all() == []


def test_secret_key_is_generated_not_constant(tmp_path, monkeypatch):
    from portal import create_app
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"PORTAL_INSTANCE_DIR": str(tmp_path / "a")}).config["SECRET_KEY"]
    second = create_app({"PORTAL_INSTANCE_DIR": str(tmp_path / "b")}).config["SECRET_KEY"]
    again = create_app({"PORTAL_INSTANCE_DIR": str(tmp_path / "a")}).config["SECRET_KEY"]
    assert first != second and first == again and len(first) >= 32
