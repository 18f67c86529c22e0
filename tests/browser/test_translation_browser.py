"""The translator's flow (issue 14), in Swedish and in English: the table of their
language, an outdated translation with what changed in the Swedish, a mistake
shown at its field, sending for review, an editor of the förvaltning approving,
and the public page with the new text and no notice.  axe runs on every page."""
import shutil

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from content.models import Article, ArticleTranslation
from portal.auth.models import User
from portal.extensions import db
from tests.browser.conftest import assert_accessible, follow, login, served
from tests.browser.test_editors_and_reviewers_browser import text_in
from tests.conftest import act, make_app, save

pytestmark = pytest.mark.browser

PATHS = {"sv": ("oversattning", "artikel"), "en": ("translation", "article")}


@pytest.fixture
def portal_with_outdated_english(demo_template, tmp_path):
    """A portal of its own where the recycling centre has moved in Swedish only."""
    shutil.copytree(demo_template, tmp_path / "instance", symlinks=True)
    app = make_app(tmp_path / "instance")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        article = db.session.scalar(select(Article).join(ArticleTranslation).where(
            ArticleTranslation.slug == "atervinningscentralen"))
        content = article.latest_revision.content
        sv = content.texts["sv"]
        sv.summary, sv.body = (part.replace("Hamnvägen 12", "Hamnvägen 14") for part in (sv.summary, sv.body))
        save(article, admin, content)
        act("submit", article, admin, notify=False)
        act("approve", article, admin)
    with served(app) as url:
        yield url


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_translator_updates_an_outdated_translation_and_an_editor_approves_it(
        portal_with_outdated_english, new_page, lang):
    _, base = text_in(lang), portal_with_outdated_english
    workspace, article_path = PATHS[lang]
    public = f"{base}/en/article/recycling-centre"

    reader = new_page()
    reader.goto(public)
    expect(reader.locator(".translation-notice")).to_contain_text("The Swedish page has changed")

    translator = login(new_page(), base, "translator")
    translator.goto(f"{base}/{lang}/{workspace}?status=outdated")
    row = translator.locator("tr", has=translator.locator("th", has_text="Återvinningscentralen"))
    expect(row.locator("td[data-lang=en]")).to_contain_text(_("Inaktuell"))
    assert_accessible(translator)

    follow(translator, row.get_by_role("link", name=_("Översätt"), exact=False))
    expect(translator.locator(".word-diff ins").first).to_contain_text("14")
    expect(translator.locator(".word-diff del").first).to_contain_text("12")
    assert_accessible(translator)

    # A mistake: the title left empty is named at its field, and nothing else is lost.
    translator.get_by_label(_("Rubrik"), exact=True).fill("")
    body = translator.get_by_label(_("Brödtext (Markdown)"))
    body.fill(body.input_value().replace("Hamnvägen 12", "Hamnvägen 14"))
    follow(translator, translator.get_by_role("button", name=_("Spara utkast")))
    expect(translator.locator(".error-summary")).to_be_visible()
    expect(translator.locator("#title-error")).to_contain_text(_("Skriv en rubrik."))
    expect(translator.get_by_label(_("Brödtext (Markdown)"))).to_contain_text("Hamnvägen 14")
    assert_accessible(translator)

    translator.get_by_label(_("Rubrik"), exact=True).fill("Recycling centre")
    summary = translator.get_by_label(_("Sammanfattning"))
    summary.fill(summary.input_value().replace("Hamnvägen 12", "Hamnvägen 14"))
    follow(translator, translator.get_by_role("button", name=_("Skicka på granskning")))
    expect(translator.locator(".flash-success")).to_contain_text(_("Översättningen är skickad på granskning."))

    editor = login(new_page(), base, "editor")
    editor.goto(f"{base}/{lang}/{workspace}?status=in_review")
    row = editor.locator("tr", has=editor.locator("th", has_text="Återvinningscentralen"))
    follow(editor, row.get_by_role("link", name=_("Granska"), exact=False))
    expect(editor.locator(".word-diff ins").first).to_contain_text("14")
    assert_accessible(editor)
    follow(editor, editor.get_by_role("button", name=_("Godkänn och publicera")))
    expect(editor.locator(".flash-success")).to_contain_text(_("Översättningen är publicerad."))

    reader.goto(public)
    expect(reader.locator(".article-head")).to_contain_text("Hamnvägen 14")
    expect(reader.locator(".translation-notice")).to_have_count(0)
    reader.goto(f"{base}/{lang}/{article_path}/atervinningscentralen" if lang == "sv" else public)
    assert_accessible(reader)
