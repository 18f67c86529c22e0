"""Fixtures in the style of Flask's tutorial: app, client, runner, login_as; and smtp,
an SMTP server on localhost that keeps what it receives.

Tests run with CSRF protection ON: helpers read the token from the page like
a browser does.  The demo database and search index are built once per test
session and copied for each test, so every test starts from the same state.
The apps take no settings from the shell (``PORTAL_*``), and a test that changes
the environment, the working directory or ``sys.path`` other than through a
fixture that undoes it (``monkeypatch``) fails.
"""
import asyncio
import email
import email.policy
import os
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, make_url, text

from portal import create_app
from portal.demo import DEMO_PASSWORD

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Hashing with production cost would make the suite minutes slower.
FAST_HASHING = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def make_app(folder, **config):
    """An app on ``folder`` whatever the environment says (database, index, secret)."""
    folder = Path(folder)
    return create_app({"PORTAL_INSTANCE_DIR": str(folder), "TESTING": True,
                       "SECRET_KEY": "test-secret-key", "ARGON2_PARAMETERS": FAST_HASHING,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/portal.sqlite3",
                       "PORTAL_INDEX_DIR": str(folder / "search-index"),
                       "PORTAL_UPLOAD_DIR": str(folder / "uploads"),
                       "PORTAL_RATELIMIT_ENABLED": False, **config})


@pytest.fixture(scope="session")
def postgres_url():
    """The PostgreSQL database for this test process: PORTAL_TEST_DATABASE_URL, or under
    pytest-xdist a database of the worker's own on the same server (``portal_test_gw0``…,
    made on first use), so that two workers never empty each other's database."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    server = make_url(url)
    name = f"{server.database}_{worker}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def is_portal_setting(name):
    """Environment variables ``create_app`` reads (the tests' own database URL aside)."""
    return (name.startswith("PORTAL_") and name != "PORTAL_TEST_DATABASE_URL") or name == "SECRET_KEY"


@pytest.fixture(scope="session", autouse=True)
def settings_not_from_the_shell():
    """The apps under test take no setting from the shell that runs the tests
    (a PORTAL_MAIL_SERVER there would have them send real mail)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if is_portal_setting(name)]:
            patch.delenv(name)
        yield


def global_state():
    """The environment (less pytest's own note of the running test), the working
    directory and the import path."""
    environment = {name: value for name, value in os.environ.items()
                   if name != "PYTEST_CURRENT_TEST"}
    return environment, os.getcwd(), list(sys.path)


@pytest.fixture(autouse=True)
def no_global_changes():
    """A test changes the environment, the working directory or the import path only
    through a fixture that undoes it (``monkeypatch`` has undone its changes when this
    checks)."""
    before = global_state()
    yield
    after = global_state()
    changed = sorted(name for name in before[0].keys() | after[0].keys()
                     if before[0].get(name) != after[0].get(name))
    assert after == before, f"the test changed os.environ {changed}, the working directory or sys.path"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A migrated database with the demo data and its search index, built once."""
    folder = tmp_path_factory.mktemp("demo-template")
    app = make_app(folder)
    result = app.test_cli_runner().invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    return folder


def copy_of_demo(demo_template, folder, **config):
    """An app on its own copy of the demo instance (database and search index)."""
    shutil.copytree(demo_template, folder / "instance", symlinks=True)
    return make_app(folder / "instance", **config)


@pytest.fixture
def app_config():
    """Settings for the ``app`` fixture; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(demo_template, tmp_path, app_config):
    return copy_of_demo(demo_template, tmp_path, **app_config)


@pytest.fixture
def ctx(app):
    """An app context for reading the database between requests.

    Not pushed during requests: a request inside a pushed context would share
    its ``g`` (the login and CSRF caches) with the test.
    """
    def context():
        return app.app_context()
    return context


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- a real SMTP server on localhost, for the tests of mail -----------------------------
class SmtpServer:
    """An SMTP server on a free local port that keeps the messages it receives.

    ``stop()`` and ``start()`` again (on the same port) make an outage;
    ``delay`` seconds before each answer widen the window for races.
    """

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages = []
        self.delay = 0
        self._controller = None

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


REVISION_RE = re.compile(r'name="revision_id" value="(\d+)"')


def csrf_token(client, url):
    response = client.get(url)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client, url, data, page=None):
    """Submit a form like a browser: fetch the page for its CSRF token first."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data})


def post_action(client, article_id, action, **fields):
    """Press a workflow button on the article's edit page, as the person who opened it."""
    page = f"/sv/redaktion/{article_id}"
    html = client.get(page).get_data(as_text=True)
    token, revision = CSRF_RE.search(html).group(1), REVISION_RE.search(html).group(1)
    return client.post(f"{page}/atgard", data={"csrf_token": token, "revision_id": revision,
                                               "action": action, **fields})


SEEN_RE = re.compile(r'name="seen_version" value="(\d+)">\s*<input type="hidden" name="seen_event" value="(\d+)"')


def send_case_action(client, case_id, action, page=None, **fields):
    """Send one action form of an officer's case page as a browser does: with a CSRF token
    and the case's version and last timeline line as the page (``page``: its HTML, when
    already fetched) showed them."""
    html = page if page is not None else client.get(f"/sv/handlaggning/{case_id}").get_data(as_text=True)
    version, event_id = SEEN_RE.search(html).groups()
    return client.post(f"/sv/handlaggning/{case_id}/atgard", data={
        f"{action}-csrf_token": CSRF_RE.search(html).group(1), "action": action, "seen_version": version,
        "seen_event": event_id, **{f"{action}-{name}": value for name, value in fields.items()}})


@pytest.fixture
def login_as(client):
    def login(username, password=DEMO_PASSWORD):
        response = post_form(client, "/sv/logga-in", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return client
    return login


def act(name, article, user, **context):
    """Run the article workflow action ``name`` on the latest revision, as the views do."""
    from content.operations import ACTIONS

    context.setdefault("revision", article.latest_revision)
    return ACTIONS[name].execute(article, user, **context)


def save(article, user, content, comment=""):
    """Save ``content`` as a new revision on top of the latest one."""
    return act("save", article, user, content=content, base_revision=article.latest_revision,
               comment=comment)
