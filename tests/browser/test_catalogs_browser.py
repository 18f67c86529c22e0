"""Translating the interface in the browser (issue 14, part M) passes axe-core's WCAG
2.1 A/AA rules in Swedish and in English: the overview with coverage, the message list
with its search, the edit page with a refused placeholder (the error state) and with
a plural message's three forms, and the list after a save.

The tests save translations, so they run on a portal of their own.
"""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, follow, login, served
from tests.browser.test_accessibility_content import switch_to_english
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en"]
MESSAGE = "Du är inloggad som %(name)s."


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    """The base URL of a demo portal of this module's own, with Ukrainian as a language."""
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("catalog-pages"),
                       PORTAL_LANGUAGES=["sv", "en", "uk"])
    with served(app) as url:
        yield url


def open_overview(page, base, username, lang):
    """Log in and open the overview from the staff menu, in ``lang``."""
    login(page, base, username)
    follow(page, page.get_by_role("navigation", name="Personal").get_by_role("link", name="Översätt gränssnittet"))
    if lang == "en":
        switch_to_english(page)
    expect(page.locator("h1")).to_have_text({"sv": "Översätt gränssnittet", "en": "Translate the interface"}[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translate_a_message_with_a_refused_placeholder_first(page, portal, lang):
    open_overview(page, portal, "translator", lang)
    for name in ("English", "Українська"):
        expect(page.locator("table.data tbody")).to_contain_text(name)
    assert_accessible(page)

    follow(page, page.locator("main").get_by_role("link", name="English"))
    expect(page.locator("table.data tbody tr")).to_have_count(50)
    assert_accessible(page)
    page.locator("#q").fill("inloggad som %(name)s")
    follow(page, page.locator("main form.filter-row button[type=submit]"))
    follow(page, page.get_by_role("link", name=MESSAGE, exact=True))
    assert_accessible(page)

    page.locator("#form_0").fill("You are signed in as %(namn)s.")
    follow(page, page.locator("main form[method=post] button[type=submit]"))
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#form_0-error")).to_contain_text("%(name)s")
    expect(page.locator("#form_0")).to_have_value("You are signed in as %(namn)s.")
    assert_accessible(page)

    page.locator("#form_0").fill("You have signed in as %(name)s.")
    follow(page, page.locator("main form[method=post] button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("table.data")).to_contain_text("You have signed in as %(name)s.")
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_plural_message_in_a_language_with_three_forms(page, portal, lang):
    open_overview(page, portal, "admin", lang)
    follow(page, page.locator("main").get_by_role("link", name="Українська"))
    page.locator("#q").fill("träffar")
    page.locator("#oversatta").check()
    follow(page, page.locator("main form.filter-row button[type=submit]"))
    follow(page, page.get_by_role("link", name="%(num)d träff", exact=True))
    expect(page.locator("main textarea")).to_have_count(3)
    expect(page.locator("main textarea").first).to_have_attribute("lang", "uk")
    assert_accessible(page)
