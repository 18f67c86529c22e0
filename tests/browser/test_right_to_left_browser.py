"""An article and an e-service form, its error state too, in Swedish, English, Finnish
and Arabic (issue 14): Arabic is laid out from the right (measured in Chromium),
the others from the left, and every page passes axe.

The tests assert direction, positions and structure, not words, so that a
translator's change of wording does not break them.
"""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, follow

pytestmark = pytest.mark.browser

ARTICLE = "felanmalan-gator-gatubelysning-och-parker"
# The article's address in each language; fi and ar are added by the fixture below.
ARTICLE_URLS = {"sv": f"/sv/artikel/{ARTICLE}",
                "en": "/en/article/report-a-fault-streets-lighting-and-parks",
                "fi": "/fi/artikel/vikailmoitus-kadut-ja-puistot",
                "ar": "/ar/artikel/al-iblagh-an-al-aatal"}
TRANSLATIONS = {
    "fi": {"title": "Vikailmoitus: kadut, katuvalot ja puistot", "slug": "vikailmoitus-kadut-ja-puistot",
           "summary": "Ilmoita rikkinäisestä katuvalosta tai kuopasta kadussa.",
           "body": "## Näin ilmoitat\n\nSoita asiakaspalveluun numeroon 0480-45 00 00 tai käytä e-palvelua."},
    "ar": {"title": "الإبلاغ عن الأعطال: الشوارع والإنارة والحدائق", "slug": "al-iblagh-an-al-aatal",
           "summary": "أبلغ عن مصباح شارع معطل أو حفرة في الطريق.",
           "body": "## كيف تبلغ\n\nاتصل بمركز الاتصال على الرقم 0480-45 00 00 أو استخدم الخدمة الإلكترونية."},
}
FORM_URLS = {"sv": "/sv/e-tjanster/bli-uppringd/steg/samtal", "en": "/en/e-services/bli-uppringd/step/samtal",
             "fi": "/fi/e-tjanster/bli-uppringd/steg/samtal", "ar": "/ar/e-tjanster/bli-uppringd/steg/samtal"}
DIRECTIONS = {"sv": "ltr", "en": "ltr", "fi": "ltr", "ar": "rtl"}
LANGUAGES = list(DIRECTIONS)
SLACK = 2   # pixels: borders and rounding


@pytest.fixture(scope="module")
def site(four_language_app, four_language_server):
    """The four-language portal with the fault-report article translated into Finnish and
    Arabic, published through the editors' workflow."""
    from sqlalchemy import select

    from content.demo import publish_demo_article
    from content.models import ArticleTranslation
    from content.revisions import Text
    from portal.auth.models import User
    from portal.extensions import db

    with four_language_app.app_context():
        article = db.session.scalar(select(ArticleTranslation).where(
            ArticleTranslation.lang == "sv", ArticleTranslation.slug == ARTICLE)).article
        if "ar" not in {t.lang for t in article.translations}:
            content = article.live_revision.content
            content.texts.update({lang: Text(**text) for lang, text in TRANSLATIONS.items()})
            admin = db.session.scalar(select(User).where(User.username == "admin"))
            publish_demo_article(admin, article, content)
            db.session.commit()
    return four_language_server


def edges(locator):
    """(left, right) of an element on the page, in CSS pixels."""
    box = locator.bounding_box()
    return box["x"], box["x"] + box["width"]


def starts_together(lang, *locators):
    """Whether the elements share their start edge: the right one in rtl, the left in ltr."""
    side = 1 if DIRECTIONS[lang] == "rtl" else 0
    positions = [edges(locator)[side] for locator in locators]
    return max(positions) - min(positions) <= SLACK


def assert_page_direction(page, lang):
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", DIRECTIONS[lang])


def assert_header_starts_at_the_start_side(page, lang):
    """The logo sits at the start of the header: at its right in rtl, its left in ltr."""
    brand, row = edges(page.locator(".brand")), edges(page.locator(".header-row"))
    if DIRECTIONS[lang] == "rtl":
        assert row[1] - brand[1] < 40 and brand[0] > (row[0] + row[1]) / 2, (brand, row)
    else:
        assert brand[0] - row[0] < 40 and brand[1] < (row[0] + row[1]) / 2, (brand, row)


def assert_phone_reads_left_to_right(page):
    """The footer's phone number keeps its order ("0480-45 00 00") on every page."""
    phone = page.locator(".site-footer a[href^='tel:']")
    assert phone.evaluate("a => getComputedStyle(a.querySelector('bdi') || a).direction") == "ltr"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_article_is_laid_out_from_its_languages_start_side(site, page, lang):
    page.goto(site + ARTICLE_URLS[lang])
    assert_page_direction(page, lang)
    assert_header_starts_at_the_start_side(page, lang)
    heading, body = page.locator("h1"), page.locator(".article-body")
    assert starts_together(lang, heading, body, page.locator(".breadcrumbs ol"))
    # The contact box and the e-services stand at the end side of the text.
    text, side = edges(page.locator(".article-main")), edges(page.locator(".article-side"))
    assert (side[1] <= text[0]) if DIRECTIONS[lang] == "rtl" else (side[0] >= text[1]), (text, side)
    assert_phone_reads_left_to_right(page)
    # Nothing sticks out sideways (the skip link waits off the start edge).
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert_accessible(page)


def test_the_arabic_article_keeps_its_phone_number_in_order_and_mirrors_its_arrows(site, page):
    page.goto(site + ARTICLE_URLS["ar"])
    contact_phone = page.locator(".contact-box a[href^='tel:'] bdi")
    expect(contact_phone).to_have_text("0480-45 00 00")
    assert contact_phone.evaluate("element => getComputedStyle(element).direction") == "ltr"
    # The breadcrumb arrows point the way Arabic reads: from right to left.
    separator = page.locator(".breadcrumbs li + li").first.evaluate(
        "element => getComputedStyle(element, '::before').content")
    assert separator == '"‹"'


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_form_and_its_errors_are_laid_out_from_the_start_side(site, page, lang):
    page.goto(site + FORM_URLS[lang])
    assert_page_direction(page, lang)
    assert_header_starts_at_the_start_side(page, lang)
    form = page.locator("main form").first
    assert starts_together(lang, form, page.locator("label[for=name]"), page.locator("#name"),
                           page.locator("label[for=phone]"), page.locator("#phone"),
                           page.locator("#topic"), page.locator("main form button[type=submit]"))
    assert_accessible(page)

    page.fill("#name", "سارة" if lang == "ar" else "Sara Lind")
    follow(page, page.locator("main form button[type=submit]"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert_page_direction(page, lang)
    assert starts_together(lang, page.locator("label[for=phone]"), page.locator("#phone-error"),
                           page.locator("#phone"), page.locator("label[for=topic]"), page.locator("#topic-error"))
    # The red bar of a field with an error is on the start side.
    group = page.locator(".form-group-error").first
    border = "borderRightWidth" if DIRECTIONS[lang] == "rtl" else "borderLeftWidth"
    assert group.evaluate(f"element => getComputedStyle(element).{border}") == "5px"
    # What was typed stays, in its own direction.
    expect(page.locator("#name")).to_have_value("سارة" if lang == "ar" else "Sara Lind")
    assert page.locator("#name").evaluate("element => getComputedStyle(element).direction") == DIRECTIONS[lang]
    assert page.locator("#phone").evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert_accessible(page)
