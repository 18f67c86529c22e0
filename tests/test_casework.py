"""Handling a case: the officer's steps, the SLA clocks they move, the citizen's reply
and reopening, and no silent overwrite when two people act at once."""
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from eservices import clocks, registry
from eservices.casework import CITIZEN_ACTIONS, LOG_CONTACT, OFFICER_ACTIONS, CaseChanged, Contact, ContactOutcome
from eservices.models import CaseStatus, Channel, Outcome, SmsMessage
from eservices.operations import SUBMIT, save_page, start_draft
from eservices.workdays import add_working_days
from portal.actions import ActionRefused
from portal.auth.models import User
from portal.clock import utcnow
from portal.config import from_environment
from portal.extensions import db
from portal.mail.models import MailOutbox
from portal.org.models import Department

MONDAY_MORNING = "2027-03-01 08:00:00Z"   # 09.00 in Stockholm, a working day


def fault_report(app, notify_by="email", email="bo@example.se", phone="070-111 22 33",
                 description="Lampan är släckt.", address="Storgatan 12"):
    """A felanmälan case of Tekniska förvaltningen, sent as a citizen sends it."""
    service = registry.get("felanmalan")
    draft, _token = start_draft(service, "sv")
    answers = {"fel": {"category": "gatubelysning", "description": description},
               "plats": {"address": address},
               "kontakt": {"name": "Bo Berg", "email": email, "phone": phone, "notify_by": notify_by}}
    for page in service.pages:
        with app.test_request_context(method="POST", data=answers[page.name]):
            form = page.form(meta={"csrf": False})
            assert form.validate(), form.errors
            save_page(draft, page, form)
    case, _token = SUBMIT.execute(draft, None, service=service)
    return case


def user(name):
    return db.session.scalar(select(User).where(User.username == name))


def act(name, case, who, **context):
    return OFFICER_ACTIONS[name].execute(case, user(who), **context)


@pytest.fixture
def case(app):
    with time_machine.travel(MONDAY_MORNING, tick=False), app.app_context(), app.test_request_context():
        yield fault_report(app)


def test_a_new_case_has_both_clocks_running(case):
    assert case.status == CaseStatus.NEW and case.clock_started_at == utcnow()
    # One working day's opening hours (9) to a first answer: 09.00 the next day.
    # Felanmälan is handled in 5 working days.
    assert case.response_due_at == utcnow() + timedelta(days=1)
    assert case.solution_due_at.date() == (utcnow() + timedelta(days=7)).date()
    assert case.solution_warn_at < case.solution_due_at
    assert clocks.state(case) == "ok"


def test_replying_stops_the_first_clock_and_tells_the_citizen(case):
    act("reply", case, "officer", text="Vi byter lampan på tisdag.")
    assert case.status == CaseStatus.OPEN and case.first_response_at == utcnow()
    assert case.response_due_at is None and case.assigned_to.username == "officer"
    sent = db.session.scalars(select(MailOutbox).order_by(MailOutbox.id.desc())).first()
    assert case.reference in sent.subject and "Vi byter lampan på tisdag." in sent.body_text
    assert [e.kind for e in case.public_events()][-1] == "message_out"


def test_waiting_for_the_citizen_stops_the_solution_clock_until_they_answer(app, case):
    due = case.solution_due_at
    act("request_information", case, "officer", text="Vilken stolpe gäller det?")
    assert case.status == CaseStatus.WAITING and case.solution_due_at is None
    with time_machine.travel("2027-03-03 08:00:00Z", tick=False):   # two working days later
        CITIZEN_ACTIONS["citizen_reply"].execute(case, None, text="Den vid busshållplatsen.")
    assert case.status == CaseStatus.OPEN
    assert case.solution_due_at == due + timedelta(days=2)


def test_a_reroute_starts_the_clocks_at_the_new_forvaltning_and_keeps_the_history(case):
    mhf = db.session.scalar(select(Department).where(Department.code == "MHF"))
    with time_machine.travel("2027-03-02 08:00:00Z", tick=False):
        act("reroute", case, "officer", department=mhf, reason="Gäller miljöstörning.")
        assert case.department.code == "MHF" and case.status == CaseStatus.NEW
        assert case.clock_started_at == utcnow() and case.assigned_to_id is None
    rerouted = [e for e in case.events if e.kind == "rerouted"]
    assert rerouted[0].public and rerouted[0].data["from"] == "TF"


def test_reroute_needs_another_forvaltning_and_a_reason(case):
    with pytest.raises(ActionRefused):
        act("reroute", case, "officer", department=case.department, reason="x")
    mhf = db.session.scalar(select(Department).where(Department.code == "MHF"))
    with pytest.raises(ActionRefused):
        act("reroute", case, "officer", department=mhf, reason=" ")


