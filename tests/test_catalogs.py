"""Interface strings translated in the browser (issue 14, part M): what a translator
saves shows on the pages at once, in every process; it wins over the .po file; broken
placeholders are refused at the field; only the language's translators (and admins)
may save; the list searches, filters and counts; plural forms follow the language;
``portal export-catalog`` writes the merged catalogue."""
import html
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import g
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, select

from portal.auth.models import User
from portal.catalogs import placeholders, queries
from portal.catalogs.models import InterfaceTranslation
from portal.catalogs.operations import SAVE_TRANSLATION
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from tests.conftest import CSRF_RE, copy_of_demo, make_app, post_form

ROOT = Path(__file__).resolve().parent.parent
LIST = "/sv/oversattning/granssnitt"
# A language nobody ships a .po file for: its catalogue is the browser's saves alone.
EMPTY_LANGUAGE = "so"


@pytest.fixture
def app_config():
    return {"PORTAL_LANGUAGES": ["sv", "en", EMPTY_LANGUAGE, "uk"]}


def template_size():
    with open(ROOT / "translations" / "messages.pot", "rb") as handle:
        return sum(1 for message in read_po(handle) if message.id)


def edit_url(client, lang, msgid):
    """The edit page of ``msgid``, found as a translator finds it: by searching the list."""
    page = client.get(f"{LIST}/{lang}", query_string={"q": msgid}).get_data(as_text=True)
    for href, text in re.findall(r'<a href="([^"]+)" lang="sv">([^<]*)</a>', page):
        if html.unescape(text) == msgid:
            return html.unescape(href)
    raise AssertionError(f"{msgid!r} is not in the list of {lang}")


def save(client, lang, msgid, *forms):
    url = edit_url(client, lang, msgid)
    return post_form(client, url, {f"form_{number}": text for number, text in enumerate(forms)})


@contextmanager
def speaking(app, code):
    """A request context whose language is ``code``, as its URL's prefix makes it."""
    with app.test_request_context("/"):
        g.lang_code = code
        yield


def saved_rows(ctx):
    with ctx():
        return db.session.scalar(select(func.count()).select_from(InterfaceTranslation))


def test_a_saved_translation_shows_at_once_and_in_every_process(app, client, login_as):
    """A second app on the same database (another process) that had built its catalogue
    already serves the new text on its next request, without a restart."""
    other = make_app(Path(app.instance_path)).test_client()
    assert "Contact us" in other.get("/en/").get_data(as_text=True)
    login_as("translator")

    response = save(client, "en", "Kontakta oss", "Get in touch")

    assert response.status_code == 302
    assert "Get in touch" in client.get("/en/").get_data(as_text=True)
    english = other.get("/en/").get_data(as_text=True)
    assert "Get in touch" in english and "Contact us" not in english
    assert "Kontakta oss" in other.get("/sv/").get_data(as_text=True)


def test_the_saved_text_wins_over_the_po_file_and_says_where_it_comes_from(client, login_as):
    login_as("translator")
    listed = client.get(f"{LIST}/en", query_string={"q": "Kontakta oss"}).get_data(as_text=True)
    assert "Contact us" in listed and "Katalogfilen" in listed

    save(client, "en", "Kontakta oss", "Get in touch")

    listed = client.get(f"{LIST}/en", query_string={"q": "Kontakta oss"}).get_data(as_text=True)
    assert "Get in touch" in listed and "Sparad av Tove Translator (English)" in listed


def test_mail_in_another_language_uses_the_saved_text(app, client, login_as):
    login_as("translator")
    save(client, "en", "Kontakta oss", "Get in touch")
    with app.test_request_context("/sv/"), force_locale("en"):
        assert gettext("Kontakta oss") == "Get in touch"


def test_an_e_services_validation_message_follows_the_saved_text(app, login_as):
    """E-service forms and their validation messages render through gettext: the
    citizen who writes in English sees what the translator saved."""
    save(login_as("translator"), "en", "Beskriv felet.", "Tell us what is wrong.")

    page = post_form(app.test_client(), "/en/e-services/felanmalan/step/fel", {}).get_data(as_text=True)

    assert 'href="#description">Tell us what is wrong.</a>' in page


def test_broken_placeholders_are_refused_at_the_field_and_nothing_is_saved(client, login_as, ctx):
    login_as("translator")

    response = save(client, "en", "Du är inloggad som %(name)s.", "You are signed in as %(namn)s.")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' in page and 'href="#form_0"' in page
    assert re.search(r'id="form_0-error">.*samma platshållare som källtexten.*%\(name\)s', page)
    assert "You are signed in as %(namn)s.</textarea>" in page      # the text is kept
    assert saved_rows(ctx) == 0
    assert login_as("translator").get("/en/").status_code == 200


def test_a_form_sent_without_its_fields_saves_nothing(client, login_as, ctx):
    """The current translation only fills the page as opened: a POST without the text
    field is refused at the field instead of saving the current text again."""
    login_as("translator")
    url = edit_url(client, "en", "Kontakta oss")
    token = CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)

    empty = client.post(url, data={"csrf_token": token})

    assert empty.status_code == 200 and 'id="form_0-error"' in empty.get_data(as_text=True)
    assert saved_rows(ctx) == 0


