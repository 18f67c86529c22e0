"""The shell's pages pass axe-core's WCAG 2.1 A/AA rules for every role and
language, and the skip link works from the keyboard."""
import pytest

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser

DEMO_ROLES = ["admin", "agent", "officer", "editor", "translator", "manager"]
LANGUAGES = {"sv": "/sv", "en": "/en"}
LOGIN_PATHS = {"sv": "/sv/logga-in", "en": "/en/login"}
MISSING_PATHS = {"sv": "/sv/finns-inte", "en": "/en/does-not-exist"}


@pytest.mark.parametrize("username", [None, *DEMO_ROLES], ids=["anonymous", *DEMO_ROLES])
def test_start_page_is_accessible_for_every_role(page, live_server, username):
    if username:
        login(page, live_server, username)
    for lang, prefix in LANGUAGES.items():
        response = page.goto(f"{live_server}{prefix}/")
        assert response.status == 200
        assert page.get_attribute("html", "lang") == lang
        assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_login_page_and_its_error_state_are_accessible(page, live_server, lang):
    page.goto(f"{live_server}{LOGIN_PATHS[lang]}")
    assert_accessible(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.count() == 1
    assert page.title().startswith(("Fel:", "Error:"))
    # The summary takes focus so that screen readers announce it (portal.js).
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_attribute("#username", "aria-invalid") == "true"
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_not_found_page_is_accessible(page, live_server, lang):
    response = page.goto(f"{live_server}{MISSING_PATHS[lang]}")
    assert response.status == 404
    assert page.get_attribute("html", "lang") == lang
    assert_accessible(page)


def test_skip_link_is_first_and_moves_focus_to_main(page, live_server):
    page.goto(f"{live_server}/sv/")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => {
        const el = document.activeElement;
        return {cls: el.className, href: el.getAttribute('href')};
    }""")
    assert focused == {"cls": "skip-link", "href": "#main"}
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    # The next Tab continues from the content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
