"""The language registry: languages added by an admin, with ``portal add-language`` or
the admin page, served under their own prefix as soon as they are enabled, by every
app on the database, without a restart.  The demo has Finnish, Arabic and
easy-to-read Swedish enabled, Somali and Persian added but disabled."""
import re
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask_babel import get_locale
from sqlalchemy import func, select

from eservices.notify import tracking_url
from portal import mail
from portal.extensions import db
from portal.i18n import current_language, force_language, language, languages
from portal.languages import tags
from portal.languages.models import Language
from portal.languages.operations import COMMAND_LINE, DISABLE_LANGUAGE
from portal.templating import date_filter
from tests.conftest import csrf_token, make_app, post_form

HTML_TAG = re.compile(r"<html[^>]*>")


def html_tag(response):
    return HTML_TAG.search(response.get_data(as_text=True)).group(0)


def language_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Language))


def stored(app, code):
    with app.app_context():
        row = db.session.get(Language, code)
        return row and row.info()


# --- tags and defaults ------------------------------------------------------------------
@pytest.mark.parametrize("tag", ["fi", "ar", "sv-x-lattlast", "zh-Hant-TW", "so-SO", "de-CH-1996",
                                 "en-US-u-ca-gregory", "yue", "sr-Latn"])
def test_well_formed_tags(tag):
    assert tags.is_well_formed(tag)


@pytest.mark.parametrize("tag", ["sv_SE", "english", "", "x-lattlast", "sv-x", "fi-", "-fi", "f",
                                 "sv-" + "a" * 40, "sv x"])
def test_tags_that_are_not_bcp_47(tag):
    assert not tags.is_well_formed(tag)


def test_a_tag_is_kept_in_the_case_rfc_5646_recommends():
    assert tags.canonical("ZH-hant-tw") == "zh-Hant-TW"
    assert tags.canonical("SV-X-LattLast") == "sv-x-lattlast"


@pytest.mark.parametrize("code, name, direction, locale, analyzer", [
    ("fi", "Suomi", "ltr", "fi", "finnish"),
    ("ar", "العربية", "rtl", "ar", "arabic"),
    ("so", "Soomaali", "ltr", "so", ""),
    ("sv-x-lattlast", "Lättläst svenska", "ltr", "sv", "swedish"),
    ("et", "Eesti", "ltr", "et", "estonian"),
])
def test_what_a_language_gets_from_its_code_alone(code, name, direction, locale, analyzer):
    info = tags.describe(code)
    assert (info.name, info.direction, info.locale, info.analyzer) == (name, direction, locale, analyzer)


# --- portal add-language ----------------------------------------------------------------
def test_add_language_with_only_a_code_takes_the_defaults_and_stays_disabled(app, runner, client):
    result = runner.invoke(args=["add-language", "et"])
    assert result.exit_code == 0, result.output
    assert "Added et (Eesti)" in result.output
    assert stored(app, "et") == tags.LanguageInfo("et", "Eesti", "ltr", "et", "estonian", enabled=False)
    assert client.get("/et/").status_code == 404


def test_add_language_options_override_every_default(app, runner, client):
    result = runner.invoke(args=["add-language", "HE", "--name", "עברית בקלות", "--analyzer", "neutral",
                                 "--locale", "he_IL", "--enable"])
    assert result.exit_code == 0, result.output
    assert stored(app, "he") == tags.LanguageInfo("he", "עברית בקלות", "rtl", "he_IL", "", enabled=True)
    page = client.get("/he/")
    assert page.status_code == 200
    assert html_tag(page) == '<html lang="he" dir="rtl">'
    result = runner.invoke(args=["add-language", "ku", "--direction", "rtl", "--analyzer", "turkish",
                                 "--locale", "tr"])
    assert result.exit_code == 0, result.output
    assert stored(app, "ku") == tags.LanguageInfo("ku", "Kurdî (kurmancî)", "rtl", "tr", "turkish", enabled=False)


