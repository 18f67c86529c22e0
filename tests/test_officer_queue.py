"""The officers' queue, case page and audit log as officers and administrators use them:
the queue's filters and its order by urgency (time travel makes cases late), every
action through the case page, the version check when two people act on one case,
who may see what, and who opened which case."""
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event, func, select

from eservices import casework, uploads
from eservices.casework import CITIZEN_ACTIONS, OFFICER_ACTIONS
from eservices.models import Case, CaseFile, CaseRead, CaseStatus, Outcome, Priority
from portal.auth.models import User
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.links import Link, register_link_kind
from portal.mail.models import MailOutbox
from portal.org.models import Department
from tests.conftest import CSRF_RE, post_form, send_case_action
from tests.test_casework import fault_report
from tests.test_eservices import apply_for_permit, png_upload, tracking_link

NOW = "2027-03-04 10:00:00Z"          # a Thursday, 11.00 in Stockholm
CASE_LINK_RE = re.compile(r'<a href="/sv/handlaggning/(\d+)">(SJB-\d{4}-\d{6})</a>')


# --- helpers ---------------------------------------------------------------------------------
def login(app, username):
    client = app.test_client()
    response = post_form(client, "/sv/logga-in", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def html_of(response):
    return response.get_data(as_text=True)


def words(html):
    """What the page says, without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def made(app, at, reply=False, ask=False, solve=False, **columns):
    """A felanmälan case of Tekniska förvaltningen sent at ``at``; the demo officer may
    have answered it, asked for more or solved it then; ``columns`` are set directly
    (what an agent's forwarding or a priority would set).  Returns its id."""
    with time_machine.travel(at, tick=False), app.app_context(), app.test_request_context():
        case = fault_report(app)
        officer = user("officer")
        if reply:
            OFFICER_ACTIONS["reply"].execute(case, officer, text="Vi tittar på det.")
        if ask:
            OFFICER_ACTIONS["request_information"].execute(case, officer, text="Vilken stolpe?")
        if solve:
            OFFICER_ACTIONS["solve"].execute(case, officer, text="Lampan är bytt.")
        for name, value in columns.items():
            setattr(case, name, value)
        db.session.commit()
        return case.id


def queue_rows(client, query=""):
    """[(reference, the row's words)] of the queue, in order."""
    html = html_of(client.get(f"/sv/handlaggning{query}"))
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [(CASE_LINK_RE.search(row).group(2), words(row)) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


@pytest.fixture
def people(app):
    """A second officer of Tekniska förvaltningen and one of Miljö- och hälsoskyddsförvaltningen."""
    for username, name, role in (("olga", "Olga Handläggare (Tekniska förvaltningen)", "officer:TF"),
                                 ("mats", "Mats Miljö (Miljö- och hälsoskydd)", "officer:MHF")):
        result = app.test_cli_runner().invoke(args=["create-user", username, "--name", name, "--role", role,
                                                    "--password", DEMO_PASSWORD])
        assert result.exit_code == 0, result.output


# --- the queue -------------------------------------------------------------------------------
@pytest.fixture
def queue_cases(app):
    """Tekniska förvaltningen's cases in every state the queue tells apart, at ``NOW``
    (felanmälan: one working day to a first answer, five to a solution)."""
    ids = {
        "late": made(app, "2027-02-22 08:00:00Z", reply=True),          # due Mon 1 March
        "unacknowledged": made(app, "2027-03-02 08:00:00Z", status=CaseStatus.FORWARDED),  # first answer due Wed
        "warning": made(app, "2027-02-26 08:00:00Z", reply=True),       # 75 % on Wed 16.45, due Fri 5 March
        "ok": made(app, "2027-03-03 08:00:00Z", reply=True, question_type="topic:bygga-och-bo"),
        "urgent": made(app, "2027-03-03 08:00:00Z", reply=True, priority=Priority.URGENT),   # due as "ok"
        "waiting": made(app, "2027-03-01 08:00:00Z", ask=True),         # the clock stands still
        "solved": made(app, "2027-03-02 08:00:00Z", solve=True),
    }
    with app.app_context():
        return {name: db.session.get(Case, case_id).reference for name, case_id in ids.items()}


def test_the_queue_puts_overdue_first_then_warning_then_by_due_moment_and_priority(app, queue_cases):
    with time_machine.travel(NOW, tick=False):
        rows = queue_rows(login(app, "officer"))
    names = {reference: name for name, reference in queue_cases.items()}
    assert [names[reference] for reference, _words in rows] == [
        "late", "unacknowledged", "warning", "urgent", "ok", "waiting"]
    said = {names[reference]: text for reference, text in rows}
    assert "Försenat" in said["late"] and "Inte kvitterat" not in said["late"]
    assert "Försenat" in said["unacknowledged"] and "Inte kvitterat i tid" in said["unacknowledged"]
    assert "Vidarebefordrat" in said["unacknowledged"] and "Ingen" in said["unacknowledged"]
    assert "Snart försenat" in said["warning"] and "2027-03-05 09:00" in said["warning"]
    assert "I tid" in said["ok"] and "Hugo Handläggare" in said["ok"]
    assert "Brådskande" in said["urgent"]
    assert "Pausat – väntar på invånaren" in said["waiting"]


def test_a_day_later_the_warning_is_overdue(app, queue_cases):
    with time_machine.travel("2027-03-05 09:00:00Z", tick=False):    # Friday 10.00: past the due moment
        rows = queue_rows(login(app, "officer"), "?sla=forsenade")
    assert [reference for reference, _words in rows] == [
        queue_cases["late"], queue_cases["warning"], queue_cases["unacknowledged"]]


@pytest.mark.parametrize("query, expected", [
    ("?sla=forsenade", ["late", "unacknowledged"]),
    ("?sla=snart-forsenade", ["warning"]),
    ("?handlaggare=mina", ["late", "warning", "urgent", "ok", "waiting"]),
    ("?handlaggare=ingen", ["unacknowledged"]),
    ("?status=waiting", ["waiting"]),
    ("?status=forwarded", ["unacknowledged"]),
    ("?status=solved", ["solved"]),
    ("?typ=topic:bygga-och-bo", ["ok"]),
    ("?typ=eservice:felanmalan&sla=forsenade", ["late", "unacknowledged"]),
    ("?typ=eservice:bli-uppringd", []),
    ("?status=solved&sla=forsenade", []),      # a solved case has no clock to be late on
    ("?status=nonsense&sla=sent&handlaggare=x&sida=-3",          # an edited address: the defaults
     ["late", "unacknowledged", "warning", "urgent", "ok", "waiting"]),
])
def test_the_queue_filters(app, queue_cases, query, expected):
    with time_machine.travel(NOW, tick=False):
        rows = queue_rows(login(app, "officer"), query)
    assert [reference for reference, _words in rows] == [queue_cases[name] for name in expected]


def test_the_filters_are_shown_as_chosen(app, queue_cases):
    with time_machine.travel(NOW, tick=False):
        html = html_of(login(app, "officer").get("/sv/handlaggning?sla=forsenade&handlaggare=ingen"))
    assert '<option selected value="forsenade">Försenade</option>' in html
    assert '<option selected value="ingen">Utan handläggare</option>' in html
    assert '<option selected value="alla-oppna">Alla öppna</option>' in html
    assert "<caption>1 ärende</caption>" in html


def add_cases(count, title="Samtal", **columns):
    """``count`` open cases of Tekniska förvaltningen written straight to the database, the
    first one due first."""
    tf = db.session.scalar(select(Department).where(Department.code == "TF"))
    start = db.session.scalar(select(func.count(Case.id)))
    due = datetime(2027, 3, 10, 8)
    for number in range(start, start + count):
        db.session.add(Case(
            reference=f"SJB-2027-9{number:05d}", title=title, department_id=tf.id, lang="sv",
            tracking_token=f"queue-{number}", answers={}, status=CaseStatus.OPEN,
            clock_started_at=due - timedelta(days=7), solution_due_at=due + timedelta(minutes=number),
            solution_warn_at=due + timedelta(minutes=number) - timedelta(days=1), **columns))
    db.session.commit()


def test_the_queue_goes_a_page_at_a_time_keeping_the_filters(app):
    with app.app_context():
        add_cases(55)
    with time_machine.travel(NOW, tick=False):
        officer = login(app, "officer")
        first = html_of(officer.get("/sv/handlaggning?handlaggare=ingen"))
        assert len(CASE_LINK_RE.findall(first)) == 50 and "55 ärenden, sida 1 av 2" in first
        assert 'href="/sv/handlaggning?sida=2&amp;status=alla-oppna&amp;handlaggare=ingen" rel="next"' in first
        second = html_of(officer.get("/sv/handlaggning?sida=2&status=alla-oppna&handlaggare=ingen"))
        assert len(CASE_LINK_RE.findall(second)) == 5 and "Föregående sida" in second
        assert not set(CASE_LINK_RE.findall(first)) & set(CASE_LINK_RE.findall(second))
        beyond = html_of(officer.get("/sv/handlaggning?sida=99"))
    assert CASE_LINK_RE.findall(beyond) == CASE_LINK_RE.findall(second)     # the last page


def test_the_queue_shows_no_personnummer(app):
    with app.app_context():
        add_cases(1, title="Samtal om bygglov från 19121212-1212")
    with time_machine.travel(NOW, tick=False):
        [(_reference, said)] = queue_rows(login(app, "officer"))
    assert "Samtal om bygglov från [personnummer]" in said and "1212-1212" not in said


def queue_statements(app, client):
    """The SQL statements the queue page runs."""
    seen = []
    with app.app_context():
        engine = db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", record)
    try:
        with time_machine.travel(NOW, tick=False):
            assert client.get("/sv/handlaggning").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_the_queue_reads_a_page_through_the_index_in_the_same_number_of_statements(app):
    with time_machine.travel(NOW, tick=False):
        officer = login(app, "officer")
    with app.app_context():
        add_cases(3)
    few = queue_statements(app, officer)
    with app.app_context():
        add_cases(60)
    many = queue_statements(app, officer)
    assert len(many) == len(few)          # no statement per row
    [(page, parameters)] = [(s, p) for s, p in many if "FROM cases" in s and "ORDER BY" in s]
    assert "LIMIT" in page
    with app.app_context():
        plan = explain(page, parameters)
    assert "ix_cases_queue" in plan, plan


def explain(statement, parameters):
    """SQLite's plan for a statement as the queue ran it."""
    cursor = db.session.connection().connection.driver_connection.cursor()
    return " ".join(row[-1] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))


# --- the case page -----------------------------------------------------------------------------
def case_of(app, **columns):
    """A felanmälan case sent on Monday morning (see ``made``)."""
    return made(app, "2027-03-01 08:00:00Z", **columns)


@pytest.fixture
def case_id(app):
    return case_of(app)


def test_the_case_page_shows_what_the_officer_needs(app, case_id):
    register_link_kind(app, "article", lambda key: Link("Gatubelysning", "/sv/artiklar/gatubelysning")
                       if key == 7 else None)
    with app.app_context():
        case = db.session.get(Case, case_id)
        stored = uploads.accept(png_upload("stolpen.png"), ("image",), 1024 * 1024)
        case.files.append(CaseFile(field="photos", stored_name=stored.stored_name, original_name="stolpen.png",
                                   content_type=stored.content_type, size=stored.size))
        case.handover = {"asked": "Varför är det mörkt på Storgatan?", "answered": "Att vi felanmäler lampan.",
                         "needs": "Besked om när den lagas.", "reach": "Mobil efter 16, 070-111 22 33."}
        case.linked_articles = [7, 8]     # 8 no longer exists
        db.session.commit()
    with time_machine.travel("2027-03-01 09:00:00Z", tick=False):
        officer = login(app, "officer")
        send_case_action(officer, case_id, "note", text="Ringde elnätsbolaget.")
        page = words(html_of(officer.get(f"/sv/handlaggning/{case_id}")))
    for shown in ("Lampan är släckt.", "Storgatan 12", "Bo Berg", "bo@example.se", "stolpen.png",
                  "Överlämning från kontaktcenter", "Vad frågade invånaren? Varför är det mörkt på Storgatan?",
                  "Hur och när når man invånaren? Mobil efter 16, 070-111 22 33.",
                  "Länkade artiklar Gatubelysning", "Typ av ärende Felanmälan",
                  "Första svar Senast 2027-03-02 09:00", "Klart senast 2027-03-08 09:00",
                  "Intern anteckning Intern Ringde elnätsbolaget.", "Mottaget Ärendet har tagits emot."):
        assert shown in page, shown
    assert page.index("Ringde elnätsbolaget.") < page.index("Ärendet har tagits emot.")   # the latest first


def test_an_e_service_with_a_decision_has_its_form_and_one_without_has_none(app, client, case_id):
    apply_for_permit(client)
    with app.app_context():
        permit_id = db.session.scalar(select(Case.id).where(Case.service_code == "parkeringstillstand"))
    officer = login(app, "officer")
    permit = html_of(officer.get(f"/sv/handlaggning/{permit_id}"))
    assert 'id="decide-form"' in permit and 'name="decide-valid_from"' in permit
    assert 'id="decide-form"' not in html_of(officer.get(f"/sv/handlaggning/{case_id}"))


def case_now(case_id):
    db.session.expire_all()
    return db.session.get(Case, case_id)


def test_every_action_through_the_page(app, people, case_id):
    officer = login(app, "officer")
    assert send_case_action(officer, case_id, "take").status_code == 302
    page = html_of(officer.get(f"/sv/handlaggning/{case_id}"))
    assert "Du handlägger nu ärendet." in page and 'id="take-form"' not in page   # taken: no button
    with app.app_context():
        olga = user("olga")
    assert send_case_action(officer, case_id, "assign", officer=str(olga.id)).status_code == 302
    assert send_case_action(officer, case_id, "note", text="Beställt hos elfirman.").status_code == 302
    assert send_case_action(officer, case_id, "reply", text="Vi byter lampan på tisdag.").status_code == 302
    with app.app_context():
        case = case_now(case_id)
        assert case.assigned_to.username == "olga" and case.status == CaseStatus.OPEN
        mail = db.session.scalars(select(MailOutbox).order_by(MailOutbox.id.desc())).first()
        assert mail.recipient == "bo@example.se" and "Vi byter lampan på tisdag." in mail.body_text
        assert "Beställt hos elfirman." not in mail.body_text
        token = case.tracking_token
    tracking = words(html_of(app.test_client().get(f"/sv/arende/{token}")))
    assert "Vi byter lampan på tisdag." in tracking and "Beställt hos elfirman." not in tracking

    assert send_case_action(officer, case_id, "request_information", text="Vilken stolpe gäller det?").status_code == 302
    page = words(html_of(officer.get(f"/sv/handlaggning/{case_id}")))
    assert "Väntar på invånaren" in page and "Klockan står still sedan" in page
    with app.app_context():
        assert case_now(case_id).solution_due_at is None
        CITIZEN_ACTIONS["citizen_reply"].execute(case_now(case_id), None, text="Den vid busshållplatsen.")
    page = words(html_of(officer.get(f"/sv/handlaggning/{case_id}")))
    assert "Meddelande från invånaren Den vid busshållplatsen. Kom in via webb." in page

    assert send_case_action(officer, case_id, "solve", outcome="referred", text="Elnätsbolaget lagar den.").status_code == 302
    with app.app_context():
        case = case_now(case_id)
        assert case.status == CaseStatus.SOLVED and case.outcome == Outcome.REFERRED
    assert "Elnätsbolaget lagar den." in words(html_of(app.test_client().get(f"/sv/arende/{token}")))
    page = html_of(officer.get(f"/sv/handlaggning/{case_id}"))
    assert 'id="reply-form"' not in page and 'id="close-form"' in page and 'id="note-form"' in page
    assert send_case_action(officer, case_id, "close").status_code == 302
    with app.app_context():
        assert case_now(case_id).status == CaseStatus.CLOSED
    page = html_of(officer.get(f"/sv/handlaggning/{case_id}"))
    assert "Ärendet är avslutat." in page and 'id="close-form"' not in page


def test_a_reroute_hands_the_case_to_the_other_forvaltning(app, people, case_id):
    officer = login(app, "officer")
    with app.app_context():
        mhf = db.session.scalar(select(Department).where(Department.code == "MHF"))
    page = html_of(officer.get(f"/sv/handlaggning/{case_id}"))
    assert f'<option value="{mhf.id}">Miljö- och hälsoskyddsförvaltningen</option>' in page
    response = send_case_action(officer, case_id, "reroute", department=str(mhf.id), reason="Gäller buller.", page=page)
    assert response.status_code == 302 and response.location == "/sv/handlaggning"   # no longer theirs
    assert "Ärendet är flyttat till den andra förvaltningen." in html_of(officer.get(response.location))
    assert officer.get(f"/sv/handlaggning/{case_id}").status_code == 403
    mats = login(app, "mats")
    with app.app_context():
        reference = db.session.get(Case, case_id).reference
    assert [reference] == [found for found, _words in queue_rows(mats)]
    page = words(html_of(mats.get(f"/sv/handlaggning/{case_id}")))
    assert "Flyttat Ärendet har flyttats till Miljö- och hälsoskyddsförvaltningen." in page
    assert "Från TF till MHF. Skäl: Gäller buller." in page


def test_a_duplicate_is_marked_by_the_reference_of_the_other_case(app, case_id):
    other_id = case_of(app)
    with app.app_context():
        reference = db.session.get(Case, case_id).reference
    officer = login(app, "officer")
    response = send_case_action(officer, other_id, "mark_duplicate", reference=reference.lower())
    assert response.status_code == 302
    with app.app_context():
        other = case_now(other_id)
        assert other.status == CaseStatus.CLOSED and other.outcome == Outcome.DUPLICATE
        assert other.duplicate_of_id == case_id
    assert f"Dubblett av {reference}" in words(html_of(officer.get(f"/sv/handlaggning/{other_id}")))
    assert "Dubblett av det här ärendet:" in html_of(officer.get(f"/sv/handlaggning/{case_id}"))


# --- bad input: a message at the field, what was typed kept ----------------------------------------
def error_links(html):
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary)


def test_an_empty_reply_is_refused_at_its_field(app, case_id):
    officer = login(app, "officer")
    response = send_case_action(officer, case_id, "reply", text="   ")
    html = html_of(response)
    assert response.status_code == 400 and "<title>Fel: " in html
    assert error_links(html) == [("reply-text", "Skriv ett svar.")]
    assert '<p class="field-error" id="reply-text-error">' in html and 'aria-invalid="true"' in html


def test_solving_without_saying_what_was_done_keeps_the_chosen_outcome(app, case_id):
    response = send_case_action(login(app, "officer"), case_id, "solve", outcome="withdrawn", text="")
    html = html_of(response)
    assert response.status_code == 400
    assert error_links(html) == [("solve-text", "Skriv vad som gjorts, så att den som hörde av sig vet.")]
    assert re.search(r'<input checked id="solve-outcome-2" name="solve-outcome"[^>]*value="withdrawn">', html)


def test_an_officer_of_another_forvaltning_cannot_be_assigned(app, people, case_id):
    with app.app_context():
        mats = user("mats").id
    officer = login(app, "officer")
    page = html_of(officer.get(f"/sv/handlaggning/{case_id}"))
    assert "Olga Handläggare" in page and "Mats Miljö" not in page
    response = send_case_action(officer, case_id, "assign", officer=str(mats), page=page)
    assert response.status_code == 400 and error_links(html_of(response))[0][0] == "assign-officer"
    with app.app_context():
        assert case_now(case_id).assigned_to_id is None


@pytest.mark.parametrize("reference", ["SJB-2027-999999", "own"])
def test_a_duplicate_of_an_unknown_case_or_of_itself_is_refused_at_the_field(app, case_id, reference):
    with app.app_context():
        own = db.session.get(Case, case_id).reference
    typed = own if reference == "own" else reference
    response = send_case_action(login(app, "officer"), case_id, "mark_duplicate", reference=typed)
    html = html_of(response)
    assert response.status_code == 409
    assert error_links(html) == [("mark_duplicate-reference", "Ange ärendenumret på ett annat ärende som du kan öppna.")]
    assert f'value="{typed}"' in html
    with app.app_context():
        assert case_now(case_id).status == CaseStatus.NEW


def test_a_request_without_the_pages_version_is_a_bad_request(app, case_id):
    officer = login(app, "officer")
    html = html_of(officer.get(f"/sv/handlaggning/{case_id}"))
    token = re.search(r'name="note-csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = officer.post(f"/sv/handlaggning/{case_id}/atgard", data={
        "note-csrf_token": token, "action": "note", "note-text": "Utan version."})
    assert response.status_code == 400
    with app.app_context():
        assert [e.kind for e in case_now(case_id).events] == ["received"]


