"""Knowledge base: what citizens, agents and editors see and can do."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from content import operations
from content.revisions import RevisionData
from content.models import Alert, Article, ArticleTranslation, PageFeedback
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db
from tests.conftest import act, post_action, post_form, save

XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[klick](javascript:alert(1))',
       '<style>body{display:none}</style>', '<a href="#" onclick="alert(1)">x</a>',
       '<iframe src="https://evil.example"></iframe>', '<svg onload=alert(1)>']


def article_id(slug, lang="sv"):
    return db.session.scalar(select(ArticleTranslation.article_id).where(
        ArticleTranslation.slug == slug, ArticleTranslation.lang == lang))


def new_article_form(title="Snöskottning av trottoarer", **extra):
    return {"t_sv-title": title, "t_sv-summary": "Fastighetsägaren skottar trottoaren.",
            "t_sv-body": "## Vem skottar?\n\nFastighetsägaren.", "department_id": "3",
            "topics": "trafik-och-parkering", "rosa_level": "1", "agent_notes": "Internt: anknytning 4512",
            **extra}


def test_public_article_shows_public_parts_only(client):
    html = client.get("/sv/artikel/hemtjanst").get_data(as_text=True)
    assert "<h1>Hemtjänst</h1>" in html
    assert "Socialförvaltningen" in html
    assert "Internt för kontaktcenter" not in html and "Talmanus" not in html


def test_article_page_links_its_translation(client):
    html = client.get("/sv/artikel/hemtjanst").get_data(as_text=True)
    assert '<link rel="alternate" hreflang="en" href="http://127.0.0.1:5000/en/article/home-help-service">' in html
    assert "Home help service" in client.get("/en/article/home-help-service").get_data(as_text=True)


def test_unpublished_article_is_not_public(client):
    assert client.get("/sv/artikel/tomtko").status_code == 404


def test_agent_view_requires_agent_and_shows_agent_layer(app, client, login_as, ctx):
    with ctx():
        aid = article_id("hemtjanst")
    assert client.get(f"/sv/kunskap/{aid}").status_code == 302  # to login
    login_as("translator")
    assert client.get(f"/sv/kunskap/{aid}").status_code == 403
    login_as("agent")
    html = client.get(f"/sv/kunskap/{aid}").get_data(as_text=True)
    assert "Internt för kontaktcenter" in html and "Talmanus" in html
    assert 'data-copy-target="answer-text"' in html


def test_topic_page_lists_articles_by_life_event(client):
    html = client.get("/sv/amne/omsorg-och-stod").get_data(as_text=True)
    assert "Hemtjänst" in html and "Färdtjänst" in html
    assert "Ansök om bygglov" not in html


def test_published_page_is_cacheable(client):
    first = client.get("/sv/artikel/hemtjanst")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/sv/artikel/hemtjanst", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_editor_flow_draft_review_publish(app, client, login_as, ctx):
    login_as("editor")
    response = post_form(client, "/sv/redaktion/ny", new_article_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert client.get("/sv/artikel/snoskottning-av-trottoarer").status_code == 404
    with ctx():
        article = db.session.scalar(select(Article).order_by(Article.id.desc()))
        aid = article.id
    edit_url = f"/sv/redaktion/{aid}"
    post_action(client, aid, "submit")
    # the author cannot approve their own text
    post_action(client, aid, "approve")
    assert "En annan redaktör" in client.get(edit_url).get_data(as_text=True)
    assert client.get("/sv/artikel/snoskottning-av-trottoarer").status_code == 404
    admin = app.test_client()
    post_form(admin, "/sv/logga-in", {"username": "admin", "password": "kontaktcenter-demo"})
    post_action(admin, aid, "approve")
    assert client.get("/sv/artikel/snoskottning-av-trottoarer").status_code == 200


def test_editing_published_article_keeps_live_version(client, login_as, ctx):
    login_as("editor")
    with ctx():
        aid = article_id("grovavfall")
    edit_url = f"/sv/redaktion/{aid}"
    html = client.get(edit_url).get_data(as_text=True)
    import re
    base = re.search(r'name="base_revision_id" value="(\d+)"', html).group(1)
    form = {m.group(1): m.group(2) for m in re.finditer(r'name="(t_sv-(?:title|summary|slug))"[^>]*value="([^"]*)"', html)}
    body = re.search(r'name="t_sv-body"[^>]*>\n?(.*?)</textarea>', html, re.S).group(1)
    response = post_form(client, edit_url, {**form, "t_sv-title": "Grovavfall – NY RUBRIK",
                                            "t_sv-summary": "Ny sammanfattning.", "t_sv-body": body,
                                            "department_id": "3", "rosa_level": "2",
                                            "base_revision_id": base}, page=edit_url)
    assert response.status_code == 302
    live = client.get("/sv/artikel/grovavfall").get_data(as_text=True)
    assert "NY RUBRIK" not in live and "<h1>Grovavfall" in live
    # a second save from the same (now stale) form is refused and keeps the text
    html = post_form(client, edit_url, {**form, "t_sv-title": "Min ändring", "t_sv-summary": "x",
                                        "t_sv-body": body, "department_id": "3", "rosa_level": "2",
                                        "base_revision_id": base}, page=edit_url).get_data(as_text=True)
    assert "Någon annan har sparat artikeln" in html
    assert 'value="Min ändring"' in html
    assert "Se vad som ändrats" in html


def test_editor_cannot_touch_other_departments(client, login_as, ctx):
    login_as("editor")
    with ctx():
        aid = article_id("hemtjanst")  # Socialförvaltningen
    assert client.get(f"/sv/redaktion/{aid}").status_code == 403
    assert post_form(client, f"/sv/redaktion/{aid}/atgard", {"action": "archive"},
                     page="/sv/redaktion").status_code == 403


def test_editor_cannot_end_another_departments_alert(client, login_as, ctx):
    with ctx():
        alert_id = db.session.scalar(select(Alert.id).where(Alert.severity == "info"))  # KFF's
    login_as("editor")
    response = post_form(client, f"/sv/redaktion/driftinformation/{alert_id}/atgard",
                         {"action": "end_alert"}, page="/sv/redaktion/driftinformation")
    assert response.status_code == 403 and "Du har inte behörighet" in response.get_data(as_text=True)
    with ctx():
        assert db.session.get(Alert, alert_id).is_active()


def test_crisis_proposal_is_approved_by_the_manager_and_ended_by_its_editor(app, client, login_as, ctx):
    login_as("editor")
    post_form(client, "/sv/redaktion/driftinformation/ny", {
        "severity": "crisis", "department_id": "3", "title_sv": "Översvämning", "message_sv": "Undvik Åvägen.",
        "starts_at": "2020-01-01T08:00", "ends_at": "2040-01-01T08:00"})
    with ctx():
        alert_id = db.session.scalar(select(Alert.id).where(Alert.severity == "crisis"))
        assert db.session.get(Alert, alert_id).is_pending
    url, page = f"/sv/redaktion/driftinformation/{alert_id}/atgard", "/sv/redaktion/driftinformation"
    manager = app.test_client()
    post_form(manager, "/sv/logga-in", {"username": "manager", "password": "kontaktcenter-demo"})
    assert post_form(manager, url, {"action": "approve_alert"}, page=page).status_code == 302
    with ctx():
        assert db.session.get(Alert, alert_id).is_active()
    assert post_form(client, url, {"action": "end_alert"}, page=page).status_code == 302
    with ctx():
        assert not db.session.get(Alert, alert_id).is_active()


def test_agent_cannot_open_editor(client, login_as):
    login_as("agent")
    assert client.get("/sv/redaktion").status_code == 403


def test_missing_fields_keep_text_and_show_messages(client, login_as):
    login_as("editor")
    html = post_form(client, "/sv/redaktion/ny", new_article_form(
        title="", **{"t_sv-summary": "x" * 301, "t_sv-body": "```\nopen fence"})).get_data(as_text=True)
    assert "<title>Fel:" in html
    assert "Skriv en rubrik." in html
    assert "högst 300 tecken" in html
    assert "stängs aldrig" in html
    assert "open fence" in html


def test_error_summary_lists_errors_in_the_order_of_the_page(client, login_as):
    login_as("editor")
    html = post_form(client, "/sv/redaktion/ny", new_article_form(
        title="", contact_email="inte en adress")).get_data(as_text=True)
    summary = html[html.index('class="error-summary"'):]
    assert summary.index('href="#t_sv-title"') < summary.index('href="#contact_email"')


@pytest.mark.parametrize("payload", XSS)
def test_injected_markup_is_never_executed(app, payload, ctx):
    with ctx():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        data = {"department_id": 3, "topics": [], "rosa_level": 1, "contact": {}, "eservices": [],
                "related": [], "agent": {"notes": payload, "script": payload, "checklist": [payload]},
                "translations": {"sv": {"slug": "xss-test", "title": "XSS", "summary": payload,
                                        "body": f"Text {payload} mer", "keywords": [], "opening_hours": ""}}}
        article = operations.create_article(admin, RevisionData.from_json(data))
        act("submit", article, admin)
        act("approve", article, admin)
        aid = article.id
    client = app.test_client()
    html = client.get("/sv/artikel/xss-test").get_data(as_text=True)
    post_form(client, "/sv/logga-in", {"username": "admin", "password": "kontaktcenter-demo"})
    html += client.get(f"/sv/kunskap/{aid}").get_data(as_text=True)
    assert dangerous_markup(html) == []


def dangerous_markup(html):
    """Tags and attributes in ``html`` that could run code (escaped text is harmless)."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("iframe", "object", "embed", "style") or (tag == "script" and not dict(attrs).get("src", "").startswith("/static/")):
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                    found.append(f"{tag}[{name}]")

    Finder().feed(html)
    return found


