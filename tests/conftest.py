"""Fixtures in the style of Flask's tutorial: app, client, runner, login_as.

Tests run with CSRF protection ON: helpers read the token from the page like
a browser does.  The demo database and search index are built once per test
session and copied for each test, so every test starts from the same state.
"""
import os
import re
import shutil

import pytest
from argon2 import PasswordHasher

import portal.auth.models as auth_models
from portal import create_app
from portal.cli import DEMO_PASSWORD

# Hashing with production cost would make the suite minutes slower.
auth_models._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(folder, **config):
    os.environ.pop("PORTAL_DATABASE_URL", None)
    os.environ.pop("PORTAL_INDEX_DIR", None)
    return create_app({"PORTAL_INSTANCE_DIR": str(folder), "TESTING": True,
                       "SECRET_KEY": "test-secret-key", **config})


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A migrated database with the demo data and its search index, built once."""
    folder = tmp_path_factory.mktemp("demo-template")
    app = make_app(folder)
    result = app.test_cli_runner().invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def app_config():
    """Settings for the ``app`` fixture; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def app(demo_template, tmp_path, app_config):
    folder = tmp_path / "instance"
    shutil.copytree(demo_template, folder, symlinks=True)
    return make_app(folder, **app_config)


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


def csrf_token(client, url):
    response = client.get(url)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def post_form(client, url, data, page=None):
    """Submit a form like a browser: fetch the page for its CSRF token first."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data})


@pytest.fixture
def login_as(client):
    def login(username, password=DEMO_PASSWORD):
        response = post_form(client, "/sv/logga-in", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return client
    return login
