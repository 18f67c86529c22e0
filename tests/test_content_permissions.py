"""Permissions of the knowledge base that the access matrix cannot see.

The matrix (``tests/test_access_matrix.py``) sends empty forms, so it sees who
gets past each route's check.  These tests send what a person may not send: an
alert or an article for a förvaltning they do not edit, a rejection without a
comment.  The forms offer only the editor's own förvaltningar, so a crafted
form is stopped by the form's choices; the actions are therefore also tested
directly, since they are the rule for every caller (views, CLI, demo loader).
"""
import pytest
from sqlalchemy import func, select

from content.models import Alert, Article, ArticleTranslation
from content.operations import ALERT_ACTIONS, create_article
from portal.actions import ActionRefused
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department
from tests.conftest import act, post_action, post_form, save

ALERTS = "/sv/redaktion/driftinformation"


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def department_id(code):
    return db.session.scalar(select(Department.id).where(Department.code == code))


def article_by_slug(slug):
    return db.session.scalar(select(Article).join(ArticleTranslation)
                             .where(ArticleTranslation.slug == slug))


def alert_of(code):
    return db.session.scalar(select(Alert).where(Alert.department_id == department_id(code)))


def alert_count():
    return db.session.scalar(select(func.count()).select_from(Alert))


def alert_form(department, **extra):
    return {"severity": "info", "department_id": str(department), "title_sv": "Vägarbete",
            "message_sv": "Storgatan är avstängd.", "starts_at": "2030-01-01T08:00",
            "ends_at": "2030-01-02T08:00", **extra}


def alert_values(department, articles=()):
    return {"severity": "info", "department_id": department, "titles": {"sv": "Vägarbete"},
            "messages": {"sv": "Storgatan är avstängd."}, "starts_at": utcnow(),
            "ends_at": utcnow().replace(year=2030), "articles": list(articles), "eservices": []}


# --- alerts -----------------------------------------------------------------------------
def refused(response):
    """The form came back with a reason (today the department is not among its choices)."""
    return response.status_code == 200 and 'class="error-summary"' in response.get_data(as_text=True)


@pytest.mark.parametrize("code, saved", [("TF", True), ("SOF", False)])
def test_crafted_alert_form_saves_only_for_the_editors_department(client, login_as, ctx, code, saved):
    with ctx():
        department, before = department_id(code), alert_count()
    login_as("editor")
    response = post_form(client, f"{ALERTS}/ny", alert_form(department))
    assert (response.status_code == 302, refused(response)) == (saved, not saved)
    with ctx():
        assert alert_count() == before + saved


@pytest.mark.parametrize("code, saved", [("TF", True), ("SOF", False)])
def test_crafted_edit_moves_an_alert_only_within_the_editors_departments(client, login_as, ctx, code,
                                                                          saved):
    with ctx():
        alert, department = alert_of("TF"), department_id(code)
        alert_id, tf = alert.id, alert.department_id
    login_as("editor")
    response = post_form(client, f"{ALERTS}/{alert_id}", alert_form(department, title_sv="Ny rubrik"))
    assert (response.status_code == 302, refused(response)) == (saved, not saved)
    with ctx():
        alert = db.session.get(Alert, alert_id)
        expected = (department, True) if saved else (tf, False)
        assert (alert.department_id, alert.titles["sv"] == "Ny rubrik") == expected


@pytest.mark.parametrize("existing", [False, True])
def test_save_alert_refuses_a_department_the_editor_does_not_edit(app, ctx, existing):
    with ctx():
        alert = alert_of("TF") if existing else Alert()
        with pytest.raises(ActionRefused, match="förvaltning du är redaktör för"):
            ALERT_ACTIONS["save_alert"].execute(alert, user("editor"),
                                                values=alert_values(department_id("SOF")))


def test_alert_on_another_departments_article_is_refused(client, login_as, ctx):
    with ctx():
        tf, before = department_id("TF"), alert_count()
    login_as("editor")
    with ctx():
        hemtjanst = str(article_by_slug("hemtjanst").id)
    html = post_form(client, f"{ALERTS}/ny", alert_form(tf, articles=[hemtjanst])).get_data(as_text=True)
    assert "Du kan bara visa driftinformation på artiklar i förvaltningar du är redaktör för." in html
    with ctx():
        assert alert_count() == before


def test_manager_publishes_for_any_department(app, ctx):
    with ctx():
        values = alert_values(department_id("SOF"), [article_by_slug("grovavfall")])
        alert = ALERT_ACTIONS["save_alert"].execute(Alert(), user("manager"), values=values)
        assert alert.is_active()


# --- articles ---------------------------------------------------------------------------
def test_save_refuses_moving_an_article_to_a_department_the_editor_does_not_edit(app, ctx):
    with ctx():
        article = article_by_slug("grovavfall")
        number, content = article.latest_revision.number, article.latest_revision.content
        content.department_id = department_id("SOF")
        with pytest.raises(ActionRefused, match="flytta artikeln"):
            save(article, user("editor"), content)
        db.session.rollback()
        assert (article.latest_revision.number, article.department.code) == (number, "TF")


def test_create_refuses_a_department_the_editor_does_not_edit(app, ctx):
    with ctx():
        content = article_by_slug("grovavfall").latest_revision.content
        content.department_id = department_id("SOF")
        content.texts = {"sv": content.texts["sv"]}
        content.texts["sv"].slug = "ny-artikel"
        with pytest.raises(ActionRefused, match="egen förvaltning"):
            create_article(user("editor"), content)


@pytest.mark.parametrize("code, saved", [("TF", True), ("SOF", False)])
def test_crafted_article_form_moves_only_within_the_editors_departments(client, login_as, ctx, code, saved):
    with ctx():
        article = article_by_slug("grovavfall")
        aid, number = article.id, article.latest_revision.number
        form = {"t_sv-title": "Grovavfall", "t_sv-slug": "grovavfall", "t_sv-summary": "Hämtning.",
                "t_sv-body": "Text.", "rosa_level": "1", "department_id": str(department_id(code)),
                "base_revision_id": str(article.latest_revision_id)}
    login_as("editor")
    response = post_form(client, f"/sv/redaktion/{aid}", form)
    assert (response.status_code == 302, refused(response)) == (saved, not saved)
    with ctx():
        article = db.session.get(Article, aid)
        assert (article.latest_revision.number, article.department.code) == (number + saved, "TF")


# --- the workflow -----------------------------------------------------------------------
def in_review():
    """radon-i-bostaden waits for review in the demo; admins may review it."""
    article = db.session.scalar(select(Article).where(Article.review_state == "in_review"))
    assert article.awaits_review
    return article


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_reject_needs_a_comment(app, ctx, comment):
    with ctx():
        article = in_review()
        with pytest.raises(ActionRefused, match="Skriv vad som behöver ändras"):
            act("reject", article, user("admin"), comment=comment)
        db.session.rollback()
        assert article.awaits_review


def test_reject_button_without_a_comment_keeps_the_article_in_review(client, login_as, ctx):
    with ctx():
        aid = in_review().id
    login_as("admin")
    post_action(client, aid, "reject")
    assert "Skriv vad som behöver ändras." in client.get(f"/sv/redaktion/{aid}").get_data(as_text=True)
    with ctx():
        assert db.session.get(Article, aid).awaits_review
    post_action(client, aid, "reject", comment="Lägg till kontaktuppgifter.")
    with ctx():
        assert not db.session.get(Article, aid).awaits_review
