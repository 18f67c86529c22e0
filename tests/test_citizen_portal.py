"""Issue 13, the citizens' points as HTML: search and a contact link on every page,
one set of contact details from configuration, contact boxes that are never empty,
and the alerts page in plain words."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from content.models import Alert, ArticleTranslation
from portal.clock import utcnow
from portal.extensions import db

PUBLIC_PAGES = ["/sv/", "/en/", "/sv/artikel/hemtjanst", "/en/service-alerts", "/sv/amne/omsorg-och-stod",
                "/sv/kontakta-oss", "/sv/finns-inte"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_search_and_a_contact_link(client, path):
    html = client.get(path).get_data(as_text=True)
    assert html.count('role="search"') == 1, "one search form: the header's, or the page's own large one"
    assert 'href="/%s/%s"' % (path[1:3], "kontakta-oss" if path.startswith("/sv") else "contact-us") in html


def test_the_404_page_has_the_search_box_it_mentions(client):
    response = client.get("/sv/finns-inte")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "Prova att söka" in html
    assert 'id="header-search-q"' in html and 'action="/sv/sok"' in html


@pytest.mark.parametrize("app_config", [{"PORTAL_CONTACT_PHONE": "0480-12 34 56",
                                         "PORTAL_CONTACT_EMAIL": "info@kommun.example",
                                         "PORTAL_VISITING_ADDRESS": "Rådhuset, Torget 2",
                                         "PORTAL_OPENING_HOURS": "09:00-15:00"}])
def test_contact_page_and_footer_take_one_set_of_details_from_configuration(client):
    page = client.get("/en/contact-us").get_data(as_text=True)
    assert 'href="tel:0480123456"' in page and 'href="mailto:info@kommun.example"' in page
    assert "Rådhuset, Torget 2" in page and "Weekdays 09:00–15:00" in page
    footer = client.get("/sv/").get_data(as_text=True).split('class="site-footer"')[1]
    assert "Vi svarar vardagar 9.00–15.00." in footer and "17" not in footer


def without_own_contact(ctx, slug):
    """Take the article's own phone, e-mail and opening hours out of its live revision."""
    with ctx():
        translation = db.session.scalar(select(ArticleTranslation).where(ArticleTranslation.slug == slug))
        revision = translation.article.live_revision
        data = dict(revision.data, contact={"phone": "", "email": ""})
        data["translations"] = {lang: dict(text, opening_hours="") for lang, text in data["translations"].items()}
        revision.data = data
        db.session.commit()
        return translation.article.department.contact_email


def test_article_without_contact_details_shows_its_förvaltning_and_the_contact_centre(client, ctx):
    department_email = without_own_contact(ctx, "grovavfall")
    box = client.get("/sv/artikel/grovavfall").get_data(as_text=True).split('class="contact-box"')[1]
    box = box[:box.index("</aside>")]
    assert department_email and f'href="mailto:{department_email}"' in box
    assert 'href="tel:0480450000"' in box and "Vardagar 8.00–16.30" in box


def test_article_shows_e_services_and_contact_before_the_text(client):
    html = client.get("/sv/artikel/grovavfall").get_data(as_text=True)
    assert html.index('class="lead"') < html.index('class="contact-box"') < html.index('class="article-body"')


def add_alert(ctx, severity, ends_at, title):
    with ctx():
        db.session.add(Alert(severity=severity, department_id=1, titles={"sv": title, "en": title},
                             messages={"sv": "Text.", "en": "Text."}, starts_at=utcnow() - timedelta(minutes=1),
                             ends_at=ends_at, approved_at=utcnow()))
        db.session.commit()


def monday_21_december():
    """Monday 21 December 2037, 21.35 in Stockholm (UTC+1): far enough ahead that the alert is current."""
    return datetime(2037, 12, 21, 20, 35)


@pytest.mark.parametrize("lang, path, words", [
    ("sv", "/sv/driftinformation", ["Störning", "Gäller till och med måndag 21 december kl. 21.35.",
                                    "Prenumerera i en nyhetsläsare"]),
    ("en", "/en/service-alerts", ["Disruption", "In effect until Monday 21 December at 9:35", "Subscribe in a news reader"]),
])
def test_alerts_page_in_plain_words(client, ctx, monkeypatch, lang, path, words):
    monkeypatch.setattr("content.rendering.utcnow", lambda: datetime(2037, 12, 1, 12, 0))
    add_alert(ctx, "disruption", monday_21_december(), "Avstängd gata")
    html = client.get(path).get_data(as_text=True)
    for text in words:
        assert text in html
    assert "Atom" not in html.split('<main')[1]


def test_an_alert_ending_another_year_names_the_year(client, ctx, monkeypatch):
    monkeypatch.setattr("content.rendering.utcnow", lambda: datetime(2036, 12, 1, 12, 0))
    add_alert(ctx, "crisis", monday_21_december(), "Storm")
    assert "måndag 21 december 2037 kl. 21.35" in client.get("/sv/driftinformation").get_data(as_text=True)