# --- no silent overwrite -----------------------------------------------------------------------------
MARKED = re.compile(r'<tr id="event-(\d+)" class="event-new">')


@pytest.mark.parametrize("action, fields", [
    ("reply", {"text": "Vi byter lampan på tisdag."}),
    ("note", {"text": "Ringer elfirman i morgon."}),
    ("request_information", {"text": "Vilken stolpe gäller det?"}),
    ("solve", {"outcome": "solved", "text": "Lampan är bytt."}),
])
def test_a_form_sent_from_a_page_that_is_no_longer_current_shows_what_changed(app, people, case_id, action, fields):
    officer, olga = login(app, "officer"), login(app, "olga")
    old_page = html_of(officer.get(f"/sv/handlaggning/{case_id}"))
    send_case_action(olga, case_id, "note", text="Jag har redan ringt elnätsbolaget.")
    response = send_case_action(officer, case_id, action, page=old_page, **fields)
    html = html_of(response)
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet sedan du öppnade sidan." in html
    assert fields["text"] in html                                          # what the officer wrote is kept
    with app.app_context():
        case = case_now(case_id)
        note = case.events[-1]
        assert note.text == "Jag har redan ringt elnätsbolaget." and len(case.events) == 2   # nothing overwritten
    assert MARKED.findall(html) == [str(note.id)]                         # only the new line is marked
    assert "Nytt sedan du öppnade sidan" in words(html.split(f'id="event-{note.id}"', 1)[1].split("</tr>", 1)[0])
    assert ("event-" + str(note.id), "Se vad som har hänt sedan du öppnade sidan") in error_links(html)
    # Having read it, the officer sends the form again from the page they now have.
    assert send_case_action(officer, case_id, action, page=html, **fields).status_code == 302
    with app.app_context():
        assert len(case_now(case_id).events) == 3


