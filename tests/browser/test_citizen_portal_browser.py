"""Issue 13, the citizens' points as a person meets them, in Swedish and English,
at a desktop's width and a phone's (390 px), with axe on every page visited:
search from the header (the 404 page too), filters folded on phones, the article's
contact box and e-services right after the lead, feedback in one click, and the
contact and alerts pages."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, follow

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TEXT = {
    "sv": {"missing": "/sv/finns-inte", "search": "Sök på webbplatsen", "query": "avfall", "filter": "Filtrera",
           "article": "/sv/artikel/felanmalan-gator-gatubelysning-och-parker", "yes": "Ja", "thanks": "Tack för ditt svar",
           "comment": "Vad kan vi göra bättre?", "send": "Skicka kommentaren",
           "got_it": "Vi har också fått din kommentar.", "contact": "Kontakta oss",
           "alerts": "/sv/driftinformation", "severity": "Störning", "until": "Gäller till och med",
           "feed": "Prenumerera i en nyhetsläsare"},
    "en": {"missing": "/en/no-such-page", "search": "Search the website", "query": "waste", "filter": "Filter",
           "article": "/en/article/report-a-fault-streets-lighting-and-parks", "yes": "Yes", "thanks": "Thank you for your answer",
           "comment": "What could we do better?", "send": "Send the comment",
           "got_it": "We have received your comment too.", "contact": "Contact us",
           "alerts": "/en/service-alerts", "severity": "Disruption", "until": "In effect until",
           "feed": "Subscribe in a news reader"},
}


@pytest.fixture(params=["desktop", "phone"])
def sized_page(request, page):
    if request.param == "phone":
        page.set_viewport_size(PHONE)
    page.width = request.param
    return page


def in_view(page, locator):
    """The element's top is inside the first screenful."""
    return locator.bounding_box()["y"] < page.viewport_size["height"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_search_from_the_404_page_and_filters_that_fold_on_phones(sized_page, live_server, lang):
    page, text = sized_page, TEXT[lang]
    assert page.goto(live_server + text["missing"]).status == 404
    box = page.get_by_role("search").get_by_label(text["search"])
    expect(box).to_be_visible()
    assert in_view(page, box)
    assert_accessible(page)

    box.fill(text["query"])
    with page.expect_navigation():
        box.press("Enter")
    first_hit = page.locator(".result-title a").first
    facet_links = page.locator(".facets .facet-list a").first
    toggle = page.locator(".filters > summary")
    if page.width == "phone":
        expect(toggle).to_have_text(text["filter"])
        expect(facet_links).to_be_hidden()
        assert in_view(page, first_hit), "the first hit shows without scrolling past the filters"
        toggle.click()
    else:
        expect(toggle).to_be_hidden()
    expect(facet_links).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_article_e_service_and_contact_after_the_lead_and_long_addresses_wrap(sized_page, live_server, lang):
    page, text = sized_page, TEXT[lang]
    page.goto(live_server + text["article"])
    lead, service, contact = page.locator(".lead"), page.locator(".service-buttons a").first, page.locator(".contact-box")
    body = page.locator(".article-body")
    if page.width == "phone":
        tops = [item.bounding_box()["y"] for item in (lead, service, contact, body)]
        assert tops == sorted(tops), "lead, e-service button, contact box, then the text"
        assert in_view(page, service)
    else:
        assert contact.bounding_box()["x"] > body.bounding_box()["x"] + body.bounding_box()["width"]
    assert_accessible(page)
    # The longest address a förvaltning might have still stays inside the box.
    contact.locator("a[href^='mailto:']").evaluate(
        "a => a.textContent = 'forskoleforvaltningens.kontaktpersoner@sjobackakommun.example'")
    assert contact.evaluate("box => box.scrollWidth <= box.clientWidth")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_feedback_in_one_click_then_the_comment_on_the_same_page(page, live_server, lang):
    text = TEXT[lang]
    page.goto(live_server + text["article"])
    follow(page, page.locator(".feedback").get_by_role("button", name=text["yes"], exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["thanks"])
    assert_accessible(page)

    follow(page, page.get_by_role("button", name=text["send"]))
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(text["comment"]).fill("Bra sida")
    follow(page, page.get_by_role("button", name=text["send"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["thanks"])
    expect(page.get_by_text(text["got_it"])).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_contact_page_from_the_footer_and_alerts_in_plain_words(sized_page, live_server, lang):
    page, text = sized_page, TEXT[lang]
    page.goto(live_server + text["alerts"])
    expect(page.locator("main .severity").first).to_have_text(text["severity"] + ":")
    expect(page.locator("main").get_by_text(text["until"]).first).to_be_visible()
    expect(page.get_by_role("link", name=text["feed"])).to_be_visible()
    assert_accessible(page)

    follow(page, page.get_by_role("contentinfo").get_by_role("link", name=text["contact"]))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["contact"])
    expect(page.locator("main a[href^='tel:']")).to_be_visible()
    expect(page.locator("main a[href^='mailto:']")).to_be_visible()
    assert_accessible(page)