def test_a_save_made_meanwhile_is_not_overwritten(app, client, login_as, ctx):
    """Two translators open the same message; the second to save is told, sees the
    first one's text, and may then save over it."""
    login_as("translator")
    url = edit_url(client, "en", "Kontakta oss")
    opened = client.get(url).get_data(as_text=True)
    save(login_as_other(app, "admin"), "en", "Kontakta oss", "Reach us")

    token = CSRF_RE.search(opened).group(1)
    refused = client.post(url, data={"csrf_token": token, "seen": "0", "form_0": "Get in touch"})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Någon annan sparade en översättning" in page
    assert "Reach us" in page and "Get in touch</textarea>" in page
    assert saved_rows(ctx) == 1
    seen = re.search(r'name="seen"[^>]*value="(\d+)"', page).group(1)
    assert client.post(url, data={"csrf_token": token, "seen": seen, "form_0": "Get in touch"}).status_code == 302
    assert "Get in touch" in client.get("/en/").get_data(as_text=True)


def login_as_other(app, username):
    """A second person's browser."""
    other = app.test_client()
    assert post_form(other, "/sv/logga-in", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return other


@pytest.mark.parametrize("source, translation, refused", [
    ("Hej %(name)s", "Hi %(name)s", False),
    ("Hej %(name)s", "Hi %(namn)s", True),
    ("Hej %(name)s", "Hi", True),
    ("Hej %(name)s", "Hi %(name)s %(name)s", True),
    ("%(num)d av %(total)d", "%(total)d of %(num)d", False),
    ("%(percent)d %%", "%(percent)d%%", False),
    ("%(percent)d %%", "%(percent)d %", True),     # a lone % breaks the formatting
    ("Hej {name}", "Hi {namn}", True),
    ("Hej {name}", "Hi {name}", False),
    ("100 % gratis", "100 percent free", False),  # no placeholders: % is a character
    ("Läs <a href=\"%(url)s\">mer</a>", "Read <a href=\"%(url)s\">more</a>", False),
    ("Läs <a href=\"%(url)s\">mer</a>", "Read <a href=\"%(url)s\">more", True),
    ("Läs <strong>nu</strong>", "Read <strong>now</em>", True),
    ("Rad", "Line <br> two", True),
])
def test_placeholders_and_tags_must_match_the_source(app, source, translation, refused):
    with app.test_request_context("/sv/"):
        assert (placeholders.problem(source, translation) is not None) == refused


def test_a_translator_of_another_language_may_neither_open_nor_save(client, login_as, ctx):
    login_as("translator")     # translates into English only
    url = edit_url(login_as("admin"), EMPTY_LANGUAGE, "Kontakta oss")
    login_as("translator")

    assert client.get(f"{LIST}/{EMPTY_LANGUAGE}").status_code == 403
    assert client.get(url).status_code == 403
    token = CSRF_RE.search(client.get(f"{LIST}/en").get_data(as_text=True)).group(1)
    assert client.post(url, data={"csrf_token": token, "form_0": "Nala soo xiriir"}).status_code == 403
    assert saved_rows(ctx) == 0


def test_search_and_untranslated_only(client, login_as):
    login_as("admin")
    save(client, EMPTY_LANGUAGE, "Kontakta oss", "Nala soo xiriir")

    found = client.get(f"{LIST}/{EMPTY_LANGUAGE}", query_string={"q": "soo xiriir"}).get_data(as_text=True)
    assert "Kontakta oss" in found and "1 meddelande" in found
    everything = client.get(f"{LIST}/{EMPTY_LANGUAGE}", query_string={"q": "kontakta"}).get_data(as_text=True)
    untranslated = client.get(f"{LIST}/{EMPTY_LANGUAGE}", query_string={
        "q": "kontakta", "oversatta": "y"}).get_data(as_text=True)
    row = 'lang="sv">Kontakta oss</a>'
    assert row in everything and row not in untranslated
    assert untranslated.count('<a href="/sv/oversattning/granssnitt/so/') == \
        everything.count('<a href="/sv/oversattning/granssnitt/so/') - 1


def test_the_list_is_paged_by_fifty(client, login_as):
    login_as("admin")
    first = client.get(f"{LIST}/{EMPTY_LANGUAGE}").get_data(as_text=True)
    second = client.get(f"{LIST}/{EMPTY_LANGUAGE}", query_string={"sida": 2}).get_data(as_text=True)
    pages = -(-template_size() // 50)
    assert first.count('lang="sv">') - first.count('<span class="muted" lang="sv">') == 50
    assert f"Sida 1 av {pages}" in first and f"Sida 2 av {pages}" in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_coverage_per_language(client, login_as):
    total = template_size()
    login_as("translator")

    overview = client.get(LIST).get_data(as_text=True)
    assert f"{total} av {total}" in overview           # English is complete
    assert f"0 av {total}" in overview                 # nothing in Somali yet

    login_as("admin")
    save(client, EMPTY_LANGUAGE, "Kontakta oss", "Nala soo xiriir")
    assert f"1 av {total}" in client.get(LIST).get_data(as_text=True)
    assert f"/{EMPTY_LANGUAGE}" in client.get(LIST).get_data(as_text=True)


def test_the_overview_links_only_the_translators_languages(client, login_as):
    login_as("translator")
    overview = client.get(LIST).get_data(as_text=True)
    assert f'href="{LIST}/en"' in overview and f'href="{LIST}/{EMPTY_LANGUAGE}"' not in overview
    assert f'href="{LIST}"' in overview                 # in the staff menu


def test_plural_messages_get_a_field_per_plural_form_of_the_language(app, client, login_as):
    """Ukrainian has three plural forms: one (1, 21), few (2–4, 22) and many (5–20)."""
    login_as("admin")
    page = client.get(edit_url(client, "uk", "%(num)d träff")).get_data(as_text=True)
    assert [f"form_{n}" for n in range(3)] == re.findall(r'<textarea[^>]* id="(form_\d)"', page)
    assert "till exempel för 1, 21, 31, 41" in page

    response = save(client, "uk", "%(num)d träff", "%(num)d результат", "%(num)d результати",
                    "%(num)d результатів")

    assert response.status_code == 302
    with speaking(app, "uk"):
        assert [ngettext("%(num)d träff", "%(num)d träffar", n) for n in (1, 3, 7)] == [
            "1 результат", "3 результати", "7 результатів"]


def test_export_catalog_writes_the_merged_po_file(client, login_as, runner, tmp_path):
    login_as("translator")
    save(client, "en", "Kontakta oss", "Get in touch")
    output = tmp_path / "en.po"

    result = runner.invoke(args=["export-catalog", "en", "--output", str(output)])

    assert result.exit_code == 0, result.output
    with open(output, "rb") as handle:
        exported = read_po(handle)
    assert exported.get("Kontakta oss").string == "Get in touch"
    assert exported.get("Du är inloggad som %(name)s.").string == "You are signed in as %(name)s."
    assert sum(1 for message in exported if message.id) == template_size()


def test_export_catalog_of_a_language_without_a_po_file(client, login_as, runner):
    login_as("admin")
    save(client, EMPTY_LANGUAGE, "Kontakta oss", "Nala soo xiriir")

    result = runner.invoke(args=["export-catalog", EMPTY_LANGUAGE])

    assert result.exit_code == 0, result.output
    assert 'msgid "Kontakta oss"\nmsgstr "Nala soo xiriir"' in result.output
    assert 'msgid "Logga in"\nmsgstr ""' in result.output
    assert "Language: so" in result.output


def test_export_catalog_refuses_an_unknown_language(runner):
    result = runner.invoke(args=["export-catalog", "xx"])
    assert result.exit_code != 0 and "xx" in result.output


def test_easy_swedish_has_a_catalogue_of_its_own(demo_template, tmp_path):
    """Lättläst is looked up by its language code, not by its Babel locale (``sv``):
    its saved texts show in it, and Swedish keeps its msgids."""
    app = copy_of_demo(demo_template, tmp_path, PORTAL_LANGUAGES=["sv", "en", "sv-x-lattlast"])
    with app.test_request_context("/"):
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        entry = next(e for e in queries.entries("sv-x-lattlast") if e.msgid == "Kontakta oss")
        SAVE_TRANSLATION.execute(entry, admin, language="sv-x-lattlast", forms=["Ring eller skriv till oss"])
    with speaking(app, "sv-x-lattlast"):
        assert gettext("Kontakta oss") == "Ring eller skriv till oss"
    with speaking(app, "sv"):
        assert gettext("Kontakta oss") == "Kontakta oss"


def catalogue_file(path, text, compiled):
    catalogue = Catalog(locale="en")
    catalogue.add("Kontakta oss", text)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        (write_mo if compiled else write_po)(handle, catalogue)


def test_the_newer_of_the_po_file_and_its_compiled_mo_is_served(tmp_path):
    """``make catalogs`` compiles the .po; a .po edited since is read itself.  (On a
    database without the table yet: no saves.)"""
    folder = tmp_path / "translations" / "en" / "LC_MESSAGES"
    catalogue_file(folder / "messages.po", "From the po file", compiled=False)
    catalogue_file(folder / "messages.mo", "From the mo file", compiled=True)
    os.utime(folder / "messages.po", (1, 1))
    app = make_app(tmp_path / "instance", TRANSLATIONS_DIR=tmp_path / "translations")

    assert english(app, "Kontakta oss") == "From the mo file"
    os.utime(folder / "messages.mo", (0, 0))
    app.extensions["portal.catalogs"].clear()      # as a process started after the edit
    assert english(app, "Kontakta oss") == "From the po file"


def english(app, msgid):
    with speaking(app, "en"):
        return gettext(msgid)
