"""Service alerts: who may publish which alert, where it shows, and in what order
(issue 9, item 10: alerts skipped review and department)."""
from datetime import timedelta

import pytest
from flask_babel import format_datetime
from sqlalchemy import select

from content import queries
from content.models import Alert, Severity
from portal.auth.operations import create_user
from portal.clock import utcnow
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.org.models import Department
from tests.conftest import post_form

NEW_ALERT = "/sv/redaktion/driftinformation/ny"
ALERT_LIST = "/sv/redaktion/driftinformation"
SOF_PAGE = "/sv/artikel/hemtjanst"          # Socialförvaltningen's article
TF_PAGE = "/sv/artikel/grovavfall"          # Tekniska förvaltningen's article


def department_id(code):
    return db.session.scalar(select(Department.id).where(Department.code == code))


def local(moment):
    """A time as the alert form takes it (Stockholm time, minutes)."""
    return format_datetime(moment, "yyyy-MM-dd'T'HH:mm")


def alert_form(app, title, severity="info", department="TF", articles=()):
    """The alert form's answers; ``articles`` are Swedish addresses of the articles
    picked (the form sends their ids)."""
    with app.test_request_context():
        now = utcnow()
        return {"severity": severity, "department_id": str(department_id(department)),
                "title_sv": title, "message_sv": f"{title}: mer information.",
                "starts_at": local(now - timedelta(minutes=5)), "ends_at": local(now + timedelta(hours=2)),
                "articles": [str(queries.live_article_ids_by_slug([slug])[slug]) for slug in articles]}


def alert_titled(title):
    return db.session.scalar(select(Alert).where(Alert.titles["sv"].as_string() == title))


@pytest.fixture
def second_tf_editor(app):
    with app.app_context():
        create_user("tove", "Tove Redaktör", DEMO_PASSWORD, [("editor", department_id("TF"), None)])
        db.session.commit()


def press(client, alert_id, action):
    return post_form(client, f"{ALERT_LIST}/{alert_id}/atgard", {"action": action}, page=ALERT_LIST)


def test_an_editors_crisis_alert_waits_for_a_second_person(app, client, login_as, ctx,
                                                          second_tf_editor):
    login_as("editor")
    html = post_form(client, NEW_ALERT, alert_form(app, "Kris: storm", "crisis"),
                     page=NEW_ALERT)
    assert html.status_code == 302
    assert "Kris: storm" not in client.get(SOF_PAGE).get_data(as_text=True)
    with ctx():
        alert = alert_titled("Kris: storm")
        assert alert.is_pending
    listing = client.get(ALERT_LIST).get_data(as_text=True)
    assert "Väntar på godkännande" in listing
    press(client, alert.id, "approve_alert")          # the author cannot approve it
    assert "Kris: storm" not in client.get(SOF_PAGE).get_data(as_text=True)

    other = app.test_client()
    post_form(other, "/sv/logga-in", {"username": "tove", "password": DEMO_PASSWORD})
    assert press(other, alert.id, "approve_alert").status_code == 302
    assert "Kris: storm" in client.get(SOF_PAGE).get_data(as_text=True)


def test_the_manager_publishes_a_crisis_alert_at_once(app, client, login_as):
    login_as("manager")
    assert post_form(client, NEW_ALERT, alert_form(app, "Kris: vattnet", "crisis", "KLF"),
                     page=NEW_ALERT).status_code == 302
    assert "Kris: vattnet" in client.get(SOF_PAGE).get_data(as_text=True)
    assert "Kris: vattnet" in app.test_client().get("/en/").get_data(as_text=True)


def test_an_editor_publishes_disruptions_for_their_own_forvaltning_only(app, client, login_as, ctx):
    login_as("editor")
    html = post_form(client, NEW_ALERT, alert_form(app, "Fel förvaltning", department="SOF"),
                     page=NEW_ALERT).get_data(as_text=True)
    assert "Fel förvaltning" in html and 'id="department_id-error"' in html
    with ctx():
        assert alert_titled("Fel förvaltning") is None
    assert post_form(client, NEW_ALERT, alert_form(app, "Grus på vägen", articles=["grovavfall"]),
                     page=NEW_ALERT).status_code == 302
    assert "Grus på vägen" in client.get(TF_PAGE).get_data(as_text=True)


def test_an_editor_cannot_show_an_alert_on_another_forvaltnings_article(app, client, login_as, ctx):
    login_as("editor")
    html = post_form(client, NEW_ALERT, alert_form(app, "Störning i hemtjänsten", articles=["hemtjanst"]),
                     page=NEW_ALERT).get_data(as_text=True)
    assert "artiklar i förvaltningar du är redaktör för" in html
    with ctx():
        assert alert_titled("Störning i hemtjänsten") is None
    assert "Störning i hemtjänsten" not in client.get(SOF_PAGE).get_data(as_text=True)


def test_an_approved_crisis_alert_can_be_ended_but_not_rewritten_by_an_editor(app, client, login_as, ctx):
    manager = app.test_client()
    post_form(manager, "/sv/logga-in", {"username": "manager", "password": DEMO_PASSWORD})
    post_form(manager, NEW_ALERT, alert_form(app, "Kris: brand", "crisis"), page=NEW_ALERT)
    with ctx():
        alert_id = alert_titled("Kris: brand").id
    login_as("editor")
    assert client.get(f"{ALERT_LIST}/{alert_id}").status_code == 403
    assert press(client, alert_id, "end_alert").status_code == 302
    assert "Kris: brand" not in client.get(SOF_PAGE).get_data(as_text=True)


def test_another_forvaltnings_editor_cannot_end_or_approve(app, client, login_as, ctx):
    with ctx():
        db.session.add(Alert(severity=Severity.CRISIS, department_id=department_id("SOF"),
                             titles={"sv": "Kris: SOF"}, messages={"sv": "Text"},
                             starts_at=utcnow() - timedelta(minutes=1), ends_at=utcnow() + timedelta(hours=1)))
        db.session.commit()
        alert_id = alert_titled("Kris: SOF").id
    login_as("editor")
    for action in ("approve_alert", "end_alert"):
        press(client, alert_id, action)
    with ctx():
        alert = db.session.get(Alert, alert_id)
        assert alert.is_pending and alert.ends_at > utcnow()


def test_the_most_serious_alert_comes_first(app, ctx, client):
    with ctx():
        now = utcnow()
        for severity, title in ((Severity.INFO, "Info först skapad"), (Severity.CRISIS, "Kris sist skapad")):
            db.session.add(Alert(severity=severity, department_id=1, titles={"sv": title},
                                 messages={"sv": "Text"}, starts_at=now - timedelta(minutes=1),
                                 ends_at=now + timedelta(hours=1), approved_at=now))
        db.session.commit()
    html = client.get("/sv/driftinformation").get_data(as_text=True)
    assert html.index("Kris sist skapad") < html.index("Vattenavstängning") < html.index("Info först skapad")
