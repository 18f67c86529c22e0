"""Browser fixtures: the demo portal served by waitress, driven by Chromium.

One server and one browser per test session; every test gets a fresh browser
context (its own cookies), so tests never see each other's logins.  Chromium
is Debian's (``/usr/bin/chromium``); Playwright's own download is not used.
If Chromium is missing the tests fail: CI installs it (``.ci/run``).
"""
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.conftest import make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextmanager
def served(app):
    """Serve ``app`` with waitress on a free port while the block runs; gives its base URL."""
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="En vag in (test)")
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.task_dispatcher.shutdown(timeout=2)
        server.close()
        thread.join(timeout=2)


@pytest.fixture(scope="session")
def live_server(demo_template, tmp_path_factory):
    """Base URL (``http://127.0.0.1:<port>``) of a copy of the demo portal."""
    folder = tmp_path_factory.mktemp("live-server") / "instance"
    shutil.copytree(demo_template, folder, symlinks=True)
    with served(make_app(folder)) as url:
        yield url


# Languages written in both directions, for the right-to-left tests (issue 14).
FOUR_LANGUAGES = ["sv", "en", "fi", "ar"]


@pytest.fixture(scope="session")
def four_language_app(demo_template, tmp_path_factory):
    """A copy of the demo portal in Swedish, English, Finnish and Arabic, not yet served:
    a test module may add what it needs (translations) before it serves it."""
    folder = tmp_path_factory.mktemp("four-languages") / "instance"
    shutil.copytree(demo_template, folder, symlinks=True)
    return make_app(folder, PORTAL_LANGUAGES=FOUR_LANGUAGES)


@pytest.fixture(scope="session")
def four_language_server(four_language_app):
    """Base URL of :func:`four_language_app`, served."""
    with served(four_language_app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: the browser tests need it "
                    "(apt-get install chromium; .ci/run does this).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_locale():
    """The browser's language; override with ``@pytest.mark.parametrize("browser_locale", …)``."""
    return "sv-SE"


@pytest.fixture
def new_page(browser, browser_locale):
    """Open a page in a fresh context: one per person when a test needs several."""
    contexts = []

    def open_page():
        context = browser.new_context(locale=browser_locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, base_url, username, password=DEMO_PASSWORD):
    """Log in through the real login form, as a person would."""
    page.goto(f"{base_url}/sv/logga-in")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action$='/logga-in'] button[type=submit]")
    # Signed in: the header holds the logout form instead of the login link.
    assert page.locator("nav.account form button[type=submit]").count() == 1, \
        f"{username} could not log in (now at {page.url})"
    return page


def sign_in_at(page, url, username, password=DEMO_PASSWORD):
    """Open a staff page while logged out, log in on the login page it leads to (in the
    page's language, with the keyboard) and come back to it, as a person does."""
    page.goto(url)
    page.locator("#username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == url, f"{username} did not come back to {url} after logging in (now at {page.url})"
    return page


def type_into(page, selector, text):
    """Replace what a field holds with ``text``, typed with the keyboard."""
    page.locator(selector).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press(page, name):
    """Focus a button by its name and press Enter; wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).focus()
        page.keyboard.press("Enter")


def tab_to(page, target, limit=20):
    """Press Tab until ``target`` (a locator) has the focus: it can be reached with the keyboard."""
    for _tab in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def follow(page, locator):
    """Click a link or submit button and wait for the page it leads to; returns its response."""
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def assert_accessible(page):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; no violations allowed."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    })
    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0, (
        f"{results.violations_count} accessibility violation(s) on {page.url}:\n"
        + results.generate_snapshot())
