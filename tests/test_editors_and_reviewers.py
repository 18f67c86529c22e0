"""Editors and reviewers (issue 13): the review screen, confirmation before archive
and retract, what an author has sent for review, the reviewers' mail, the article
form's pickers and sections, its preview, and open-ended alerts."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from content.diffing import word_diff
from content.models import Alert, Article, ArticleTranslation
from portal.auth.models import User
from portal.auth.operations import create_user
from portal.clock import utcnow
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.mail.models import MailOutbox
from portal.org.models import Department
from tests.conftest import act, post_action, post_form, save

NEW_ALERT = "/sv/redaktion/driftinformation/ny"


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def article_id(slug):
    return db.session.scalar(select(ArticleTranslation.article_id).where(
        ArticleTranslation.slug == slug, ArticleTranslation.lang == "sv"))


def tf_id():
    return db.session.scalar(select(Department.id).where(Department.code == "TF"))


@pytest.fixture
def tove(app):
    """A second editor of Tekniska förvaltningen, who reads her mail in English."""
    with app.app_context():
        create_user("tove", "Tove Redaktör", DEMO_PASSWORD, [("editor", tf_id(), None)],
                    email="tove@sjobacka.example").language = "en"
        db.session.commit()


def submitted_change(ctx, slug="atervinningscentralen", old="strax norr", new="strax söder"):
    """The editor changes one word of a live article's Swedish body and sends it for review."""
    with ctx():
        article = db.session.get(Article, article_id(slug))
        content = article.latest_revision.content
        content.texts["sv"].body = content.texts["sv"].body.replace(old, new, 1)
        save(article, user("editor"), content)
        act("submit", article, user("editor"))
        return article.id


def outbox(ctx):
    with ctx():
        return [(row.recipient, row.language, row.subject)
                for row in db.session.scalars(select(MailOutbox).order_by(MailOutbox.id))]


# --- the review screen -------------------------------------------------------------------
def test_word_diff_marks_the_changed_word_in_its_sentence():
    assert word_diff("Hämta grovavfall på lördag", "Hämta grovsopor på lördag") == [
        ("same", "Hämta "), ("del", "grovavfall"), ("ins", "grovsopor"), ("same", " på lördag")]


def test_review_screen_shows_the_page_and_the_changes_before_the_one_approve_button(
        ctx, client, login_as, tove):
    aid = submitted_change(ctx)
    login_as("tove")
    html = client.get(f"/sv/redaktion/{aid}/granska").get_data(as_text=True)
    page, changes, decision = (html.index(marker) for marker in (
        'id="preview-sv"', 'id="changes-title"', 'value="approve"'))
    assert page < changes < decision
    for part in ('id="preview-en"', 'id="preview-agent"', "Internt för kontaktcenter"):
        assert part in html
    assert ('strax <del><span class="visually-hidden">Borttaget: </span>norr</del>'
            '<ins><span class="visually-hidden">Tillagt: </span>söder</ins> om') in html
    main = html[html.index("<main"):]
    assert len(re.findall(r'class="button"', main)) == 1   # approve; returning is secondary


def test_the_edit_page_leads_reviewers_to_the_review_screen_and_has_no_approve_button(
        ctx, client, login_as, tove):
    aid = submitted_change(ctx)
    login_as("tove")
    html = client.get(f"/sv/redaktion/{aid}").get_data(as_text=True)
    assert f'href="/sv/redaktion/{aid}/granska"' in html and 'value="approve"' not in html
    main = html[html.index("<main"):]
    assert re.findall(r'<button[^>]*class="button"', main) == ['<button type="submit" class="button"']


@pytest.mark.parametrize("action, question", [("archive", "Vill du arkivera artikeln?"),
                                              ("retract", "Vill du ta tillbaka artikeln?")])
