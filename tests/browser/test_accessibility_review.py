"""The pages the security review (issue 9) added pass axe-core's WCAG 2.1 A/AA
rules in Swedish and in English: the editors' feedback list, the alert list
with its approve and end buttons, the alert form with errors, and the edit
page refusing a workflow step on a revision the editor has not read.

These tests change data, so they run on a portal of their own.
"""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from content import operations
from content.models import Alert, Article, ArticleSlug, ArticleTranslation, PageFeedback, Severity
from content.revisions import RevisionData, Text
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department
from tests.browser.conftest import assert_accessible, follow, login, served
from tests.browser.test_accessibility_content import switch_to_english
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en"]
DRAFT_TITLE = "Utkast som två redaktörer ändrar"
ALERTS = {"editor": "Kris: förorenat dricksvatten", "admin": "Kris: stormen Sigrid"}


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def seed():
    """Feedback to page through (one marked as spam), two proposed crisis alerts
    (one by the editor, one by the admin) and a draft of the editor's förvaltning."""
    tf = db.session.scalar(select(Department).where(Department.code == "TF"))
    article_id = db.session.scalar(select(ArticleTranslation.article_id).where(
        ArticleTranslation.slug == "grovavfall"))
    for number in range(55):
        db.session.add(PageFeedback(article_id=article_id, lang="sv", helpful=number % 2 == 0,
                                    comment=f"Kommentar {number}", spam=number == 54))
    for username, title in ALERTS.items():
        db.session.add(Alert(severity=Severity.CRISIS, department_id=tf.id, titles={"sv": title},
                             messages={"sv": "Följ myndigheternas råd."}, starts_at=utcnow(),
                             ends_at=utcnow() + timedelta(days=1), updated_by_id=user(username).id))
    db.session.commit()
    operations.create_article(user("editor"), RevisionData(department_id=tf.id, texts={"sv": Text(
        title=DRAFT_TITLE, slug="utkast-som-tva-andrar", summary="Ett utkast.", body="Första versionen.")}))


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    """(base URL, app) of a demo portal of this module's own, seeded."""
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("review-pages"))
    with app.app_context():
        seed()
    with served(app) as url:
        yield url, app


def open_as(page, base, username, path, lang):
    """Log in, open the Swedish page at ``path``, then go to ``lang`` with the language switcher."""
    login(page, base, username)
    assert page.goto(f"{base}{path}").status == 200
    if lang == "en":
        switch_to_english(page)


def assert_in_language(page, lang, swedish):
    """The page's own texts are in its language: the Swedish ones only on the Swedish page."""
    main = page.locator("main")
    for text in swedish:
        if lang == "sv":
            expect(main).to_contain_text(text)
        else:
            expect(main).not_to_contain_text(text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_feedback_list_pages_and_spam(page, portal, lang):
    base, _app = portal
    open_as(page, base, "editor", "/sv/redaktion/omdomen", lang)
    expect(page.locator("table.data tbody tr")).to_have_count(50)
    pages = page.locator("nav.pagination")
    expect(pages).to_be_visible()
    assert_accessible(page)
    follow(page, pages.locator("a[rel=next]"))
    expect(page.locator("table.data tbody tr").first).to_be_visible()
    assert_accessible(page)
    # With the answers marked as spam: the spam one is tagged and can be restored.
    follow(page, page.locator("main a[href*='spam=1']"))
    expect(page.get_by_role("row").filter(has_text="Kommentar 54").locator(".tag")).to_be_visible()
    assert_accessible(page)
    assert_in_language(page, lang, ["Omdömen om sidorna", "Inte skräp"])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("username, approvable", [("manager", 2), ("editor", 1)])
def test_alert_list_with_approve_and_end_buttons(page, portal, lang, username, approvable):
    base, _app = portal
    open_as(page, base, username, "/sv/redaktion/driftinformation", lang)
    rows = page.locator("table.data tbody tr")
    for title in ALERTS.values():
        expect(rows.filter(has_text=title).locator(".tag")).to_be_visible()
    # Each button names its alert (hidden text) so that a screen reader can tell them apart.
    approve = page.locator("button[value=approve_alert]")
    expect(approve).to_have_count(approvable)
    for button in approve.all():
        assert any(title in button.text_content() for title in ALERTS.values())
    expect(page.locator("button[value=end_alert]").first).to_be_visible()
    assert_accessible(page)
    assert_in_language(page, lang, ["Väntar på godkännande", "Avsluta nu"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_alert_form_errors(page, portal, lang):
    base, _app = portal
    open_as(page, base, "editor", "/sv/redaktion/driftinformation/ny", lang)
    follow(page, page.locator("main form button[type=submit]"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    for field_id in ("title_sv", "message_sv"):   # the start is "now" unless changed; the end is optional
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")
        expect(summary.locator(f"a[href='#{field_id}']")).to_be_visible()
    assert_accessible(page)
    assert_in_language(page, lang, ["Skriv en rubrik.", "Kris (visas på alla sidor"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_edit_page_refusing_a_step_on_a_revision_not_read(page, portal, lang):
    base, app = portal
    with app.app_context():
        article_id = db.session.scalar(select(ArticleSlug.article_id).where(
            ArticleSlug.slug == "utkast-som-tva-andrar"))
    open_as(page, base, "editor", f"/sv/redaktion/{article_id}", lang)
    with app.app_context():             # meanwhile the admin saves a new version
        article = db.session.get(Article, article_id)
        content = article.latest_revision.content
        content.texts["sv"].body += "\n\nTillägg av administratören."
        operations.ACTIONS["save"].execute(article, user("admin"), content=content,
                                           base_revision=article.latest_revision)
        latest = article.latest_revision.number
    follow(page, page.locator("button[value=submit]"))
    message = page.locator(".flash-error")
    expect(message).to_be_visible()
    link = message.get_by_role("link")
    assert re.search(rf"/{article_id}/(jamfor|compare)\?from={latest - 1}&to={latest}$",
                     link.get_attribute("href"))
    assert_accessible(page)
    assert_in_language(page, lang, ["Artikeln har ändrats sedan du öppnade sidan", "Se vad som ändrats"])
    follow(page, link)
    expect(page.locator("ins").filter(has_text="Tillägg av administratören")).to_be_visible()
