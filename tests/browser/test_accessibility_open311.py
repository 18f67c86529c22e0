"""The administrators' Open311 key pages pass axe-core's WCAG 2.1 A/AA rules, the
form's error state included, and work from the staff menu to a revoked key."""
import pytest

from tests.browser.conftest import assert_accessible, follow, login

pytestmark = pytest.mark.browser


def test_the_key_pages_are_accessible(page, live_server):
    login(page, live_server, "admin")
    follow(page, page.locator("nav.staff-nav a", has_text="Open311-nycklar"))
    assert_accessible(page)
    follow(page, page.locator("main a", has_text="Ny nyckel"))
    follow(page, page.locator("main form button[type=submit]"))
    assert page.title().startswith("Fel:")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert_accessible(page)
    page.fill("#name", "Tillgänglighetstestet")
    follow(page, page.locator("main form button[type=submit]"))
    assert page.input_value("#api-key").startswith("o311_")
    assert_accessible(page)
    follow(page, page.locator("main a", has_text="Tillbaka till Open311-nycklar"))
    row = page.locator("tr", has_text="Tillgänglighetstestet")
    follow(page, row.locator("button", has_text="Återkalla"))
    assert "är återkallad" in page.locator(".flash-messages").inner_text()
    assert_accessible(page)