def test_a_decision_on_an_old_page_is_refused_too(app, client, people):
    apply_for_permit(client)
    with app.app_context():
        permit_id = db.session.scalar(select(Case.id).where(Case.service_code == "parkeringstillstand"))
    officer, olga = login(app, "officer"), login(app, "olga")
    old_page = html_of(officer.get(f"/sv/handlaggning/{permit_id}"))
    send_case_action(olga, permit_id, "note", text="Intyget är från i fjol.")
    response = send_case_action(officer, permit_id, "decide", page=old_page, outcome="denied",
                                reason="Intyget är för gammalt.")
    assert response.status_code == 409 and "Intyget är för gammalt." in html_of(response)
    with app.app_context():
        assert case_now(permit_id).decision == {}


def test_of_two_officers_taking_one_case_at_once_one_wins_and_the_other_is_told(app, people, case_id, monkeypatch):
    """Both pages are current and both requests pass the version check before either
    writes: the database's version column lets one through."""
    clients = {name: login(app, name) for name in ("officer", "olga")}
    pages = {name: html_of(client.get(f"/sv/handlaggning/{case_id}")) for name, client in clients.items()}
    both_checked = threading.Barrier(2, timeout=10)
    take = casework.Take.change

    def change_when_both_have_checked(self, case, user, **context):
        both_checked.wait()
        return take(self, case, user, **context)
    monkeypatch.setattr(casework.Take, "change", change_when_both_have_checked)

    def send(name):
        return send_case_action(clients[name], case_id, "take", page=pages[name])
    with ThreadPoolExecutor(2) as pool:
        responses = dict(zip(clients, pool.map(send, clients)))
    assert sorted(response.status_code for response in responses.values()) == [302, 409]
    [loser] = [response for response in responses.values() if response.status_code == 409]
    with app.app_context():
        case = case_now(case_id)
        winner = case.assigned_to
        assert [e.kind for e in case.events] == ["received", "assigned"]
        taken = case.events[-1]
    html = html_of(loser)
    assert "Någon annan har ändrat ärendet sedan du öppnade sidan." in html
    assert MARKED.findall(html) == [str(taken.id)] and f"{winner.display_name} handlägger ärendet." in html


