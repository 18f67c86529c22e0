"""The manager's cost-allocation key and employee counts pass axe-core's WCAG 2.1 A/AA
rules, with their errors shown, from the staff menu to the computed table."""
import pytest

from tests.browser.conftest import assert_accessible, follow, login

pytestmark = pytest.mark.browser


def test_the_cost_allocation_pages_are_accessible(page, live_server):
    login(page, live_server, "manager")
    follow(page, page.locator("nav.staff-nav a", has_text="Fördelningsnyckel"))
    assert_accessible(page)
    page.fill("#start", "2025-05-31")
    page.fill("#end", "2025-05-01")
    page.fill("#budget", "en miljon")
    follow(page, page.locator("main form button[type=submit]"))
    assert page.title().startswith("Fel:")
    assert_accessible(page)
    follow(page, page.locator("main a", has_text="Anställda per förvaltning"))
    page.fill("#" + page.locator("main form input[type=text]").first.get_attribute("id"), "-4")
    follow(page, page.locator("main form button[type=submit]"))
    assert "Skriv antalet anställda som ett heltal" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.locator("main form input[type=text]").first.fill("120")
    follow(page, page.locator("main form button[type=submit]"))
    page.fill("#start", "2025-01-01")
    page.fill("#end", "2025-12-31")
    page.fill("#budget", "4 500 000")
    follow(page, page.locator("main form button[type=submit]"))
    assert page.locator("main table.data tbody tr").count() == 9
    assert_accessible(page)