@pytest.mark.parametrize("args, message", [
    (["sv_SE"], "inte en språkkod enligt BCP 47"),
    (["english"], "inte en språkkod enligt BCP 47"),
    ([""], "Ange språkkoden"),
    (["sv-x-" + "-".join(["abcdefgh"] * 4)], "högst 35 tecken"),
    (["en"], "inbyggda språk"),
    (["fi"], "redan tillagt"),
    (["FI"], "redan tillagt"),
    (["et", "--analyzer", "klingon"], "ingen stemmer som heter ”klingon”"),
    (["et", "--direction", "up"], "ltr (vänster till höger) eller rtl"),
    (["et", "--locale", "xx_YY"], "Formateringsspråket ”xx_YY” finns inte"),
    (["tlh"], "vet inte hur tlh skriver datum och tal"),
])
def test_add_language_refuses_bad_input_and_saves_nothing(app, runner, args, message):
    before = language_count(app)
    result = runner.invoke(args=["add-language", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert language_count(app) == before


def test_a_code_and_an_analyzer_that_are_both_wrong_are_both_told(runner):
    result = runner.invoke(args=["add-language", "sv_SE", "--analyzer", "klingon"])
    assert "code: ”sv_SE” är inte en språkkod" in result.output
    assert "analyzer: Det finns ingen stemmer" in result.output


def test_a_translator_may_be_granted_a_language_before_it_is_enabled(runner):
    result = runner.invoke(args=["create-user", "oversattare", "--name", "Soo Translator",
                                 "--role", "translator:so", "--password", "kontaktcenter-demo"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-user", "oversattare2", "--name", "Nobody",
                                 "--role", "translator:tlh", "--password", "kontaktcenter-demo"])
    assert result.exit_code != 0


# --- the admin page ----------------------------------------------------------------------
PAGE = "/sv/admin/sprak"


def add_on_page(client, **fields):
    return post_form(client, PAGE, {"direction": "", "analyzer": "", "locale": "", **fields})


def test_the_page_lists_the_languages_with_a_button_for_the_added_ones(login_as, client):
    login_as("admin")
    html = client.get(PAGE).get_data(as_text=True)
    assert '<span lang="ar" dir="rtl">العربية</span>' in html
    assert "Inbyggt, alltid på" in html
    assert 'action="/sv/admin/sprak/ar/sla-av"' in html
    assert 'action="/sv/admin/sprak/so/sla-pa"' in html
    assert "/sv/admin/sprak/sv/sla" not in html      # a built-in language cannot be disabled


def test_the_page_shows_how_much_of_each_interface_is_translated(login_as, client):
    login_as("admin")
    html = client.get(PAGE).get_data(as_text=True)
    assert re.search(r'<a href="/sv/oversattning/granssnitt/en">100 %<span class="visually-hidden"> av '
                     r'gränssnittet på English</span></a>', html)
    somali = re.search(r'<a href="/sv/oversattning/granssnitt/so">(\d+) %', html)
    assert somali and int(somali.group(1)) < 5          # added, nothing translated yet
    start = client.get("/sv/personal").get_data(as_text=True)
    assert '<a href="/sv/admin/sprak">Språk</a>' in start


def test_a_bad_tag_is_told_at_the_field_and_the_field_keeps_it(app, login_as, client):
    login_as("admin")
    before = language_count(app)
    response = add_on_page(client, code="sv_SE", name="Svenska i Sverige")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Fel: Språk" in html
    assert '<li><a href="#code">”sv_SE” är inte en språkkod enligt BCP 47.' in html
    assert 'id="code-error"' in html
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="code"[^>]*value="sv_SE"', html)
    assert re.search(r'<input[^>]*id="name"[^>]*value="Svenska i Sverige"', html)
    assert language_count(app) == before


def test_a_duplicate_is_told_at_the_field(app, login_as, client):
    login_as("admin")
    response = add_on_page(client, code="ar")
    assert response.status_code == 400
    assert '<li><a href="#code">Språket ar är redan tillagt.</a></li>' in response.get_data(as_text=True)
    response = add_on_page(client, code="en")
    assert "en är ett av portalens inbyggda språk" in response.get_data(as_text=True)


def test_an_empty_code_is_told_at_the_field(login_as, client):
    login_as("admin")
    response = add_on_page(client, code="")
    assert response.status_code == 400
    assert '<li><a href="#code">Ange språkkoden' in response.get_data(as_text=True)


def test_adding_on_the_page_with_overrides(app, login_as, client):
    login_as("admin")
    response = add_on_page(client, code="et", name="Eesti keel", analyzer="neutral", enable="y")
    assert response.status_code == 302
    flash = client.get(PAGE).get_data(as_text=True)
    assert "Eesti keel (et) är tillagt och påslaget: sidorna finns under /et/." in flash
    assert stored(app, "et") == tags.LanguageInfo("et", "Eesti keel", "ltr", "et", "", enabled=True)
    assert html_tag(client.get("/et/logga-in")) == '<html lang="et" dir="ltr">'


def test_the_page_in_english(login_as, client):
    login_as("admin")
    response = post_form(client, "/en/admin/languages", {"code": "english", "direction": "", "analyzer": ""})
    html = response.get_data(as_text=True)
    assert "“english” is not a BCP 47 language code." in html
    assert "Add a language" in html


# --- serving the languages -----------------------------------------------------------------
def test_the_language_switch_lists_the_enabled_languages_by_their_own_names(client):
    html = client.get("/sv/").get_data(as_text=True)
    switch = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    names = re.findall(r'hreflang="([^"]+)"\s*>([^<]+)</a>', switch)
    assert names == [("en", "English"), ("fi", "Suomi"), ("ar", "العربية"),
                     ("sv-x-lattlast", "Lättläst svenska")]
    assert 'hreflang="fi" href="http://127.0.0.1:5000/fi/"' in html
    assert "Soomaali" not in html and "فارسی" not in html


def test_added_languages_use_the_source_languages_path_words(client):
    assert html_tag(client.get("/fi/logga-in")) == '<html lang="fi" dir="ltr">'
    assert client.get("/fi/login").status_code == 404
    assert client.get("/en/logga-in").status_code == 404
    assert html_tag(client.get("/sv-x-lattlast/kontakta-oss")) == '<html lang="sv-x-lattlast" dir="ltr">'


def test_an_unknown_page_under_an_added_languages_prefix_is_in_that_language(runner, client):
    assert html_tag(client.get("/sv-x-lattlast/finns-inte")) == '<html lang="sv-x-lattlast" dir="ltr">'
    assert runner.invoke(args=["add-language", "he", "--locale", "he_IL", "--enable"]).exit_code == 0
    assert html_tag(client.get("/he/finns-inte")) == '<html lang="he" dir="rtl">'


def test_arabic_pages_are_right_to_left(client):
    assert html_tag(client.get("/ar/")) == '<html lang="ar" dir="rtl">'
    assert html_tag(client.get("/ar/finns-inte")) == '<html lang="ar" dir="rtl">'


def test_disabled_and_unknown_languages_are_not_found(client):
    for url in ("/so/", "/fa/kontakta-oss", "/xx/", "/sv_SE/"):
        response = client.get(url)
        assert response.status_code == 404
        assert html_tag(response) == '<html lang="sv" dir="ltr">'


def test_a_second_app_serves_a_language_once_enabled_and_stops_once_disabled(app, login_as, client, tmp_path):
    """Two processes on one database: the admin's change reaches the other at its next request."""
    other_app = make_app(tmp_path / "instance")
    other = other_app.test_client()
    login_as("admin")
    assert post_form(client, "/sv/admin/sprak/fi/sla-av", {}, page=PAGE).status_code == 302
    assert other.get("/fi/").status_code == 404

    assert post_form(client, "/sv/admin/sprak/fi/sla-pa", {}, page=PAGE).status_code == 302
    assert "Suomi är påslaget. Sidorna finns under /fi/" in client.get(PAGE).get_data(as_text=True)
    page = other.get("/fi/kontakta-oss")
    assert page.status_code == 200
    assert html_tag(page) == '<html lang="fi" dir="ltr">'
    assert '>Suomi</a>' in other.get("/sv/").get_data(as_text=True)
    with other_app.test_request_context("/fi/kontakta-oss"):
        assert date_filter(date(2026, 12, 2)) == "2. joulukuuta 2026"

    assert post_form(client, "/sv/admin/sprak/fi/sla-av", {}, page=PAGE).status_code == 302
    assert other.get("/fi/kontakta-oss").status_code == 404
    with other_app.test_request_context("/fi/kontakta-oss"):
        assert "fi" not in languages()


def test_an_added_language_formats_dates_with_its_babel_locale(app):
    with app.test_request_context("/fi/"):
        assert str(get_locale()) == "fi"
        assert date_filter(date(2026, 12, 2)) == "2. joulukuuta 2026"
    with app.test_request_context("/sv-x-lattlast/"):
        assert str(get_locale()) == "sv"
        assert date_filter(date(2026, 12, 2)) == "2 december 2026"


def test_url_for_builds_an_added_languages_urls_and_refuses_a_disabled_one(app):
    from flask import url_for
    from werkzeug.routing import BuildError

    with app.test_request_context("/sv/"):
        assert url_for("auth.login", lang_code="fi") == "/fi/logga-in"
        assert url_for("portal.home", lang_code="sv-x-lattlast") == "/sv-x-lattlast/"
        with pytest.raises(BuildError):
            url_for("portal.home", lang_code="so")


def test_force_language_renders_in_the_language_and_puts_the_request_back(app):
    with app.test_request_context("/sv/"):
        with force_language("sv-x-lattlast"):
            assert (current_language(), str(get_locale())) == ("sv-x-lattlast", "sv")
        with force_language("en"):
            assert (current_language(), str(get_locale())) == ("en", "en")
        assert current_language() == "sv"


def test_what_the_portal_knows_of_each_language(app):
    with app.app_context():
        assert language("sv").name == "Svenska"
        assert language("ar").direction == "rtl"
        assert language("fa").enabled is False
        with pytest.raises(LookupError):
            language("xx")


def test_csrf_is_required_to_enable_a_language(login_as, client):
    login_as("admin")
    csrf_token(client, PAGE)
    assert client.post("/sv/admin/sprak/so/sla-pa").status_code == 400
    assert client.get("/so/").status_code == 404


def test_a_language_babel_does_not_know_is_named_by_its_code_when_given_a_locale(app, runner):
    result = runner.invoke(args=["add-language", "tlh", "--locale", "en"])
    assert result.exit_code == 0, result.output
    assert stored(app, "tlh") == tags.LanguageInfo("tlh", "tlh", "ltr", "en", "", enabled=False)


def test_disabling_the_pages_own_language_leads_back_to_the_source_language(login_as, client):
    login_as("admin")
    response = post_form(client, "/fi/admin/sprak/fi/sla-av", {}, page="/fi/admin/sprak")
    assert response.status_code == 302
    assert response.location == "/sv/admin/sprak"
    # told in the language of the page the admin pressed the button on
    assert "Suomi on poistettu käytöstä." in client.get("/sv/admin/sprak").get_data(as_text=True)


def test_every_column_that_holds_a_language_keeps_the_longest_tag():
    """"sv-x-lattlast" has 13 characters: a String(8) would refuse it on PostgreSQL."""
    short = [f"{table.name}.{column.name}" for table in db.metadata.tables.values()
             for column in table.columns if column.name in ("lang", "language")
             and column.type.length < tags.MAX_LENGTH]
    assert short == []


def test_mail_in_a_language_turned_off_since_is_written_in_swedish_with_working_links(app):
    with app.test_request_context():
        DISABLE_LANGUAGE.execute(db.session.get(Language, "fi"), COMMAND_LINE)
        case = SimpleNamespace(tracking_token="t0ken", lang="fi")
        assert urlsplit(tracking_url(case)).path == "/sv/arende/t0ken"
        article = SimpleNamespace(id=7, title_in=lambda lang: f"title in {lang}")
        person = SimpleNamespace(display_name="Tove")
        rendered = mail.render("content/mail/review_request", "fi", article=article,
                               submitter=person, reviewer=person)
        assert rendered.subject == "Att granska: title in sv"
        assert "/sv/redaktion/7/granska" in rendered.text