def test_revert_creates_new_revision_and_diff_shows_change(app, ctx, login_as, client):
    with ctx():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        article = db.session.get(Article, article_id("grovavfall"))
        content = article.latest_revision.content
        content.texts["sv"].title = "Ändrad rubrik"
        save(article, admin, content, "test")
        number = article.latest_revision.number
        aid = article.id
    login_as("editor")
    html = client.get(f"/sv/redaktion/{aid}/jamfor?from={number - 1}&to={number}").get_data(as_text=True)
    assert "<ins>" in html and "Ändrad rubrik" in html
    post_form(client, f"/sv/redaktion/{aid}/aterstall/{number - 1}", {"action": "revert"},
              page=f"/sv/redaktion/{aid}/historik")
    with ctx():
        article = db.session.get(Article, aid)
        assert article.latest_revision.number == number + 1
        assert article.latest_revision.content.texts["sv"].title != "Ändrad rubrik"


def test_diff_names_related_articles_departments_and_topics(app, ctx):
    from content.diffing import revision_diff

    with ctx(), app.test_request_context("/sv/"):
        related = article_id("grovavfall")
        changes = revision_diff(
            RevisionData(department_id=1),
            RevisionData(department_id=3, related=[related], topics=["trafik-och-parkering"]))
    rows = {change.label: [text for kind, text in change.rows if kind == "ins"] for change in changes}
    assert rows["Relaterade artiklar"] == ["Grovavfall – hämtning vid bostaden"]
    assert rows["Ämnen"] == ["Trafik och parkering"]
    assert rows["Förvaltning"][0].endswith("förvaltningen")


