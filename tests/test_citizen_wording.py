"""The portal as citizens meet it says only what is true (issue 13): the start page
promises what exists, its tiles lead where they say, the demo articles ask for no
login and link the e-services they name; English pages write dates, times and
topic addresses in English, and the language switch says when a page is only in
Swedish."""
import re
import tomllib
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from flask import render_template_string

from content.demo import ARTICLES
from eservices import registry
from tests.conftest import copy_of_demo

DEMO_ARTICLES = sorted(Path(ARTICLES).glob("*.toml"))
TILE = re.compile(r'<li class="card"><a href="([^"]+)"[^>]*>([^<]+)</a>')


def common_tasks(html):
    """(href, text) of the start page's "Vanliga ärenden" tiles."""
    section = html.split('id="common-tasks"', 1)[1].split("</section>", 1)[0]
    return TILE.findall(section)


# --- honest wording ----------------------------------------------------------------
def test_the_start_page_promises_errands_only_where_e_services_exist(client, demo_template, tmp_path):
    html = client.get("/sv/").get_data(as_text=True)
    assert "utan att logga in" in html and "följer ärendet" in html
    alone = copy_of_demo(demo_template, tmp_path / "alone", PORTAL_MODULES=("content",)).test_client()
    html = alone.get("/sv/").get_data(as_text=True)
    assert "ärende" not in html.split('id="common-tasks"')[0]    # neither the lead nor a section


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_common_tasks_lead_to_what_they_name(client, lang):
    tiles = common_tasks(client.get(f"/{lang}/").get_data(as_text=True))
    assert len(tiles) == 6
    for href, text in tiles:
        assert "/sok" not in href and "/search" not in href
        page = client.get(href)
        assert page.status_code == 200, href
        assert f"<h1>{text.strip()}" in page.get_data(as_text=True), (href, text)


def test_the_start_page_browses_by_topic_not_by_life_event(client):
    html = client.get("/sv/").get_data(as_text=True)
    assert "Hitta efter ämne" in html and "livshändelse" not in html


def test_demo_articles_ask_for_no_login_and_promise_nothing_for_later():
    for path in DEMO_ARTICLES:
        text = path.read_text().lower()
        for words in ("BankID", "Freja", "e-legitimation", "logga in i e-tjänsten", "log in to the e-service",
                      "öppnar snart", "opens soon"):
            assert words.lower() not in text, f"{path.name} says {words}"


def test_an_article_that_names_an_e_service_links_it(app):
    """"e-tjänsten **Felanmälan**": an article that names one of the portal's e-services
    by its title lists it, so that the page links to it through portal.links."""
    with app.app_context():
        titles = {service.code: [service.text(lang).title for lang in ("sv", "en")]
                  for service in registry.all_services()}
    for path in DEMO_ARTICLES:
        article = tomllib.loads(path.read_text())
        texts = " ".join(article[lang]["body"] for lang in ("sv", "en") if lang in article)
        for code, names in titles.items():
            if any(re.search(rf"\*\*?{re.escape(name)}\*?\*", texts) for name in names):
                assert code in article.get("eservices", []), f"{path.name} names {code} without linking it"



# The portal's e-services, by the names the demo articles give them (title or short name).
E_SERVICE_NAMES = {"parkeringstillstand": ["Parkeringstillstånd", "parking permit"],
                   "felanmalan": ["Felanmälan", "Report a fault"],
                   "lokalbokning": ["Boka lokal", "Book a venue"],
                   "bli-uppringd": ["Bli uppringd", "call back"]}
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n")


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_demo_articles_send_readers_only_to_e_services_that_exist(app):
    """Every sentence of a demo article (citizen text or agent layer) that speaks of
    an e-service names one of the portal's e-services: "Ansök i e-tjänsten Skolskjuts"
    sent readers to something that does not exist here."""
    with app.app_context():
        assert set(E_SERVICE_NAMES) == {service.code for service in registry.all_services()}
    names = [name.lower() for names in E_SERVICE_NAMES.values() for name in names]
    untrue = []
    for path in DEMO_ARTICLES:
        for text in strings(tomllib.loads(path.read_text())):
            for sentence in SENTENCE.split(text):
                lowered = sentence.lower()
                if re.search(r"e-tjänst|e-service", lowered) and not any(name in lowered for name in names):
                    untrue.append(f"{path.name}: {sentence.strip()}")
    assert not untrue, "\n".join(untrue)

# --- English -----------------------------------------------------------------------
MOMENT = datetime(2026, 12, 1, 14, 4, tzinfo=timezone.utc)   # 15.04 in Stockholm


@pytest.mark.parametrize("lang, template, expected", [
    ("en", "{{ day|date }}", "1 December 2026"),
    ("en", "{{ day|date('short') }}", "1 Dec 2026"),
    ("en", "{{ moment|datetime }}", "1 Dec 2026, 15:04"),
    ("en", "{{ moment|datetime('long') }}", "1 December 2026, 15:04"),
    ("sv", "{{ day|date }}", "1 december 2026"),
    ("sv", "{{ moment|datetime }}", "2026-12-01 15:04"),
])
def test_dates_and_times_are_written_as_the_language_writes_them(app, lang, template, expected):
    with app.test_request_context(f"/{lang}/"):
        app.preprocess_request()
        assert render_template_string(template, day=date(2026, 12, 1), moment=MOMENT) == expected


def test_english_opening_hours_use_the_english_clock(client):
    """One style on English pages: 08:00 as the room booking's times, never 8.00 or 8am."""
    assert "weekdays 08:00–16:30" in client.get("/en/").get_data(as_text=True)
    assert "vardagar 8.00–16.30" in client.get("/sv/").get_data(as_text=True)
    for path in DEMO_ARTICLES:
        english = tomllib.loads(path.read_text()).get("en", {})
        hours = english.get("opening_hours", "")
        assert not re.search(r"\b\d{1,2}\.\d\d\b", hours), f"{path.name}: {hours}"
        assert all(len(time) == 5 for time in re.findall(r"\b\d{1,2}:\d\d\b", hours)), f"{path.name}: {hours}"


def test_topics_have_english_addresses(client):
    home = client.get("/en/").get_data(as_text=True)
    assert 'href="/en/topic/care-and-support"' in home and "/en/topic/omsorg-och-stod" not in home
    page = client.get("/en/topic/care-and-support")
    assert page.status_code == 200 and "<h1>Care and support</h1>" in page.get_data(as_text=True)
    assert 'hreflang="sv" href="http://127.0.0.1:5000/sv/amne/omsorg-och-stod"' in page.get_data(as_text=True)
    old = client.get("/en/topic/omsorg-och-stod")      # the English address until now
    assert old.status_code == 301 and old.location.endswith("/en/topic/care-and-support")
    assert client.get("/sv/amne/care-and-support").status_code == 404


def test_the_language_switch_leads_to_an_untranslated_page_that_says_it_is_in_swedish(client):
    html = client.get("/sv/artikel/attefallshus-och-friggebod").get_data(as_text=True)
    switch = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/en/article/attefallshus-och-friggebod" lang="en" hreflang="en"' in switch
    english = client.get("/en/article/attefallshus-och-friggebod").get_data(as_text=True)
    assert "This page is not available in your language yet. You are reading it in Swedish." in english
    translated = client.get("/en/article/disabled-parking-permit")
    assert "not available in your language yet" not in translated.get_data(as_text=True)