def test_archive_and_retract_ask_first(ctx, client, login_as, action, question):
    with ctx():
        aid = article_id("grovavfall")
    login_as("editor")
    asked = post_action(client, aid, action)
    assert asked.status_code == 200 and question in asked.get_data(as_text=True)
    assert 'name="confirmed" value="yes"' in asked.get_data(as_text=True)
    assert client.get("/sv/artikel/grovavfall").status_code == 200
    assert post_action(client, aid, action, confirmed="yes").status_code == 302
    assert client.get("/sv/artikel/grovavfall").status_code == 404


def test_the_author_sees_what_they_sent_for_review_until_it_is_decided(app, ctx, client, login_as, tove):
    aid = submitted_change(ctx)
    sent = re.compile(r"Skickat för granskning \(1\)</h2>\s*<table.*?</table>", re.S)
    login_as("editor")
    listed = sent.search(client.get("/sv/redaktion").get_data(as_text=True))
    assert listed and f"/sv/redaktion/{aid}\"" in listed.group(0)
    reviewer = app.test_client()
    post_form(reviewer, "/sv/logga-in", {"username": "tove", "password": DEMO_PASSWORD})
    assert "Du har inget som väntar på granskning." in reviewer.get("/sv/redaktion").get_data(as_text=True)
    assert f"/sv/redaktion/{aid}/granska" in reviewer.get("/sv/redaktion").get_data(as_text=True)
    post_action(reviewer, aid, "approve")
    assert "Du har inget som väntar på granskning." in client.get("/sv/redaktion").get_data(as_text=True)


def test_submitting_mails_the_forvaltnings_other_editors_once_in_their_language(ctx, tove):
    aid = submitted_change(ctx)
    assert outbox(ctx) == [("tove@sjobacka.example", "en", "To review: Recycling centre")]
    with ctx():
        article = db.session.get(Article, aid)
        act("retract", article, user("editor"))
        act("submit", article, user("editor"))   # the same version again: no second mail
    assert len(outbox(ctx)) == 1


# --- the article form ---------------------------------------------------------------------
# The demo's added languages (portal.languages), which the interface does not name, by their own names.
ADDED = ("Suomi", "العربية", "Lättläst svenska")


@pytest.mark.parametrize("lang, headings", [
    ("sv", ("Svenska", "Engelska (frivilligt)", *(f"{name} (frivilligt)" for name in ADDED))),
    ("en", ("Swedish", "English (optional)", *(f"{name} (optional)" for name in ADDED)))])
def test_the_form_names_the_languages_in_the_interface_language(client, login_as, lang, headings):
    login_as("editor")
    html = client.get(f"/{lang}/{'redaktion/ny' if lang == 'sv' else 'editorial/new'}").get_data(as_text=True)
    legends = re.findall(r'<fieldset id="text-[\w-]+">\s*<legend>([^<]*)</legend>', html)
    assert tuple(legends) == headings


def test_the_form_is_in_sections_with_a_table_of_contents_and_topics_beside_their_labels(
        client, login_as):
    login_as("editor")
    html = client.get("/sv/redaktion/ny").get_data(as_text=True)
    toc = re.search(r'<nav class="form-toc".*?</nav>', html, re.S).group(0)
    targets = re.findall(r'href="#([\w-]+)"', toc)
    assert targets == ["text-sv", "text-en", "text-fi", "text-ar", "text-sv-x-lattlast",
                       "owner", "contact", "agent", "publishing"]
    assert all(f'<fieldset id="{target}">' in html for target in targets)
    topics = re.findall(r'<div class="checkbox">(<input[^>]*name="topics"[^>]*>) <label for="([\w-]+)">', html)
    assert len(topics) == 9 and all(f'id="{label}"' in box for box, label in topics)


