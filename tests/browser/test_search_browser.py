"""Agents search as they type and reach an article with the keyboard alone;
the search and curation pages pass axe in both languages."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def test_agent_finds_article_by_misspelt_compound_with_keyboard_only(page, live_server):
    login(page, live_server, "agent")
    page.goto(f"{live_server}/sv/")
    # From the top of the page: skip link, then Tab to the staff menu's knowledge base.
    page.get_by_role("link", name="Kunskapsbank").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    search_box = page.get_by_label("Sök i artiklar, talmanus och interna anteckningar")
    expect(search_box).to_be_focused()
    page.keyboard.type("parkeringstilstånd", delay=40)
    status = page.locator("#agent-search-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(re.compile(r"\d+ träff"))
    first = page.locator("#agent-results .result-title a").first
    expect(first).to_contain_text("Parkeringstillstånd")
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/sv/kunskap/" in page.url
    expect(page.locator("h1")).to_contain_text("Parkeringstillstånd")
    expect(page.get_by_role("heading", name="Internt för kontaktcenter")).to_be_visible()


def test_results_are_replaced_as_the_agent_types_and_escape_returns(page, live_server):
    login(page, live_server, "agent")
    page.goto(f"{live_server}/en/knowledge")
    box = page.get_by_label("Search articles, call scripts and internal notes")
    box.type("bygglof", delay=30)
    expect(page.locator("#agent-results li").first).to_contain_text(re.compile("bygglov", re.I))
    box.fill("")
    box.type("home help", delay=30)
    expect(page.locator("#agent-results .result-title a").first).to_contain_text("Home help service")
    expect(page.locator("#agent-search-status")).to_have_text(re.compile(r"\d+ results?"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(box).to_be_focused()
    # The address keeps the query, so Back after opening an article shows the results again.
    assert "q=home" in page.url, page.url


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_agent_search_is_accessible_with_and_without_results(page, live_server, lang):
    login(page, live_server, "agent")
    path = {"sv": "/sv/kunskap", "en": "/en/knowledge"}[lang]
    page.goto(f"{live_server}{path}")
    assert_accessible(page)
    page.locator("#agent-q").type("bygglov", delay=20)
    expect(page.locator("#agent-results li").first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server}{path}?q=xqzxqz")
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_curation_pages_and_their_errors_are_accessible(page, live_server, lang):
    words = {"sv": ("/sv/sokanpassning", "Ny synonymgrupp", "Ny rekommenderad träff", "Spara", "Hitta sidor"),
             "en": ("/en/search-tuning", "New synonym group", "New recommended result", "Save",
                    "Find pages")}[lang]
    overview, new_group, new_bet, save, find = words
    login(page, live_server, "editor")
    page.goto(f"{live_server}{overview}")
    assert_accessible(page)
    page.get_by_role("link", name=new_group).click()
    assert_accessible(page)
    page.get_by_role("button", name=save).click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)
    page.goto(f"{live_server}{overview}")
    page.get_by_role("link", name=new_bet).click()
    page.locator("#query").fill({"sv": "avfall", "en": "waste"}[lang])
    page.get_by_role("button", name=find).click()
    expect(page.locator("input[type=radio]").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=save).click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#query")).to_have_value({"sv": "avfall", "en": "waste"}[lang])
    assert_accessible(page)
