"""``portal sla-check``: one digest a day per förvaltning and one to the contact centre,
listing what is late; a second run the same day sends nothing."""
import time_machine
from sqlalchemy import select

from eservices.casework import OFFICER_ACTIONS
from eservices.models import CaseStatus
from portal.auth.models import User
from portal.extensions import db
from portal.mail.models import MailOutbox
from tests.test_casework import MONDAY_MORNING, fault_report

FRIDAY = "2027-03-05 12:00:00Z"        # four working days after Monday morning: in warning
# A case nobody has taken for a working day is overdue whatever its solution clock says.
NEXT_TUESDAY = "2027-03-09 12:00:00Z"  # past the five working days: overdue


def digests_sent(runner):
    result = runner.invoke(args=["sla-check"])
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(MailOutbox).where(
        MailOutbox.template == "eservices/mail/sla_digest").order_by(MailOutbox.id)).all()


def test_late_cases_reach_their_forvaltning_and_the_contact_centre_once_a_day(app, runner):
    with app.app_context(), app.test_request_context():
        with time_machine.travel(MONDAY_MORNING, tick=False):
            late, done = fault_report(app), fault_report(app)
            officer = db.session.scalar(select(User).where(User.username == "officer"))
            OFFICER_ACTIONS["solve"].execute(done, officer, text="Lagat.")
        with time_machine.travel(NEXT_TUESDAY, tick=False):
            sent = digests_sent(runner)
            assert sorted(m.recipient for m in sent) == ["kontaktcenter@sjobacka.example",
                                                         "tekniska@sjobacka.example"]
            assert all(late.reference in m.body_text and done.reference not in m.body_text for m in sent)
            assert "Försenade (1)" in sent[0].body_text or "Försenade (1)" in sent[1].body_text
            assert len(digests_sent(runner)) == 2   # the same day: nothing new


def test_a_case_in_warning_is_listed_as_soon_to_be_late(app, runner):
    with app.app_context(), app.test_request_context():
        with time_machine.travel(MONDAY_MORNING, tick=False):
            case = fault_report(app)
            officer = db.session.scalar(select(User).where(User.username == "officer"))
            OFFICER_ACTIONS["take"].execute(case, officer)   # answered in time: only the solution clock
        with time_machine.travel(FRIDAY, tick=False):
            tf = next(m for m in digests_sent(runner) if m.recipient == "tekniska@sjobacka.example")
            assert "Snart försenade (1)" in tf.body_text and case.reference in tf.body_text


def test_nothing_late_sends_nothing(app, runner):
    with app.app_context(), app.test_request_context(), time_machine.travel(MONDAY_MORNING, tick=False):
        fault_report(app)
        assert digests_sent(runner) == []


def test_a_waiting_case_is_not_late_while_it_waits(app, runner):
    with app.app_context(), app.test_request_context():
        with time_machine.travel(MONDAY_MORNING, tick=False):
            case = fault_report(app)
            officer = db.session.scalar(select(User).where(User.username == "officer"))
            OFFICER_ACTIONS["request_information"].execute(case, officer, text="Vilken lampa?")
            assert case.status == CaseStatus.WAITING
        with time_machine.travel(NEXT_TUESDAY, tick=False):
            assert digests_sent(runner) == []