def test_related_articles_and_eservices_are_picked_from_lists(ctx, client, login_as):
    with ctx():
        aid, related = article_id("grovavfall"), article_id("atervinningscentralen")
        base, tf = db.session.get(Article, aid).latest_revision_id, tf_id()
    login_as("editor")
    html = client.get(f"/sv/redaktion/{aid}").get_data(as_text=True)
    picker = re.search(r'<select[^>]*id="related"[^>]*multiple.*?</select>', html, re.S).group(0)
    assert f'<option selected value="{related}">Återvinningscentralen</option>' in picker
    assert f'value="{aid}"' not in picker   # not related to itself
    assert re.search(r'<option (selected )?value="felanmalan">', html)
    form = {"t_sv-title": "Grovavfall", "t_sv-summary": "Hämtning.", "t_sv-body": "Text.",
            "department_id": str(tf), "rosa_level": "1", "base_revision_id": str(base)}
    wrong = post_form(client, f"/sv/redaktion/{aid}", {**form, "related": "999999"}).get_data(as_text=True)
    assert 'id="related-error"' in wrong and "Välj bland alternativen i listan." in wrong
    assert post_form(client, f"/sv/redaktion/{aid}", {
        **form, "related": [str(related)], "eservices": ["felanmalan"]}).status_code == 302
    with ctx():
        content = db.session.get(Article, aid).latest_revision.content
        assert (content.related, content.eservices) == ([related], ["felanmalan"])


def test_preview_shows_the_whole_page_and_the_agent_view(ctx, client, login_as):
    with ctx():
        related, tf = article_id("atervinningscentralen"), tf_id()
    login_as("editor")
    html = post_form(client, "/sv/redaktion/ny", {
        "t_sv-title": "Sandlådor", "t_sv-summary": "Vi fyller på sand i maj.", "t_sv-body": "Text.",
        "t_sv-opening_hours": "Vardagar 8–16", "department_id": str(tf), "rosa_level": "2",
        "contact_phone": "0480-45 12 34", "related": [str(related)], "eservices": ["felanmalan"],
        "agent_notes": "Hänvisa till parkenheten.", "preview": "1"}).get_data(as_text=True)
    preview = html[html.index('id="preview-title"'):html.index('<nav class="form-toc"')]
    for part in ('<p class="lead" lang="sv">Vi fyller på sand i maj.</p>', "0480-45 12 34",
                 "Vardagar 8–16", ">Återvinningscentralen</a>", "Felanmälan", 'id="preview-agent"',
                 "Hänvisa till parkenheten.", "ROSA-nivå 2"):
        assert part in preview, part


# --- alerts -------------------------------------------------------------------------------
def test_an_alert_starts_now_marks_required_fields_and_runs_until_ended(app, ctx, client, login_as):
    with ctx():
        tf = tf_id()
    login_as("editor")
    html = client.get(NEW_ALERT).get_data(as_text=True)
    with app.test_request_context():
        from flask_babel import format_datetime
        now = format_datetime(utcnow(), "yyyy-MM-dd'T'HH:")
    assert re.search(rf'id="starts_at"[^>]*value="{now}\d\d"', html)
    required = re.findall(r'>([^<>]+) <span class="required">\(obligatoriskt\)</span>', html)
    assert required == ["Allvarlighetsgrad", "Förvaltning", "Rubrik på svenska", "Meddelande på svenska",
                        "Börjar"]
    start = re.search(r'id="starts_at"[^>]*value="([^"]+)"', html).group(1)
    response = post_form(client, NEW_ALERT, {
        "severity": "info", "department_id": str(tf), "title_sv": "Vägarbete på Storgatan",
        "message_sv": "Storgatan är avstängd.", "starts_at": start, "ends_at": ""})
    assert response.status_code == 302
    assert "tills vidare" in client.get("/sv/redaktion/driftinformation").get_data(as_text=True)
    with ctx():
        alert = db.session.scalar(select(Alert).where(Alert.titles["sv"].as_string() == "Vägarbete på Storgatan"))
        assert alert.ends_at is None and alert.is_active(utcnow() + timedelta(days=3650))
        alert_id = alert.id
    assert "Vägarbete på Storgatan" in client.get("/sv/driftinformation").get_data(as_text=True)
    post_form(client, f"/sv/redaktion/driftinformation/{alert_id}/atgard", {"action": "end_alert"},
              page="/sv/redaktion/driftinformation")
    assert "Vägarbete på Storgatan" not in client.get("/sv/driftinformation").get_data(as_text=True)
