"""Agents during a call (issue 13): where staff land after login, alert banners
for agents, the way back to the results, and what a hit tells an agent."""
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.demo import DEMO_PASSWORD
from tests.conftest import post_form
from tests.test_alerts import NEW_ALERT, alert_form

WATER = "Vattenavstängning på Storgatan"   # a demo disruption


def landing(client, username, next_=""):
    url = "/sv/logga-in" + (f"?next={next_}" if next_ else "")
    response = post_form(client, url, {"username": username, "password": DEMO_PASSWORD,
                                       "next": next_})
    assert response.status_code == 302
    return urlsplit(response.location).path


@pytest.mark.parametrize("username, path", [
    ("agent", "/sv/kunskap"),
    ("editor", "/sv/redaktion"),
    ("officer", "/sv/handlaggning"),
    ("translator", "/sv/oversattning"),
    ("manager", "/sv/statistik"),
    ("admin", "/sv/personal"),
])
def test_each_role_lands_on_its_own_start_screen(client, username, path):
    assert landing(client, username) == path


def test_a_safe_next_wins_and_an_unsafe_one_does_not(app):
    assert landing(app.test_client(), "agent", "/sv/kontakt") == "/sv/kontakt"
    assert landing(app.test_client(), "agent", "//evil.example/") == "/sv/kunskap"


def test_the_staff_start_page_says_what_the_role_can_do(login_as):
    html = login_as("manager").get("/sv/personal").get_data(as_text=True)
    assert "Kontaktcenterchef" in html
    assert 'href="/sv/kontakt"' in html and 'href="/sv/redaktion/driftinformation"' in html
    assert 'href="/sv/statistik"' in html


def test_a_translator_finds_the_translation_workspace_on_the_staff_page(login_as):
    html = login_as("translator").get("/en/staff").get_data(as_text=True)
    assert "Translator" in html and '<a href="/en/translation">Translation</a>' in html


def test_alerts_are_one_line_each_for_agents_and_a_crisis_stays_open(app, login_as):
    manager = app.test_client()
    post_form(manager, "/sv/logga-in", {"username": "manager", "password": DEMO_PASSWORD})
    assert post_form(manager, NEW_ALERT, alert_form(app, "Kris: stormen", "crisis", "KLF"),
                     page=NEW_ALERT).status_code == 302
    html = login_as("agent").get("/sv/kunskap").get_data(as_text=True)
    assert f"<summary><strong>{WATER}</strong></summary>" in html
    assert "<p><strong>Kris: stormen</strong></p>" in html
    assert "<summary><strong>Kris: stormen" not in html
    public = app.test_client().get("/sv/artikel/vattenlacka-och-avbrott-i-vattnet")
    assert f"<p><strong>{WATER}</strong></p>" in public.get_data(as_text=True)


def test_an_article_opened_from_the_results_leads_back_to_them(login_as):
    client = login_as("agent")
    html = client.get("/sv/kunskap", query_string={"q": "hemtjänst"}).get_data(as_text=True)
    follow = re.search(r'class="result-title"><a href="([^"]+)"', html).group(1)
    response = client.get(unescape(follow))
    assert response.status_code == 302 and "/sv/kunskap/" in response.location
    article = client.get(response.location).get_data(as_text=True)
    assert '<a href="/sv/kunskap?q=hemtj%C3%A4nst">Tillbaka till träffarna för ”hemtjänst”</a>' in article
    assert 'id="agent-q" name="q" value="hemtjänst"' in article


def test_each_agent_hit_shows_its_rosa_level_and_what_it_holds_for_the_call(login_as):
    client = login_as("agent")
    html = client.get("/sv/kunskap", query_string={"q": "hemtjänst"}).get_data(as_text=True)
    first = html[html.index('class="result'):html.index("</li>", html.index('class="result-snippet"'))]
    assert "Hemtjänst" in first
    assert '<li class="tag">ROSA-nivå 2</li>' in first and '<li class="tag">Checklista</li>' in first
    hit = client.get("/api/v1/search", query_string={
        "q": "hemtjänst", "lang": "en", "scope": "agent"}).json["hits"][0]
    assert hit["details"][0] == "ROSA level 2"
    public = client.get("/api/v1/search", query_string={"q": "hemtjänst", "lang": "sv"}).json
    assert public["hits"][0]["details"] == []


def test_a_hit_s_labels_follow_the_revision_published_after_them(app, login_as):
    """The labels are kept by revision (a search reads no whole revision for them):
    publishing a new one without the checklist shows that at the next search."""
    from content.models import Article, ArticleTranslation
    from portal.auth.models import User
    from portal.extensions import db
    from tests.conftest import act, save

    client = login_as("agent")

    def labels():
        return client.get("/api/v1/search", query_string={
            "q": "hemtjänst", "lang": "sv", "scope": "agent"}).json["hits"][0]["details"]

    before = labels()
    assert "Checklista" in before
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        item = db.session.scalar(select(Article).join(ArticleTranslation)
                                 .where(ArticleTranslation.slug == "hemtjanst"))
        content = item.latest_revision.content
        content.agent.checklist = []
        save(item, admin, content)
        act("submit", item, admin)
        act("approve", item, admin)
    assert labels() == [label for label in before if label != "Checklista"]


def test_the_workspace_hits_show_the_same(login_as):
    html = login_as("agent").get("/sv/kontakt", query_string={"q": "hemtjänst"}).get_data(as_text=True)
    assert '<li class="tag">ROSA-nivå 2</li>' in html


def test_the_checklist_can_be_ticked_and_the_answer_holds_summary_and_key_facts(login_as):
    client = login_as("agent")
    html = client.get("/sv/kunskap", query_string={"q": "hemtjänst"}).get_data(as_text=True)
    article = client.get(unescape(client.get(unescape(re.search(
        r'class="result-title"><a href="([^"]+)"', html).group(1))).location)).get_data(as_text=True)
    assert '<input type="checkbox" id="check-1">' in article
    answer = article[article.index('id="answer-text"'):article.index("data-copy-target")]
    assert "biståndshandläggare" in answer and "Telefon: 0480-45 00 00" in answer
    assert "Öppettider: Måndag–fredag 8.00–16.30" in answer
