"""What a citizen sees on the start page and the language switch (issue 13): tiles
that lead to what they name, topics under English addresses, and a switch that
says when a page is only in Swedish.  axe on every page, in Swedish and English."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, follow

pytestmark = pytest.mark.browser

START = {"sv": ("/sv/", "Vanliga ärenden", "Felanmälan", "Hitta efter ämne", "Omsorg och stöd", "/sv/amne/omsorg-och-stod"),
         "en": ("/en/", "Common tasks", "Report a fault", "Find by topic", "Care and support", "/en/topic/care-and-support")}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_start_page_leads_where_it_says(page, live_server, lang):
    path, tasks, fault, topics, topic, topic_path = START[lang]
    page.goto(f"{live_server}{path}")
    assert_accessible(page)
    tiles = page.get_by_role("region", name=tasks)
    follow(page, tiles.get_by_role("link", name=fault, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(fault)
    assert_accessible(page)

    page.goto(f"{live_server}{path}")
    follow(page, page.get_by_role("region", name=topics).get_by_role("link", name=topic))
    assert page.url.endswith(topic_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(topic)
    assert_accessible(page)


def test_the_language_switch_leads_to_an_untranslated_page_that_says_it_is_in_swedish(page, live_server):
    page.goto(f"{live_server}/sv/artikel/attefallshus-och-friggebod")
    switch = page.get_by_role("navigation", name="Språk")
    follow(page, switch.get_by_role("link", name="English", exact=True))
    assert page.url == f"{live_server}/en/article/attefallshus-och-friggebod"
    assert page.get_attribute("html", "lang") == "en"
    expect(page.locator(".translation-notice")).to_have_text(
        "This page is not available in your language yet. You are reading it in Swedish.")
    expect(page.locator(".article-head")).to_have_attribute("lang", "sv")
    assert_accessible(page)