# --- who may see what ---------------------------------------------------------------------------------
def test_an_officer_of_another_forvaltning_is_refused(app, people, case_id):
    mats = login(app, "mats")
    assert mats.get(f"/sv/handlaggning/{case_id}").status_code == 403
    token = CSRF_RE.search(html_of(mats.get("/sv/handlaggning"))).group(1)    # a token of their own
    response = mats.post(f"/sv/handlaggning/{case_id}/atgard", data={
        "note-csrf_token": token, "action": "note", "note-text": "Hej", "seen_version": "1", "seen_event": "1"})
    assert response.status_code == 403
    assert queue_rows(mats) == []
    with app.app_context():
        assert len(case_now(case_id).events) == 1


def test_a_confidential_case_is_only_for_its_own_forvaltnings_officers(app, client, people):
    apply_for_permit(client)
    with app.app_context():
        permit = db.session.scalar(select(Case).where(Case.service_code == "parkeringstillstand"))
        permit_id, reference = permit.id, permit.reference
    officer = login(app, "officer")
    assert officer.get(f"/sv/handlaggning/{permit_id}").status_code == 200
    assert reference in [found for found, _words in queue_rows(officer)]
    for other in ("admin", "mats"):
        person = login(app, other)
        assert person.get(f"/sv/handlaggning/{permit_id}").status_code == 403, other
        assert reference not in html_of(person.get("/sv/handlaggning")), other


