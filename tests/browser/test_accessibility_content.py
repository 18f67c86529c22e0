"""The knowledge base's and the search's pages pass axe-core's WCAG 2.1 A/AA rules
in Swedish and in English, and say what a person needs to know on each one.

English pages are reached as a person reaches them: with the language switcher
in the header.  The search pages are opened by address, with a query in the
page's own language.
"""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, follow, login

pytestmark = pytest.mark.browser

TF_ARTICLE = "Parkeringstillstånd för rörelsehindrade"


def switch_to_english(page):
    """Follow the header's language switcher to the same page in English."""
    response = follow(page, page.get_by_role("navigation", name="Språk").get_by_role("link", name="English"))
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "en"
    assert "/en/" in page.url
    return response


def check_in_both_languages(page, url, headings):
    """Open ``url`` (Swedish), check its h1 and axe; then the same for its English page."""
    response = page.goto(url)
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "sv"
    for lang in ("sv", "en"):
        if lang == "en":
            switch_to_english(page)
        expect(page.get_by_role("heading", level=1)).to_have_text(headings[lang])
        assert_accessible(page)


def test_public_article_topic_and_alert_pages(page, live_server):
    base = live_server
    check_in_both_languages(page, f"{base}/sv/artikel/parkeringstillstand-for-rorelsehindrade",
                            {"sv": TF_ARTICLE, "en": "Disabled parking permit"})
    assert page.url.endswith("/en/article/disabled-parking-permit")
    expect(page.locator(".article-body table")).to_be_visible()

    # An article with a service alert about it: the banner is a named region.
    check_in_both_languages(page, f"{base}/sv/artikel/vattenlacka-och-avbrott-i-vattnet",
                            {"sv": "Vattenläcka och avbrott i vattnet",
                             "en": "Water leaks and supply interruptions"})
    expect(page.get_by_role("region", name="Service alerts")).to_contain_text("Water shut off on Storgatan")

    check_in_both_languages(page, f"{base}/sv/amne/bygga-och-bo",
                            {"sv": "Bygga och bo", "en": "Housing and building"})
    expect(page.get_by_role("link", name="Apply for a building permit")).to_be_visible()
    # An article without an English text is listed in Swedish, marked as Swedish.
    expect(page.get_by_role("link", name="Attefallshus och friggebod")).to_have_attribute("lang", "sv")

    check_in_both_languages(page, f"{base}/sv/driftinformation", {"sv": "Driftinformation", "en": "Service alerts"})
    expect(page.get_by_role("heading", name="Water shut off on Storgatan")).to_be_visible()