def test_schedules_publish_and_unpublish_without_clicks(app, ctx, client):
    with ctx():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        article = db.session.get(Article, db.session.scalar(select(Article.id).where(Article.review_state == "draft", Article.live_revision_id.is_(None))))
        content = article.latest_revision.content
        slug = content.texts["sv"].slug
        content.publish_at = utcnow() + timedelta(hours=1)
        save(article, admin, content)
        assert article.publish_at is None  # dates count from approval
        act("submit", article, admin)
        act("approve", article, admin)
        assert article.status == "scheduled"
        aid = article.id
    assert client.get(f"/sv/artikel/{slug}").status_code == 404
    with ctx():
        operations.apply_schedules(now=utcnow() + timedelta(hours=2))
    assert client.get(f"/sv/artikel/{slug}").status_code == 200
    with ctx():
        article = db.session.get(Article, aid)
        article.unpublish_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    # not yet unpublished by the scheduler, but never shown past its end
    assert client.get(f"/sv/artikel/{slug}").status_code == 404


def test_form_times_are_swedish_time(client, login_as, ctx):
    login_as("editor")
    post_form(client, "/sv/redaktion/ny", new_article_form(
        publish_at="2031-01-15T10:00", unpublish_at="2031-07-15T10:00"))
    with ctx():
        article = db.session.scalar(select(Article).order_by(Article.id.desc()))
        data, aid = article.latest_revision.data, article.id
        assert article.publish_at is None  # a draft changes nothing until approved
    assert data["publish_at"] == "2031-01-15T09:00:00"    # CET, UTC+1
    assert data["unpublish_at"] == "2031-07-15T08:00:00"  # CEST, UTC+2
    html = client.get(f"/sv/redaktion/{aid}").get_data(as_text=True)
    assert 'value="2031-01-15T10:00"' in html and 'value="2031-07-15T10:00"' in html


