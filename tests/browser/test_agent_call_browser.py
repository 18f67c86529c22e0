"""An agent during a call (issue 13): lands on the knowledge-base search with the
alerts folded and the staff menu in line with the page, sees what each hit holds,
ticks the checklist, copies the whole answer and gets back to the results, with
the back link or the browser's Back; axe on every page, in Swedish and English."""
import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, follow

pytestmark = pytest.mark.browser

CALL = {
    "sv": {"login": "/sv/logga-in", "search": "/sv/kunskap", "q": "hemtjänst", "title": "Hemtjänst",
           "box": "Sök i artiklar, talmanus och interna anteckningar", "rosa": "ROSA-nivå 2",
           "copy": "Kopiera svar", "back": "Tillbaka till träffarna", "phone": "Telefon: 0480-45 00 00"},
    "en": {"login": "/en/login", "search": "/en/knowledge", "q": "home help",
           "title": "Home help service", "box": "Search articles, call scripts and internal notes",
           "rosa": "ROSA level 2", "copy": "Copy answer", "back": "Back to the results",
           "phone": "Phone: 0480-45 00 00"},
}


def log_in(page, base_url, lang, username="agent"):
    page.goto(base_url + CALL[lang]["login"])
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    follow(page, page.locator("main form button[type=submit]"))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_agent_lands_on_the_search_and_the_alerts_leave_it_in_view(page, live_server, lang):
    text = CALL[lang]
    log_in(page, live_server, lang)
    assert page.url == live_server + text["search"]
    expect(page.get_by_label(text["box"])).to_be_in_viewport()
    alert = page.locator(".alert-details").first
    expect(alert.locator("p")).to_be_hidden()
    alert.locator("summary").click()
    expect(alert.locator("p")).to_be_visible()
    menu = page.locator(".staff-nav a").first.bounding_box()
    heading = page.locator("main h1").bounding_box()
    assert menu["x"] == pytest.approx(heading["x"], abs=1)
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_call_from_hit_to_answer_and_back_to_the_results(page, live_server, lang):
    text = CALL[lang]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    log_in(page, live_server, lang)
    page.get_by_label(text["box"]).type(text["q"], delay=20)
    hit = page.locator("#agent-results .result").first
    expect(hit.locator(".result-title")).to_contain_text(text["title"])
    expect(hit.locator(".result-details")).to_contain_text(text["rosa"])

    follow(page, hit.locator(".result-title a"))
    check = page.locator(".checklist input").first
    check.check()
    expect(check).to_be_checked()
    page.get_by_role("button", name=text["copy"]).click()
    expect(page.locator("#copy-status")).not_to_be_empty()
    copied = page.evaluate("navigator.clipboard.readText()")
    summary = page.locator("#answer-text p").first.inner_text()
    assert copied.startswith(summary) and text["phone"] in copied.splitlines()
    assert_accessible(page)

    page.go_back()
    expect(page.get_by_label(text["box"])).to_have_value(text["q"])
    expect(page.locator("#agent-results .result-title").first).to_contain_text(text["title"])
    page.go_forward()
    follow(page, page.get_by_role("link", name=text["back"]))
    expect(page.get_by_label(text["box"])).to_have_value(text["q"])
    expect(page.locator("#agent-results .result-title").first).to_contain_text(text["title"])


@pytest.mark.parametrize("lang, path", [("sv", "/sv/personal"), ("en", "/en/staff")])
def test_a_role_without_a_screen_lands_on_a_page_that_says_what_it_can_do(page, live_server,
                                                                         lang, path):
    log_in(page, live_server, lang, "admin")
    assert page.url == live_server + path
    expect(page.locator("main li a").first).to_be_visible()
    assert_accessible(page)