def test_agent_view(page, live_server):
    login(page, live_server, "agent")
    page.goto(f"{live_server}/sv/artikel/parkeringstillstand-for-rorelsehindrade")
    follow(page, page.get_by_role("link", name="Visa med interna anteckningar"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TF_ARTICLE)
    expect(page.get_by_role("region", name="Internt för kontaktcenter")).to_be_visible()
    assert_accessible(page)
    switch_to_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Disabled parking permit")
    expect(page.get_by_role("region", name="Internal – contact centre only")).to_be_visible()
    assert_accessible(page)


def test_editor_pages(page, live_server):
    base = live_server
    login(page, base, "editor")
    check_in_both_languages(page, f"{base}/sv/redaktion", {"sv": "Redaktion", "en": "Editorial"})
    check_in_both_languages(page, f"{base}/sv/redaktion/ny", {"sv": "Ny artikel", "en": "New article"})
    check_in_both_languages(page, f"{base}/sv/redaktion/driftinformation",
                            {"sv": "Driftinformation", "en": "Service alerts"})
    expect(page.get_by_role("row").filter(has_text="Water shut off on Storgatan")).to_contain_text("Disruption")

    # A demo article of the editor's department: its form, history and a comparison.
    page.goto(f"{base}/sv/redaktion")
    follow(page, page.get_by_role("link", name=TF_ARTICLE).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Redigera ”{TF_ARTICLE}”")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Historik och jämförelse"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Historik: {TF_ARTICLE}")
    assert_accessible(page)
    history = page.url
    follow(page, page.get_by_role("button", name="Jämför valda versioner"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämför version 1 och 2")
    expect(page.locator("ins").first).to_be_visible()
    assert_accessible(page)
    switch_to_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare versions 1 and 2")
    assert_accessible(page)
    page.goto(history)
    switch_to_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"History: {TF_ARTICLE}")
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Back to editing"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit “{TF_ARTICLE}”")
    assert_accessible(page)


def assert_errors_shown(page, field_ids):
    """The GOV.UK pattern: a focused summary that links to each invalid field."""
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith(("Fel:", "Error:"))
    assert page.evaluate("document.activeElement.classList.contains('error-summary')"), \
        "the error summary must take focus so that it is announced"
    links = summary.get_by_role("link")
    assert sorted(link.get_attribute("href") for link in links.all()) == sorted(f"#{i}" for i in field_ids)
    for field_id in field_ids:
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        assert f"{field_id}-error" in field.get_attribute("aria-describedby").split()
        expect(page.locator(f"#{field_id}-error")).to_be_visible()


def test_article_form_errors_are_announced_and_keep_the_text(page, live_server):
    login(page, live_server, "editor")

    # Swedish, nearly empty: every required field is named, what was typed stays.
    page.goto(f"{live_server}/sv/redaktion/ny")
    swedish = page.get_by_role("group", name="Svenska", exact=True)
    swedish.get_by_label("Sammanfattning").fill("Bara en sammanfattning.")
    page.get_by_label("Talmanus (Markdown)").fill("Mitt talmanus")
    follow(page, page.get_by_role("button", name="Spara utkast"))
    assert_errors_shown(page, ["t_sv-title", "t_sv-body"])
    expect(page.locator("main > *").first).to_have_class("error-summary")
    expect(page.locator(".error-summary")).to_contain_text("Skriv en rubrik.")
    expect(page.locator(".error-summary")).to_contain_text("Skriv en brödtext.")
    expect(swedish.get_by_label("Sammanfattning")).to_have_value("Bara en sammanfattning.")
    expect(page.get_by_label("Talmanus (Markdown)")).to_have_value("Mitt talmanus")
    assert_accessible(page)

    # English, a title that is too long and an e-mail address that is not one.
    switch_to_english(page)
    swedish = page.get_by_role("group", name="Swedish", exact=True)
    title = swedish.get_by_label("Title")
    assert title.get_attribute("maxlength") == "120", "the browser should stop at 120 characters"
    # A browser that ignores maxlength (or a pasted title in an old one): the server must say so.
    title.evaluate("input => input.removeAttribute('maxlength')")
    long_title = "Lång rubrik " * 11
    title.fill(long_title)
    swedish.get_by_label("Summary").fill("A summary.")
    swedish.get_by_label("Body text (Markdown)").fill("Body text.")
    page.get_by_label("Email").fill("not-an-address")
    follow(page, page.get_by_role("button", name="Save draft"))
    assert_errors_shown(page, ["t_sv-title", "contact_email"])
    expect(page.locator(".error-summary")).to_contain_text("The title must be 120 characters or fewer.")
    expect(page.locator(".error-summary")).to_contain_text("Enter an email address like name@example.com.")
    expect(page.get_by_role("group", name="Swedish", exact=True).get_by_label("Title")).to_have_value(long_title)
    expect(page.get_by_label("Email")).to_have_value("not-an-address")
    assert_accessible(page)


SEARCH = {"sv": "/sv/sok", "en": "/en/search"}
QUERIES = {
    "sv": {"normal": "bygglov", "many": "avgift",
           "unknown": ("parkeringstilstånd", "parkeringstillstånd"),  # no hits: its correction's are shown
           "few": ("kulturskolan avgiftr", "kulturskolan avgift")},   # a few hits: "Menade du …?"
    "en": {"normal": "building permit", "many": "fee",
           "unknown": ("parkng", "parking"),
           "few": ("plot queu", "plot queue")},
}
WORDS = {
    "sv": {"search": "Sök", "none": "Vi hittade inget", "department": "Förvaltning", "remove": "Ta bort", "pages": "Sidor",
           "next": "Nästa", "previous": "Föregående", "page": "Sida 2 av", "did you mean": "Menade du",
           "other language": "English"},
    "en": {"search": "Search", "none": "We did not find anything", "department": "Department", "remove": "Remove", "pages": "Pages",
           "next": "Next", "previous": "Previous", "page": "Page 2 of", "did you mean": "Did you mean",
           "other language": "Svenska"},
}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_search_pages(page, live_server, lang):
    base = f"{live_server}{SEARCH[lang]}"
    words, queries = WORDS[lang], QUERIES[lang]
    hits = page.locator("ol.results > li")

    # An ordinary query: hits, their count and the filters.
    page.goto(f"{base}?q={queries['normal']}")
    assert page.get_attribute("html", "lang") == lang
    expect(page.get_by_role("heading", level=1)).to_have_text(words["search"])
    expect(page.get_by_role("searchbox")).to_have_value(queries["normal"])
    expect(hits.first).to_be_visible()
    total = hits.count()
    assert_accessible(page)
    # The language switcher keeps the query.
    other = page.locator("nav.language-switcher").get_by_role("link", name=words["other language"], exact=True)
    assert "q=" + queries["normal"].replace(" ", "+") in other.get_attribute("href")

    # Narrowed to one department: every hit is that department's, and the filter shows as chosen.
    facets = page.get_by_role("complementary")
    department = facets.locator("h3", has_text=words["department"]).locator("+ ul a").first
    name = department.inner_text()
    follow(page, department)
    assert "department=" in page.url
    chosen = page.get_by_role("complementary").locator("li", has_text=name)
    expect(chosen.locator("strong")).to_have_text(name)
    assert 0 < hits.count() <= total
    for meta in page.locator("ol.results .result-meta").all():
        expect(meta).to_contain_text(name)
    assert_accessible(page)
    # The chosen filter can be removed again, which brings back every hit.
    follow(page, chosen.get_by_role("link", name=words["remove"]))
    assert "department=" not in page.url
    expect(hits).to_have_count(total)

    # Nothing found: a message instead of an empty list.
    page.goto(f"{base}?q=xyzzyqvw")
    expect(page.get_by_role("heading", name=words["none"])).to_be_visible()
    expect(hits).to_have_count(0)
    assert_accessible(page)

    # Spelling mistakes: the correction is offered as a link, with or without hits of its own.
    for query, correction in (queries["unknown"], queries["few"]):
        page.goto(f"{base}?q={query}")
        expect(page.locator(".suggestion").get_by_role("link", name=correction)).to_be_visible()
        expect(hits.first).to_be_visible()
        assert_accessible(page)
    expect(page.locator(".suggestion")).to_contain_text(f"{words['did you mean']} {correction}?")

    # Page 2 of many, reached from page 1; numbering goes on from page 1.
    page.goto(f"{base}?q={queries['many']}")
    pages = page.get_by_role("navigation", name=words["pages"])
    follow(page, pages.get_by_role("link", name=words["next"]))
    expect(pages).to_contain_text(words["page"])
    expect(pages.get_by_role("link", name=words["previous"])).to_be_visible()
    assert page.locator("ol.results").get_attribute("start") == "11"
    assert_accessible(page)
