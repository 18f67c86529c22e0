"""``portal demo-cases`` (run by ``make run``): a fresh demo has cases in every state the
queues and the contact centre show, and running it again makes nothing."""
import re

from sqlalchemy import func, select

from eservices import clocks, sla
from eservices.models import Case, CaseStatus
from portal.extensions import db
from tests.conftest import post_form


def test_a_fresh_demo_has_a_week_of_cases_once(app, runner):
    assert runner.invoke(args=["demo-cases"]).output == "Made 7 demo cases.\n"
    assert runner.invoke(args=["demo-cases"]).output == "The database has cases already: nothing made.\n"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 7
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        assert [case.status for case in cases] == [
            CaseStatus.NEW, CaseStatus.OPEN, CaseStatus.WAITING, CaseStatus.SOLVED, CaseStatus.FORWARDED,
            CaseStatus.CLOSED, CaseStatus.CLOSED]
        assert [clocks.state(case) for case in cases[:5]] == [sla.OVERDUE, sla.WARNING, sla.OK, None, sla.OVERDUE]
        assert cases[4].handover["reach"].startswith("Telefon 070-345 67 89")


def test_the_officer_sees_the_demo_queue_most_urgent_first(app, runner, client):
    runner.invoke(args=["demo-cases"])
    post_form(client, "/sv/logga-in", {"username": "officer", "password": "kontaktcenter-demo"})
    html = client.get("/sv/handlaggning").get_data(as_text=True)
    with app.app_context():
        late, soon, waiting, _solved, forwarded = db.session.scalars(select(Case.reference).order_by(Case.id)).all()[:5]
    assert re.findall(r"SJB-\d{4}-\d{6}(?=</a>)", html) == [late, forwarded, soon, waiting]
    assert "Inte kvitterat i tid" in html and "Snart försenat" in html