def test_past_end_date_is_refused(client, login_as):
    login_as("editor")
    html = post_form(client, "/sv/redaktion/ny", new_article_form(
        unpublish_at="2020-01-01T10:00")).get_data(as_text=True)
    assert "Avpubliceringen måste ligga i framtiden" in html and 'value="2020-01-01T10:00"' in html


def test_alerts_show_on_related_pages_and_end_by_themselves(app, ctx, client):
    html = client.get("/sv/artikel/vattenlacka-och-avbrott-i-vattnet").get_data(as_text=True)
    assert "Vattenavstängning på Storgatan" in html
    assert "Vattenavstängning" not in client.get("/sv/artikel/hemtjanst").get_data(as_text=True)
    with ctx():
        db.session.add(Alert(severity="crisis", department_id=1, titles={"sv": "Kris: stormvarning"},
                             messages={"sv": "Håll dig inomhus."}, starts_at=utcnow() - timedelta(minutes=1),
                             ends_at=utcnow() + timedelta(hours=1), approved_at=utcnow()))
        for alert in db.session.scalars(select(Alert).where(Alert.severity == "disruption")):
            alert.ends_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert "Kris: stormvarning" in client.get("/sv/artikel/hemtjanst").get_data(as_text=True)
    assert "Vattenavstängning" not in client.get("/sv/artikel/vattenlacka-och-avbrott-i-vattnet").get_data(as_text=True)
    assert "<entry>" in client.get("/sv/driftinformation.atom").get_data(as_text=True)


def latest_feedback():
    return db.session.scalars(select(PageFeedback).order_by(PageFeedback.id.desc())).first()


def test_one_click_records_the_answer_and_the_same_page_thanks_and_offers_a_comment(ctx, client):
    answer = post_form(client, "/sv/artikel/hemtjanst/omdome", {"helpful": "no"}, page="/sv/artikel/hemtjanst")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/sv/artikel/hemtjanst/omdome")
    with ctx():
        assert latest_feedback().helpful is False and latest_feedback().comment == ""
    html = client.get("/sv/artikel/hemtjanst/omdome").get_data(as_text=True)
    assert "Tack för ditt svar" in html and 'name="comment"' in html and 'name="helpful"' not in html

    post_form(client, "/sv/artikel/hemtjanst/omdome",
              {"comment": "Ring mig på 070‑1234567, anna.svensson(at)example.se"})
    with ctx():
        stored = latest_feedback()
        assert stored.helpful is False
        assert "070" not in stored.comment and "anna" not in stored.comment
        assert stored.comment.startswith("Ring mig på")
        assert db.session.scalar(select(func.count()).select_from(PageFeedback)
                                 .where(PageFeedback.id > stored.id - 1)) == 1
    assert "Vi har också fått din kommentar." in client.get("/sv/artikel/hemtjanst/omdome").get_data(as_text=True)