# --- the audit log ------------------------------------------------------------------------------------
def audit_rows(client, query=""):
    html = html_of(client.get(f"/sv/admin/granskningslogg{query}"))
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [words(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_audit_log_says_who_opened_which_case_and_file(app, client, people, case_id):
    with app.app_context():
        case = db.session.get(Case, case_id)
        stored = uploads.accept(png_upload("stolpen.png"), ("image",), 1024 * 1024)
        case.files.append(CaseFile(field="photos", stored_name=stored.stored_name, original_name="stolpen.png",
                                   content_type=stored.content_type, size=stored.size))
        db.session.commit()
        reference, file_id = case.reference, case.files[0].id
    apply_for_permit(client)
    with app.app_context():
        permit = db.session.scalar(select(Case).where(Case.service_code == "parkeringstillstand"))
        permit_id, permit_reference, certificate = permit.id, permit.reference, permit.files[0].id
    officer, olga = login(app, "officer"), login(app, "olga")
    officer.get(f"/sv/handlaggning/{case_id}")
    officer.get(f"/sv/handlaggning/{case_id}/fil/{file_id}")
    olga.get(f"/sv/handlaggning/{permit_id}")
    olga.get(f"/sv/handlaggning/{permit_id}/fil/{certificate}")
    admin = login(app, "admin")
    rows = audit_rows(admin)
    assert [row.split(" ", 2)[2] for row in rows] == [
        f"Olga Handläggare (Tekniska förvaltningen) (olga) {permit_reference} Sekretess Öppnade en fil",   # not its name
        f"Olga Handläggare (Tekniska förvaltningen) (olga) {permit_reference} Sekretess Öppnade ärendet",
        f"Hugo Handläggare (Tekniska förvaltningen) (officer) {reference} Öppnade filen stolpen.png",
        f"Hugo Handläggare (Tekniska förvaltningen) (officer) {reference} Öppnade ärendet"]
    html = html_of(admin.get("/sv/admin/granskningslogg"))
    assert f'<a href="/sv/handlaggning/{case_id}">{reference}</a>' in html
    assert f'<a href="/sv/handlaggning/{permit_id}">' not in html        # the admin may not open it
    assert [row.split(" ")[-1] for row in audit_rows(admin, f"?arende={reference.lower()}")] == [
        "stolpen.png", "ärendet"]
    assert len(audit_rows(admin, "?anvandare=olga")) == 2
    assert audit_rows(admin, f"?anvandare=olga&arende={reference}") == []
    assert "Ingen har öppnat något som passar sökningen." in html_of(admin.get("/sv/admin/granskningslogg?anvandare=x"))


def test_the_audit_log_goes_a_page_at_a_time(app, case_id):
    with app.app_context():
        officer = user("officer")
        db.session.add_all([CaseRead(case_id=case_id, user_id=officer.id) for _n in range(51)])
        db.session.commit()
    admin = login(app, "admin")
    first = html_of(admin.get("/sv/admin/granskningslogg?anvandare=officer"))
    assert first.count("Öppnade ärendet") == 50
    assert 'href="/sv/admin/granskningslogg?sida=2&amp;anvandare=officer" rel="next"' in first
    second = html_of(admin.get("/sv/admin/granskningslogg?sida=2&anvandare=officer"))
    assert second.count("Öppnade ärendet") == 1 and 'rel="next"' not in second and 'rel="prev"' in second


@pytest.mark.parametrize("username", ["officer", "agent", "manager", "editor"])
def test_only_administrators_read_the_audit_log(app, username):
    assert login(app, username).get("/sv/admin/granskningslogg").status_code == 403
