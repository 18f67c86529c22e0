"""Right-to-left pages and formatting for the locale (issue 14).

An Arabic page is ``dir="rtl"``; what is always written left to right on it (a phone
number, an e-mail address, a case reference) is isolated so that the Arabic around it
cannot reorder its parts; Swedish text shown where a translation is missing says it is
Swedish and left to right; and dates, times, sizes and amounts are written the way
each language writes them.  The tests assert structure, direction and formats, not
translated words, so that a translator's change of wording does not break them.
"""
import re
from datetime import date, datetime, time

import pytest
from flask import render_template_string, url_for

from portal.i18n import force_language
from tests.conftest import CSRF_RE

FOUR_LANGUAGES = {"PORTAL_LANGUAGES": ["sv", "en", "fi", "ar"]}
CALL_ME = "/{lang}/e-tjanster/bli-uppringd/steg/samtal"


@pytest.fixture
def app_config():
    return FOUR_LANGUAGES


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def footer(html):
    return html[html.index('<footer class="site-footer">'):]


def address(app, endpoint, lang, **values):
    """A page's URL in ``lang`` (English has its own path words)."""
    with app.test_request_context("/"):
        return url_for(endpoint, lang_code=lang, **values)


@pytest.mark.parametrize("lang, direction", [("sv", "ltr"), ("en", "ltr"), ("fi", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("endpoint, values", [
    ("portal.home", {}), ("portal.contact", {}), ("eservices.landing", {"code": "felanmalan"}),
    ("eservices.form_page", {"code": "bli-uppringd", "page_name": "samtal"})])
def test_every_page_says_its_language_and_direction(app, client, lang, direction, endpoint, values):
    html = html_of(client, address(app, endpoint, lang, **values))
    assert f'<html lang="{lang}" dir="{direction}">' in html


def test_an_error_page_under_ar_is_rtl_with_its_reference_kept_whole(client):
    response = client.get("/ar/finns-inte")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and '<html lang="ar" dir="rtl">' in html
    assert re.search(r'<bdi dir="ltr">[0-9a-f]{10}</bdi>', html)


def test_phone_numbers_and_addresses_are_ltr_islands_on_an_arabic_page(client):
    html = html_of(client, "/ar/kontakta-oss")
    assert '<a href="tel:0480450000"><bdi dir="ltr">0480-45 00 00</bdi></a>' in html
    assert '<bdi dir="ltr">kontaktcenter@sjobacka.example</bdi>' in html
    assert '<dd lang="sv" dir="ltr">Kommunhuset, Storgatan 1, 380 30 Sjöbacka</dd>' in html
    assert '<bdi dir="ltr">0480-45 00 00</bdi>' in footer(html)


def test_ltr_pages_keep_their_html_without_isolation(client):
    html = html_of(client, "/sv/kontakta-oss")
    assert "<bdi" not in html and '<a href="tel:0480450000">0480-45 00 00</a>' in html
    assert "<dd>Kommunhuset, Storgatan 1, 380 30 Sjöbacka</dd>" in html


def test_swedish_text_on_an_arabic_page_is_marked_swedish_and_ltr(client):
    swedish_only = '<a href="/{}/artikel/ansok-om-bygglov" lang="sv"{}>Ansök om bygglov</a>'   # a common task
    assert swedish_only.format("ar", ' dir="ltr"') in html_of(client, "/ar/")
    assert swedish_only.format("fi", "") in html_of(client, "/fi/")      # the same direction: only the language


def test_the_language_switch_gives_each_missing_language_its_own_direction(client):
    html = html_of(client, "/sv/artikel/ansok-om-bygglov/omdome")     # a page in Swedish only
    assert '<li class="language-missing" lang="ar" dir="rtl">العربية: ' in html
    assert '<li class="language-missing" lang="fi">Suomi: ' in html


def test_form_fields_follow_what_is_typed_and_phone_fields_are_ltr(client):
    html = html_of(client, CALL_ME.format(lang="ar"))
    assert re.search(r'<input [^>]*dir="auto"[^>]*id="name"', html)
    assert re.search(r'<input [^>]*dir="ltr"[^>]*id="phone"[^>]*type="tel"', html)
    assert re.search(r'<textarea [^>]*dir="auto"[^>]*id="topic"', html)
    assert re.search(r'<select id="window"', html)      # a choice has no direction of its own
    assert 'id="header-search-q" name="q" maxlength="200" autocomplete="off" dir="auto"' in html


def test_an_arabic_form_with_errors_is_rtl_with_its_summary_and_messages(client):
    url = CALL_ME.format(lang="ar")
    token = CSRF_RE.search(html_of(client, url)).group(1)
    response = client.post(url, data={"csrf_token": token, "name": "سارة", "phone": "", "topic": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="ar" dir="rtl">' in html
    assert 'class="error-summary"' in html
    assert re.search(r'<p class="field-error" id="phone-error">', html)
    assert re.search(r'<input [^>]*aria-invalid="true"[^>]*dir="ltr"[^>]*id="phone"', html)
    assert re.search(r'<input [^>]*dir="auto"[^>]*value="سارة"', html)   # what was typed, kept


def test_a_reference_is_isolated_and_escaped_on_an_rtl_page_only(app):
    with app.test_request_context("/ar/"), force_language("ar"):
        assert render_template_string("{{ r|ltr }}", r="SJB-2026-000123") == '<bdi dir="ltr">SJB-2026-000123</bdi>'
        assert render_template_string("{{ r|ltr }}", r="<b>") == '<bdi dir="ltr">&lt;b&gt;</bdi>'
    with app.test_request_context("/sv/"), force_language("sv"):
        assert render_template_string("{{ r|ltr }}", r="SJB-2026-000123") == "SJB-2026-000123"


def test_in_plain_text_an_ltr_island_is_held_by_unicode_isolates(app):
    from portal.i18n import left_to_right_text
    with app.test_request_context("/sv/"), force_language("ar"):
        assert left_to_right_text("0480-45 00 00") == "\u20660480-45 00 00\u2069"
    with app.test_request_context("/ar/"), force_language("sv"):   # a Swedish SMS sent from an Arabic page
        assert left_to_right_text("0480-45 00 00") == "0480-45 00 00"


def test_an_sms_in_arabic_holds_the_reference_and_the_link_left_to_right(app):
    from sqlalchemy import select

    from eservices import notify
    from eservices.models import SmsMessage
    from portal.extensions import db
    from tests.test_casework import fault_report
    with app.app_context(), app.test_request_context():
        case = fault_report(app, notify_by="sms")
        case.lang = "ar"
        notify.news(case)
        sms = db.session.scalars(select(SmsMessage).order_by(SmsMessage.id.desc())).first()
        assert f"\u2066{case.reference}\u2069" in sms.text
        assert f"\u2066http://127.0.0.1:5000/ar/arende/{case.tracking_token}\u2069" in sms.text


def test_a_mail_in_arabic_is_rtl_with_the_reference_held_left_to_right(app):
    from sqlalchemy import select

    from eservices import notify
    from portal.extensions import db
    from portal.mail.models import MailOutbox
    from tests.test_casework import fault_report
    with app.app_context(), app.test_request_context("/sv/"):     # sent from a Swedish page
        case = fault_report(app, notify_by="email")
        case.lang = "ar"
        notify.news(case)
        sent = db.session.scalars(select(MailOutbox).order_by(MailOutbox.id.desc())).first()
        assert sent.language == "ar" and '<html lang="ar" dir="rtl">' in sent.body_html
        assert f'<bdi dir="ltr">{case.reference}</bdi>' in sent.body_html
        assert f"\u2066{case.reference}\u2069" in sent.body_text and "\u20660480-45 00 00\u2069" in sent.body_text
        assert "<bdi" not in sent.body_text and "<bdi" not in sent.subject


def test_a_search_query_echoed_in_a_sentence_keeps_its_own_direction(client):
    html = html_of(client, "/sv/sok?q=hemtjenst")      # corrected to "hemtjänst"
    assert "Inga träffar för ”<bdi>hemtjenst</bdi>”." in html


def test_a_persons_words_are_isolated_in_any_direction(app):
    from portal.i18n import user_text
    with app.test_request_context("/sv/"):
        assert str(user_text("مرحبا <3")) == "<bdi>مرحبا &lt;3</bdi>"


def test_fallback_attributes_name_the_direction_only_when_it_differs(app):
    from portal.i18n import language_attributes
    with app.test_request_context("/ar/"), force_language("ar"):
        assert language_attributes("sv") == ' lang="sv" dir="ltr"'
        assert language_attributes("ar") == ""
    with app.test_request_context("/en/"), force_language("en"):
        assert language_attributes("sv") == ' lang="sv"'
        assert language_attributes("ar") == ' lang="ar" dir="rtl"'
        assert language_attributes(None) == ""


def test_a_text_in_a_language_the_portal_does_not_serve_gets_its_direction_from_cldr(app):
    from portal.i18n import direction, language_attributes
    with app.test_request_context("/sv/"):
        assert direction("fa") == "rtl" and direction("so") == "ltr"
        assert language_attributes("fa") == ' lang="fa" dir="rtl"'


# --- formatting for the locale ------------------------------------------------------------------
DAY, MOMENT = date(2026, 12, 1), datetime(2026, 12, 1, 14, 4)   # 15.04 in Swedish time
FORMATS = {   # date, moment, time of day, file size, opening hours, two prices
    "sv": ("1 december 2026", "2026-12-01 15:04", "18.05", "1\xa0270 kB", "8.00–16.30", "1\xa0200 kr", "212,50 kr"),
    "en": ("1 December 2026", "1 Dec 2026, 15:04", "18:05", "1,270 kB", "08:00–16:30", "1,200 SEK", "212.50 SEK"),
    "fi": ("1. joulukuuta 2026", "1.12.2026 15.04", "18.05", "1\xa0270 kt", "8.00–16.30", "1\xa0200 SEK", "212,50 SEK"),
    "ar": ("1 ديسمبر 2026", "1\u200f/12\u200f/2026، 3:04 م", "6:05 م", "1,270 كيلوبايت", "8:00 ص–4:30 م",
           "1,200 SEK", "212.50 SEK"),
}


@pytest.mark.parametrize("lang", FORMATS)
def test_dates_times_sizes_and_prices_are_written_as_the_language_writes_them(app, lang):
    from eservices.services.lokalbokning.planning import kronor
    from portal.templating import date_filter, datetime_filter, hours_in_words, kilobytes, time_of_day
    with app.test_request_context(f"/{lang}/"), force_language(lang):
        shown = (date_filter(DAY), datetime_filter(MOMENT), time_of_day(time(18, 5)), kilobytes(1_300_000),
                 hours_in_words("08:00-16:30"), kronor(120_000), kronor(21_250))
    assert shown == FORMATS[lang]


@pytest.mark.parametrize("lang, weekday, day_month", [
    ("sv", "onsdag 16 december", "16 december"), ("en", "Wednesday 16 December", "16 December"),
    ("fi", "keskiviikkona 16. joulukuuta", "16. joulukuuta"), ("ar", "الأربعاء، 16 ديسمبر", "16 ديسمبر")])
def test_a_day_with_its_weekday_is_written_in_the_languages_own_order(app, lang, weekday, day_month):
    from portal.templating import date_filter
    with app.test_request_context(f"/{lang}/"), force_language(lang):
        assert date_filter(date(2026, 12, 16), "weekday") == weekday
        assert date_filter(date(2026, 12, 16), "day_month") == day_month
        # A UTC moment is a day in Swedish time: 23.30 UTC on the 16th is the 17th.
        assert date_filter(datetime(2026, 12, 16, 23, 30), "weekday_year").endswith(
            {"sv": "17 december 2026", "en": "17 December 2026", "fi": "17. joulukuuta 2026",
             "ar": "17 ديسمبر 2026"}[lang])


@pytest.mark.parametrize("lang, hours", [("sv", "8.00–16.30"), ("en", "08:00–16:30"), ("fi", "8.00–16.30"),
                                         ("ar", "8:00 ص–4:30 م")])
def test_the_footer_gives_the_opening_hours_in_the_pages_language(client, lang, hours):
    assert hours in footer(html_of(client, f"/{lang}/"))


def test_a_small_file_is_one_kilobyte_never_zero(app):
    from portal.templating import kilobytes
    with app.test_request_context("/sv/"):
        assert kilobytes(300) == "1 kB"


def test_booking_links_fill_the_form_with_a_time_it_reads_back_in_every_language(app):
    from eservices.services.lokalbokning.planning import field_clock, parse_clock
    assert field_clock(datetime(2026, 12, 1, 8, 0)) == "08.00" and parse_clock("08.00") == "08:00"
