"""The administrators' language page passes axe-core's WCAG 2.1 A/AA rules in Swedish
and English, the form's error state included, and is reached from the staff menu.
Enabling a language shows it in the language switch; disabling it takes it away
again (the live server is shared, so the test leaves it as it found it)."""
import pytest

from tests.browser.conftest import assert_accessible, follow, login

pytestmark = pytest.mark.browser


def test_the_language_page_and_its_error_state_are_accessible(page, live_server):
    login(page, live_server, "admin")
    follow(page, page.locator("nav.staff-nav a", has_text="Språk"))
    assert_accessible(page)
    page.fill("#code", "sv_SE")
    follow(page, page.locator("main form button", has_text="Lägg till språket"))
    assert page.title().startswith("Fel:")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.input_value("#code") == "sv_SE"
    assert_accessible(page)

    follow(page, page.locator("nav.language-switcher a", has_text="English"))
    assert page.url.endswith("/en/admin/languages")
    assert_accessible(page)
    page.fill("#code", "fi")
    follow(page, page.locator("main form button", has_text="Add the language"))
    assert "The language fi has already been added." in page.locator(".error-summary").inner_text()
    assert_accessible(page)


def test_enabling_a_language_puts_it_in_the_language_switch(page, live_server):
    login(page, live_server, "admin")
    page.goto(f"{live_server}/sv/admin/sprak")
    row = page.locator("tr", has_text="Soomaali")
    follow(page, row.locator("button", has_text="Slå på"))
    assert "Soomaali är påslaget" in page.locator(".flash-messages").inner_text()
    assert_accessible(page)
    follow(page, page.locator("nav.language-switcher a", has_text="Soomaali"))
    assert page.url.endswith("/so/admin/sprak")
    assert page.locator("html").get_attribute("lang") == "so"
    row = page.locator("tr", has_text="Soomaali")
    follow(page, row.locator("button", has_text="Slå av"))
    assert page.url.endswith("/sv/admin/sprak")     # /so/ is gone: back in the source language
    assert "Soomaali är avslaget" in page.locator(".flash-messages").inner_text()
    assert page.locator("nav.language-switcher a", has_text="Soomaali").count() == 0
