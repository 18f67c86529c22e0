"""Editors and reviewers (issue 13) as they see it, in Swedish and in English: the
article form's sections, search picker and preview tabs; the author's "sent for
review" list; the review screen (page, changes, then the decision); the question
before archiving; an alert that starts now and runs until it is ended.  axe runs on
every page visited.

Labels are looked up in the catalogues, so that each test reads the page in the
language of its URL.
"""
import re
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, follow, login
from tests.browser.test_editor_flow import unique_title

pytestmark = pytest.mark.browser

CATALOGUES = Path(__file__).resolve().parents[2] / "translations"
PATHS = {"sv": {"new": "redaktion/ny", "dashboard": "redaktion", "alerts": "redaktion/driftinformation",
                "new_alert": "redaktion/driftinformation/ny"},
         "en": {"new": "editorial/new", "dashboard": "editorial", "alerts": "editorial/service-alerts",
                "new_alert": "editorial/service-alerts/new"}}

# Names from the database: a förvaltning, a topic, a word and the title of an article.
DEMO_NAMES = {"sv": ("Tekniska förvaltningen", "Trafik och parkering", "återvinning", "Återvinningscentralen"),
              "en": ("Technical Services", "Traffic and parking", "recycling", "Recycling centre")}


def text_in(lang):
    """The catalogue's text for a Swedish msgid in ``lang``."""
    translations = Translations.load(str(CATALOGUES), [lang], domain="messages")
    return translations.gettext


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_article_is_written_previewed_sent_reviewed_and_archived_only_when_confirmed(
        live_server, new_page, lang):
    _, base, paths = text_in(lang), f"{live_server}/{lang}", PATHS[lang]
    title = unique_title()
    editor = login(new_page(), live_server, "editor")
    editor.goto(f"{base}/{paths['new']}")
    toc = editor.get_by_role("navigation", name=_("Formulärets delar"))
    expect(toc.get_by_role("link")).to_have_count(9)   # the texts in sv, en, fi, ar, lättläst; the rest
    swedish = editor.get_by_role("group", name=_("Svenska"), exact=True)
    swedish.get_by_label(_("Rubrik"), exact=True).fill(title)
    swedish.get_by_label(_("Sammanfattning")).fill("Sanden i lekparkernas lådor byts varje vår.")
    swedish.get_by_label(_("Brödtext (Markdown)")).fill("Vi byter sand i **maj**.")
    department, topic, word, article = DEMO_NAMES[lang]
    editor.get_by_label(_("Förvaltning"), exact=True).select_option(label=department)
    editor.get_by_role("checkbox", name=topic).check()
    editor.get_by_label(_("Interna anteckningar (Markdown)")).fill("Hänvisa till parkenheten.")
    # The search picker narrows the list of articles as the editor types.
    editor.get_by_label(_("Sök: %(list)s") % {"list": _("Relaterade artiklar")}).fill(word)
    related = editor.get_by_label(_("Relaterade artiklar"), exact=True)
    expect(related.locator("option:not([hidden])")).to_have_count(1)
    related.select_option(label=article)

    follow(editor, editor.get_by_role("button", name=_("Förhandsgranska")))
    preview = editor.locator("section.preview")
    expect(preview.locator(".lead")).to_have_text("Sanden i lekparkernas lådor byts varje vår.")
    expect(preview.get_by_role("link", name="Återvinningscentralen")).to_be_visible()
    agent = preview.get_by_text("Hänvisa till parkenheten.")
    expect(agent).to_be_hidden()
    assert_accessible(editor)
    preview.get_by_role("link", name=_("Kommunvägledarens vy")).click()
    expect(agent).to_be_visible()
    expect(preview.locator(".lead")).to_be_hidden()

    follow(editor, editor.get_by_role("button", name=_("Spara utkast")))
    follow(editor, editor.get_by_role("button", name=_("Skicka på granskning")))
    editor.goto(f"{base}/{paths['dashboard']}")
    sent = editor.locator(f"h2:has-text('{_('Skickat för granskning')}') + table")
    expect(sent.get_by_role("link", name=title)).to_be_visible()
    assert_accessible(editor)

    admin = login(new_page(), live_server, "admin")
    admin.goto(f"{base}/{paths['dashboard']}")
    waiting = admin.locator(f"h2:has-text('{_('Väntar på ditt godkännande')}') + table")
    follow(admin, waiting.get_by_role("link", name=title))
    assert re.search(r"/\d+/(granska|review)$", admin.url), admin.url
    page_part, changes, approve = (admin.locator(selector) for selector in (
        "#preview-sv", "#changes-title", f"button:has-text('{_('Godkänn och publicera')}')"))
    expect(admin.locator("main .button:not(.button-secondary)")).to_have_count(1)
    tops = [part.bounding_box()["y"] for part in (page_part, changes, approve)]
    assert tops == sorted(tops), tops
    expect(admin.locator(".word-diff ins", has_text="Vi byter sand i **maj**.")).to_have_count(1)
    assert_accessible(admin)
    follow(admin, approve)
    expect(admin.locator(".flash-messages")).to_contain_text(_("godkänd"))

    editor.goto(f"{base}/{paths['dashboard']}")
    follow(editor, editor.get_by_role("link", name=title).first)
    follow(editor, editor.get_by_role("button", name=_("Arkivera")))
    expect(editor.get_by_role("heading", level=1)).to_contain_text(_("Arkivera"))
    assert_accessible(editor)
    follow(editor, editor.get_by_role("link", name=_("Nej, tillbaka till artikeln")))
    expect(editor.locator("main .tag").first).to_have_text(_("Publicerad"))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_alert_starts_now_and_runs_until_someone_ends_it(live_server, page, lang):
    _, base, paths = text_in(lang), f"{live_server}/{lang}", PATHS[lang]
    title = f"{unique_title()} ({lang})"
    login(page, live_server, "editor")
    page.goto(f"{base}/{paths['new_alert']}")
    expect(page.get_by_label(_("Börjar"))).not_to_have_value("")
    expect(page.get_by_label(_("Slutar (frivilligt)"))).to_have_value("")
    expect(page.locator(".required")).to_have_count(5)
    assert_accessible(page)
    page.get_by_label(_("Rubrik på svenska")).fill(title)
    page.get_by_label(_("Meddelande på svenska")).fill("Storgatan är avstängd.")
    follow(page, page.get_by_role("button", name=_("Spara"), exact=True))
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text(_("tills vidare"))
    expect(row).to_contain_text(_("Aktiv"))
    assert_accessible(page)
    follow(page, row.get_by_role("button", name=_("Avsluta nu")))
    expect(page.get_by_role("row").filter(has_text=title)).not_to_contain_text(_("Aktiv"))