def test_a_solved_case_can_be_reopened_within_the_window_but_not_after(app, case):
    act("solve", case, "officer", text="Lampan är bytt.")
    assert case.status == CaseStatus.SOLVED and case.outcome == Outcome.SOLVED
    with time_machine.travel("2027-03-20 08:00:00Z", tick=False), pytest.raises(ActionRefused):
        CITIZEN_ACTIONS["reopen"].execute(case, None, text="Den är släckt igen.")
    CITIZEN_ACTIONS["reopen"].execute(case, None, text="Den är släckt igen.")
    assert case.status == CaseStatus.REOPENED and case.outcome is None and case.solution_due_at


def test_a_closed_case_takes_no_reply(case):
    act("close", case, "officer")
    with pytest.raises(ActionRefused):
        CITIZEN_ACTIONS["citizen_reply"].execute(case, None, text="Hej?")


def test_an_officer_acting_on_an_old_page_is_told_what_changed(case):
    seen_version, seen_event = case.version, case.events[-1].id
    act("note", case, "admin", text="Ringde elnätsbolaget.")
    with pytest.raises(CaseChanged) as refused:
        act("reply", case, "officer", text="Vi kommer i dag.", seen_version=seen_version, seen_event=seen_event)
    assert [e.text for e in refused.value.events] == ["Ringde elnätsbolaget."]


def test_a_duplicate_closes_with_a_pointer_to_the_original(app, case):
    other = fault_report(app, email="ann@example.se")
    act("mark_duplicate", other, "officer", original=case)
    assert other.status == CaseStatus.CLOSED and other.outcome == Outcome.DUPLICATE
    assert other.duplicate_of_id == case.id and case.duplicates == [other]
    assert other.public_events()[-1].text == ("Ärendet hanteras tillsammans med ett annat ärende. "
                                              "Du får besked här när det är klart.")
    note = case.events[-1]
    assert (note.kind, note.public, note.text) == (
        "note", False, f"{other.reference} gäller samma sak och är sammanslaget med det här ärendet.")
    assert [m.recipient for m in news_mails()] == ["ann@example.se"]


def test_solving_the_original_tells_the_citizens_of_its_duplicates(app, case):
    other = fault_report(app, email="ann@example.se")
    act("mark_duplicate", other, "officer", original=case)
    act("solve", case, "officer", text="Lampan är lagad.")
    assert other.public_events()[-1].text == "Lampan är lagad."
    assert sorted(m.recipient for m in news_mails()) == ["ann@example.se", "ann@example.se", "bo@example.se"]


def test_a_case_cannot_be_merged_into_a_duplicate(app, case):
    other, third = fault_report(app), fault_report(app)
    act("mark_duplicate", other, "officer", original=case)
    with pytest.raises(ActionRefused):
        act("mark_duplicate", third, "officer", original=other)


def news_mails():
    return db.session.scalars(select(MailOutbox).where(MailOutbox.template == "eservices/mail/news")).all()


def test_only_officers_of_the_forvaltning_act(case):
    with pytest.raises(ActionRefused):
        act("take", case, "editor")


def test_sms_carries_the_start_of_a_message(app):
    with time_machine.travel(MONDAY_MORNING, tick=False), app.app_context(), app.test_request_context():
        case = fault_report(app, notify_by="sms")
        act("reply", case, "officer", text="Lampan byts. " + "Mer text. " * 50)
        sms = db.session.scalars(select(SmsMessage).order_by(SmsMessage.id.desc())).first()
        assert sms.text.startswith(f"Meddelande i ärende {case.reference}: Lampan byts.")
        assert len(sms.text) < 400 and "/sv/arende/" in sms.text


# --- the solution time of a contact: its e-service's, its question type's, or the default -------
@pytest.mark.parametrize("app_config", [{"PORTAL_SLA_SOLUTION_DAYS_BY_TYPE": {"topic:bygga-och-bo": 10}}])
@pytest.mark.parametrize("question_type, days", [
    ("topic:bygga-och-bo", 10),           # its own time (PORTAL_SLA_SOLUTION_DAYS_BY_TYPE)
    ("eservice:parkeringstillstand", 20),  # the e-service's handling time
    ("topic:omsorg-och-stod", 5),         # PORTAL_SLA_SOLUTION_DAYS
])
def test_a_forwarded_contact_gets_the_solution_time_of_its_type(app, question_type, days):
    with time_machine.travel(MONDAY_MORNING, tick=False), app.app_context(), app.test_request_context():
        tf = db.session.scalar(select(Department).where(Department.code == "TF"))
        contact = Contact(outcome=ContactOutcome.FORWARDED, channel=Channel.PHONE, question_type=question_type,
                          text="Fråga.", lang="sv", department=tf,
                          handover={"asked": "a", "answered": "b", "needs": "c", "reach": "d"})
        case = LOG_CONTACT.execute(None, user("agent"), contact=contact)
        # Monday 09.00 plus ``days`` working days of opening hours: that day at 09.00.
        assert case.due_on == add_working_days(date(2027, 3, 1), days)


def test_a_wrong_type_time_is_refused_at_start(monkeypatch):
    monkeypatch.setenv("PORTAL_SLA_SOLUTION_DAYS_BY_TYPE", "topic:bygga-och-bo=tio")
    with pytest.raises(ValueError, match="topic:bygga-och-bo=tio"):
        from_environment(Path("/tmp"))