def test_the_article_asks_with_two_buttons_in_a_post_form(client):
    html = client.get("/en/article/home-help-service").get_data(as_text=True)
    form = html[html.index('action="/en/article/home-help-service/feedback"'):]
    form = form[:form.index("</form>")]
    assert 'name="csrf_token"' in form
    assert 'name="helpful" value="yes"' in form and 'name="helpful" value="no"' in form


def test_an_answer_elsewhere_asks_the_question_again(client):
    post_form(client, "/sv/artikel/hemtjanst/omdome", {"helpful": "yes"}, page="/sv/artikel/hemtjanst")
    html = client.get("/sv/artikel/grovavfall/omdome").get_data(as_text=True)
    assert 'name="helpful" value="yes"' in html and "Tack för ditt svar" not in html


def test_feedback_without_answer_gets_message(client):
    html = post_form(client, "/en/article/home-help-service/feedback", {}).get_data(as_text=True)
    assert 'href="#helpful"' in html and 'id="helpful"' in html
    assert 'id="helpful-error"' in html and 'aria-describedby="helpful-error"' in html


def test_empty_comment_gets_message_at_the_field(client):
    post_form(client, "/en/article/home-help-service/feedback", {"helpful": "yes"},
              page="/en/article/home-help-service")
    html = post_form(client, "/en/article/home-help-service/feedback", {"comment": ""}).get_data(as_text=True)
    assert 'href="#comment"' in html and 'id="comment-error"' in html and "Thank you" in html


def test_alert_without_severity_gets_message_at_the_field(client, login_as):
    login_as("editor")
    html = post_form(client, "/sv/redaktion/driftinformation/ny",
                     {"title_sv": "Vattenläcka", "message_sv": "Avstängt vatten.",
                      "starts_at": "2026-12-01T08:00", "department_id": "3",
                      "severity": ""}).get_data(as_text=True)
    assert 'href="#severity"' in html and 'id="severity-error"' in html
    assert "Välj allvarlighetsgrad." in html and "Vattenläcka" in html


def test_dashboard_lists_review_due_and_drafts(client, login_as):
    login_as("editor")
    html = client.get("/sv/redaktion").get_data(as_text=True)
    assert "Snöröjning och halkbekämpning" in html  # review overdue in the demo
    assert "försenad" in html


def test_sitemap_lists_published_articles_with_alternates(client):
    xml = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/sv/artikel/hemtjanst" in xml and 'hreflang="en"' in xml
    assert "/sv/artikel/tomtko" not in xml


def test_the_knowledge_base_works_without_the_eservices_domain(demo_template, tmp_path):
    """Domains meet only through portal's registries: an article that names an
    e-service simply leaves the link out when no domain offers e-services."""
    from tests.conftest import copy_of_demo

    alone = copy_of_demo(demo_template, tmp_path, PORTAL_MODULES=("content",)).test_client()
    html = alone.get("/sv/artikel/parkeringstillstand-for-rorelsehindrade").get_data(as_text=True)
    assert "<h1>Parkeringstillstånd" in html and "/e-tjanster/" not in html
    assert alone.get("/sv/").status_code == 200


def test_an_article_links_the_eservices_it_names(client):
    html = client.get("/en/article/disabled-parking-permit").get_data(as_text=True)
    assert 'href="/en/e-services/parkeringstillstand"' in html


def test_a_scheduled_version_changes_nothing_live_until_it_is_published(app, ctx, client):
    with ctx():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        article = db.session.get(Article, article_id("grovavfall"))
        content = article.latest_revision.content
        content.texts["sv"].title = "Grovavfall – ny version"
        content.publish_at, content.unpublish_at = utcnow() + timedelta(hours=1), utcnow() + timedelta(days=30)
        save(article, admin, content)
        act("submit", article, admin)
        act("approve", article, admin)
        assert article.status == "scheduled" and article.unpublish_at is None
        act("retract", article, admin)
        assert article.unpublish_at is None
        act("submit", article, admin)
        act("approve", article, admin)
        operations.apply_schedules(now=utcnow() + timedelta(hours=2))
        assert article.unpublish_at == content.unpublish_at
    assert "Grovavfall – ny version" in client.get("/sv/artikel/grovavfall").get_data(as_text=True)
