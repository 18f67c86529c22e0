"""Lokalbokning as citizens, officers and administrators use it: the room pages and
their week, the booking form and each rule's message at its field, check your
answers with the price and a series' conflicts, a time taken at the last
moment (nothing of the submission remains, the draft does), the förvaltning's
decision, cancelling through the tracking link, the calendar file, the room
admin pages, and 50 simultaneous submissions for one slot on SQLite and on
PostgreSQL (when PORTAL_TEST_DATABASE_URL is set).

Times are relative to today, in Europe/Stockholm, on rooms the tests make
(open every day and on holidays unless a test says otherwise), so the tests
do not depend on the date they run.
"""
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from eservices.models import Case, CaseCounter, CaseStatus, FormDraft
from eservices.services.lokalbokning import availability, booking
from eservices.services.lokalbokning.models import WEEKDAYS, Booking, BookingStatus, CustomerType, Room
from portal.actions import Action, ActionRefused
from portal.clock import utcnow
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.mail.models import MailOutbox
from portal.org.models import Department
from tests.conftest import CSRF_RE, post_form, send_case_action
from tests.test_lokalbokning_core import prepared_app

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
CODE = "lokalbokning"
BOOKING_URL = f"/sv/e-tjanster/{CODE}/steg/bokning"
CHECK_URL = f"/sv/e-tjanster/{CODE}/granska"
EVERY_DAY = {day: ["08:00", "22:00"] for day in WEEKDAYS}
PRICES = {"privatperson": 20000, "forening": 5000, "foretag": 40000}
CONTACT = {"name": "Bo Berg", "email": "bo@example.se", "phone": "", "notify_by": "email", "organisation": ""}
RACERS = 50


# --- helpers -------------------------------------------------------------------------------------


def today():
    return availability.local_date(utcnow())


def in_days(days):
    return today() + timedelta(days=days)


def next_weekday(weekday, after_days=3):
    day = in_days(after_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def add_room(department="KFF", **changes):
    """A room open 08–22 every day, holidays too; call inside an app context."""
    values = dict(name="Testsalen", description="Sal för tester", address="Provgatan 1", capacity=30,
                  accessibility="Ramp och RWC", equipment=["Projektor"], opening_hours=EVERY_DAY,
                  open_on_holidays=True, min_minutes=60, max_minutes=240, min_notice_hours=24,
                  max_days_ahead=180, cancel_hours_before=48, auto_approve=False, prices=PRICES, active=True)
    department = db.session.scalar(select(Department).where(Department.code == department))
    room = Room(department_id=department.id, **{**values, **changes})
    db.session.add(room)
    db.session.commit()
    return room.id


@pytest.fixture
def room_id(app):
    with app.app_context():
        return add_room()


def hold(room_id, day, starts, ends, status=BookingStatus.CONFIRMED, customer=CustomerType.PRIVATE):
    """A booking made outside the form (another citizen's), committed; call inside an app context."""
    room = db.session.get(Room, room_id)
    made = booking.book(room, *availability.local_slot(day, starts, ends), customer)
    made.status = status
    db.session.commit()
    return made.id


def booking_answers(room_id, day, starts="10.00", ends="12.00", customer="privatperson", **more):
    return {"room": str(room_id), "customer_type": customer, "day": day.isoformat(), "starts": starts,
            "ends": ends, "purpose": "Möte", **more}


def token_of(client, url=BOOKING_URL):
    return CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)


def send_page(client, page, answers, token=None, url=None):
    url = url or f"/sv/e-tjanster/{CODE}/steg/{page}"
    return client.post(url, data={"csrf_token": token or token_of(client, url), **answers})


def fill_in(client, room_id, day, contact=None, **answers):
    """The booking page and the contact page, as a citizen fills them in."""
    token = token_of(client)
    first = send_page(client, "bokning", booking_answers(room_id, day, **answers), token)
    assert first.status_code == 302, field_errors(first)
    second = send_page(client, "kontakt", {**CONTACT, **(contact or {})}, token)
    assert second.status_code == 302, field_errors(second)
    return token


def submit(client, token=None):
    return client.post(CHECK_URL, data={"csrf_token": token or token_of(client, CHECK_URL), "action": "submit"})


def field_errors(response):
    """{field id: message} of the messages shown at the fields."""
    html = response.get_data(as_text=True)
    return {name: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">.*?</span>', "",
                                                                      message))).strip()
            for name, message in re.findall(r'<p class="field-error" id="([\w-]+)-error">(.*?)</p>', html, re.S)}


def tracking_link(client):
    html = client.get(f"/sv/e-tjanster/{CODE}/kvitto").get_data(as_text=True)
    return re.search(r'href="(/sv/arende/[^"]+)"', html).group(1)


def counts():
    return {"cases": db.session.scalar(select(func.count(Case.id))),
            "bookings": db.session.scalar(select(func.count(Booking.id))),
            "mail": db.session.scalar(select(func.count(MailOutbox.id))),
            "references": db.session.scalar(select(func.max(CaseCounter.last))) or 0}


def bookings_of_room(room_id):
    return db.session.scalars(select(Booking).where(Booking.room_id == room_id).order_by(Booking.starts_at)).all()


def latest_case():
    return db.session.scalar(select(Case).order_by(Case.id.desc()))


def login(app, username):
    client = app.test_client()
    response = post_form(client, "/sv/logga-in", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def decide(client, case_id, outcome, reason="Välkommen!"):
    return send_case_action(client, case_id, "decide", outcome=outcome, reason=reason)


def text_of(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def words_of(response):
    """What the page says, without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


# --- the room pages ----------------------------------------------------------------------------------


def test_the_rooms_list_what_they_offer_and_cost(client):
    html = text_of(client.get("/sv/lokaler"))
    for shown in ("Sjöbackahallen", "Biblioteket, studierum", "Kommunhuset, sammanträdesrum Sjön",
                  "Högst 150 personer", "Hörslinga", "Innebandysarg", "Förening: 120 kr per timme",
                  "Privatperson: kan inte boka", "Förening: kostnadsfritt"):
        assert shown in html, shown
    english = text_of(client.get("/en/venues"))
    assert "Venues to book" in english and "Association: 120 SEK per hour" in english
    assert '<h2 class="result-title" lang="sv"><a href="/en/venues/' in english    # the room's texts are Swedish


def test_a_rooms_week_is_a_table_of_free_and_taken_times(app, client, room_id):
    day = next_weekday(2, after_days=8)                    # a Wednesday, at least a week ahead
    with app.app_context():
        hold(room_id, day, time(18), time(20))
        db.session.get(Room, room_id).opening_hours = {k: v for k, v in EVERY_DAY.items() if k != "sun"}
        db.session.commit()
    page = client.get(f"/sv/lokaler/{room_id}?vecka={day.isoformat()}")
    html = text_of(page)
    assert page.status_code == 200
    assert re.search(r"<caption>Vecka \d+: ", html)
    assert html.count('<th scope="row">') == 7 and '<th scope="col">Lediga tider</th>' in html
    words = words_of(page)
    assert "bokat 18.00–20.00" in words and "ledigt 08.00–18.00" in words and "ledigt 20.00–22.00" in words
    assert "Lokalen är stängd den dagen." in words                  # Sunday
    assert f'href="{BOOKING_URL}?lokal={room_id}"' in html
    assert f"lokal={room_id}&amp;datum={day.isoformat()}&amp;start=08.00" in html
    monday = day - timedelta(days=day.weekday())
    assert f"vecka={(monday - timedelta(days=7)).isoformat()}" in html       # back, not before this week
    assert f"vecka={(monday + timedelta(days=7)).isoformat()}" in html
    this_week = text_of(client.get(f"/sv/lokaler/{room_id}?vecka=1999-01-01"))
    assert f"<caption>Vecka {today().isocalendar()[1]}: " in this_week
    assert "Föregående vecka" not in this_week and "Nästa vecka" in this_week
    assert client.get("/sv/lokaler/999999").status_code == 404


def test_the_boka_link_starts_the_service_with_the_room_and_time_chosen(client, room_id):
    day = in_days(5)
    html = client.get(f"{BOOKING_URL}?lokal={room_id}&datum={day.isoformat()}&start=10.00").get_data(as_text=True)
    assert f'<option selected value="{room_id}">Testsalen</option>' in html
    assert f'value="{day.isoformat()}"' in html and 'value="10.00"' in html


# --- the whole flow -------------------------------------------------------------------------------------


def test_a_request_is_preliminary_until_an_officer_approves_it(app, client, ctx, room_id):
    day = in_days(6)
    token = fill_in(client, room_id, day, starts="10", ends="12.00")
    check = text_of(client.get(CHECK_URL))
    assert "400 kr" in check and "preliminär tills Kultur- och fritidsförvaltningen" in check
    assert submit(client, token).status_code == 302
    link = tracking_link(client)
    with ctx():
        case = latest_case()
        held = bookings_of_room(room_id)
        assert case.department.code == "KFF" and case.status == CaseStatus.NEW
        assert [(b.status, b.price_ore, b.case_id) for b in held] == [(BookingStatus.PRELIMINARY, 40000, case.id)]
        assert held[0].starts_at == availability.local_slot(day, time(10), time(12)).starts_at
        assert case.title.startswith("Bokning: Testsalen")
        case_id, reference = case.id, case.reference
    tracking = text_of(app.test_client().get(link))
    assert "Preliminär – väntar på besked" in tracking and "400 kr" in tracking
    assert "bokning.ics" not in tracking and app.test_client().get(f"{link}/bokning.ics").status_code == 404

    officer = login(app, "officer")                           # Tekniska förvaltningen: not theirs
    assert officer.get(f"/sv/handlaggning/{case_id}").status_code == 403
    admin = login(app, "admin")
    case_page = words_of(admin.get(f"/sv/handlaggning/{case_id}"))
    assert "Godkänn bokningen" in case_page and "Bokade tider" in case_page
    assert "10.00–12.00 Preliminär – väntar på besked från förvaltningen 400 kr" in case_page
    assert decide(admin, case_id, "granted").status_code == 302
    with ctx():
        assert bookings_of_room(room_id)[0].status == BookingStatus.CONFIRMED
        assert db.session.get(Case, case_id).status == CaseStatus.SOLVED
        assert reference in db.session.scalars(select(MailOutbox).order_by(MailOutbox.id.desc())).first().subject
    tracking = text_of(app.test_client().get(link))
    assert "Bekräftad" in tracking and f'href="{link}/bokning.ics"' in tracking


def test_a_denied_request_frees_its_time(app, client, ctx, room_id):
    day = in_days(6)
    submit(client, fill_in(client, room_id, day))
    with ctx():
        case_id = latest_case().id
    assert decide(login(app, "admin"), case_id, "denied", "Hallen är avstängd den dagen.").status_code == 302
    with ctx():
        assert bookings_of_room(room_id)[0].status == BookingStatus.DENIED
    other = app.test_client()
    assert submit(other, fill_in(other, room_id, day)).status_code == 302
    tracking = text_of(client.get(tracking_link(client)))
    assert "Nekad" in tracking and "Hallen är avstängd den dagen." in tracking


def test_an_auto_approving_room_confirms_at_once(app, client, ctx):
    with ctx():
        room_id = add_room(auto_approve=True)
    token = fill_in(client, room_id, in_days(4))
    assert "Bokningen bekräftas direkt" in text_of(client.get(CHECK_URL))
    submit(client, token)
    with ctx():
        case = latest_case()
        assert bookings_of_room(room_id)[0].status == BookingStatus.CONFIRMED
        assert case.status == CaseStatus.SOLVED and case.decision["outcome"] == "granted"
        assert case.decision["decided_by"] == "Kultur- och fritidsförvaltningen"
    tracking = text_of(client.get(tracking_link(client)))
    assert "Bekräftad" in tracking and "bokning.ics" in tracking


def test_a_request_cancelled_before_the_decision_needs_none(app, client, ctx, room_id):
    submit(client, fill_in(client, room_id, in_days(6)))
    link = tracking_link(client)
    with ctx():
        case_id, booking_id = latest_case().id, bookings_of_room(room_id)[0].id
    post_form(client, f"{link}/avboka", {"booking": booking_id}, page=link)
    admin = login(app, "admin")
    response = decide(admin, case_id, "granted")
    assert response.status_code == 409 and "Ärendet har redan ett beslut eller är avslutat." in text_of(response)
    with ctx():
        assert bookings_of_room(room_id)[0].status == BookingStatus.CANCELLED
        assert db.session.get(Case, case_id).status == CaseStatus.CLOSED


# --- bad input: one message each, at its field, and nothing made ------------------------------------


BAD_INPUT = [
    # (room changes, booking answers (day in days from today, or a weekday 0–6 as "w6"), field, message)
    ({}, {"day": -1}, "day", "Tiden har redan passerat."),
    ({}, {"starts": "14.00", "ends": "12.00"}, "ends", "Sluttiden måste vara efter starttiden."),
    ({}, {"starts": "07.00", "ends": "09.00"}, "starts", "Lokalen är öppen 08.00–22.00 den dagen."),
    ({}, {"starts": "21.00", "ends": "23.00"}, "starts", "Lokalen är öppen 08.00–22.00 den dagen."),
    ({"min_notice_hours": 24 * 10}, {}, "day", "Lokalen måste bokas minst 240 timmar före starttiden."),
    ({}, {"day": 200}, "day", "Lokalen kan bokas högst 180 dagar i förväg."),
    ({}, {"starts": "10.00", "ends": "10.30"}, "ends", "En bokning måste vara minst 60 minuter lång."),
    ({}, {"starts": "10.00", "ends": "15.00"}, "ends", "En bokning får vara högst 240 minuter lång."),
    ({"opening_hours": {k: v for k, v in EVERY_DAY.items() if k != "sun"}}, {"day": "w6"}, "day",
     "Lokalen är stängd den dagen."),
    ({"prices": {"privatperson": 20000}}, {"customer": "foretag"}, "customer_type",
     "Lokalen kan inte bokas av företag."),
    ({}, {"starts": "25.00"}, "starts", "Skriv tiden som timmar och minuter, till exempel 18.00."),
    ({}, {"day": "15/3"}, "day", "Skriv datumet som år-månad-dag, till exempel 2027-01-15."),
    ({}, {"day": ""}, "day", "Skriv vilket datum du vill boka, till exempel 2027-01-15."),
    ({}, {"room": ""}, "room", "Välj vilken lokal du vill boka."),
    ({}, {"weekly": "y", "until": 40}, "weekly", "Bara föreningar kan boka samma tid varje vecka."),
    ({}, {"weekly": "y", "customer": "forening"}, "until", "Skriv sista datum i serien, till exempel 2027-05-31."),
    ({}, {"weekly": "y", "customer": "forening", "until": 8}, "until",
     "Sista datumet i serien måste vara minst en vecka efter det första."),
    ({}, {"weekly": "y", "customer": "forening", "until": 400}, "until",
     "En serie kan vara högst ett år. Välj ett tidigare sista datum."),
]


def bad_answers(room_id, wanted):
    wanted = dict(wanted)
    day = wanted.pop("day", 5)
    if isinstance(day, str) and day.startswith("w"):
        day = next_weekday(int(day[1:]))
    elif isinstance(day, int):
        day = in_days(day)
    answers = booking_answers(room_id, in_days(5), customer=wanted.pop("customer", "privatperson"))
    answers["day"] = day.isoformat() if hasattr(day, "isoformat") else day
    if isinstance(wanted.get("until"), int):
        wanted["until"] = in_days(wanted["until"]).isoformat()
    return {**answers, **wanted}


@pytest.mark.parametrize("changes, wanted, field, message", BAD_INPUT)
def test_each_bad_answer_gets_its_message_at_its_field_and_nothing_is_made(app, client, ctx, changes, wanted,
                                                                           field, message):
    with ctx():
        room_id = add_room(**changes)
        before = counts()
    token = token_of(client)
    response = send_page(client, "bokning", bad_answers(room_id, wanted), token)
    assert response.status_code == 200
    assert field_errors(response) == {field: message}
    assert f'href="#{field}"' in response.get_data(as_text=True)           # the error summary links to it
    assert submit(client, token).location.endswith(BOOKING_URL)            # nothing to send: back to the form
    with ctx():
        assert counts() == before


@pytest.mark.parametrize("wanted, field, message", [
    ({"day": -1}, "day", "That time has already passed."),
    ({"starts": "14.00", "ends": "12.00"}, "ends", "The end time must be after the start time."),
    ({"starts": "07.00", "ends": "09.00"}, "starts", "The room is open 08.00–22.00 that day."),
    ({"weekly": "y", "until": 40}, "weekly", "Only associations can book the same time every week."),
    ({"starts": "25.00"}, "starts", "Enter the time as hours and minutes, for example 18:00."),
])
def test_the_messages_are_in_the_persons_language(client, room_id, wanted, field, message):
    response = send_page(client, "bokning", bad_answers(room_id, wanted),
                         url=f"/en/e-services/{CODE}/step/bokning")
    assert field_errors(response) == {field: message}


def test_a_forening_must_give_its_name(client, room_id):
    token = token_of(client)
    send_page(client, "bokning", booking_answers(room_id, in_days(5), customer="forening"), token)
    response = send_page(client, "kontakt", CONTACT, token)
    assert field_errors(response) == {"organisation": "Skriv föreningens namn."}
    assert send_page(client, "kontakt", {**CONTACT, "organisation": "Sjöbacka IK"}, token).status_code == 302


def test_a_company_named_only_on_the_booking_page_is_asked_for_its_name_when_sending(client, room_id):
    """Who books was changed from check your answers, after the contact page: sending
    asks for the name the contact page did not know it needed."""
    token = fill_in(client, room_id, in_days(5))
    send_page(client, "bokning", booking_answers(room_id, in_days(5), customer="foretag"), token,
              url=f"{BOOKING_URL}?granska=1")
    html = text_of(submit(client, token))
    assert "Ärendet kunde inte skickas" in html and "Skriv företagets namn." in html


def test_a_taken_time_is_refused_at_the_field_with_the_nearest_free_times(app, client, ctx, room_id):
    day = in_days(6)
    with ctx():
        hold(room_id, day, time(10), time(12))
    response = send_page(client, "bokning", booking_answers(room_id, day, starts="11.00", ends="13.00"))
    message = field_errors(response)["starts"]
    assert message.startswith("Tiden är redan bokad. Lediga tider med samma längd: ")
    assert "12.00–14.00" in message


# --- check your answers and a series ------------------------------------------------------------------------


def test_a_series_lists_its_conflicts_before_sending_and_books_only_the_free_dates(app, client, ctx, room_id):
    first = next_weekday(1, after_days=3)                         # a Tuesday
    with ctx():
        hold(room_id, first + timedelta(days=14), time(18), time(19))
    token = fill_in(client, room_id, first, starts="18.00", ends="20.00", customer="forening", weekly="y",
                    until=(first + timedelta(days=35)).isoformat(), contact={"organisation": "Sjöbacka IK"})
    check = text_of(client.get(CHECK_URL))
    assert "1 datum i serien går inte att boka" in check and "Tiden är redan bokad." in check
    assert "5 tillfällen" in check and "500 kr" in check                 # 5 × 2 h × 50 kr
    assert submit(client, token).status_code == 302
    with ctx():
        held = [b for b in bookings_of_room(room_id) if b.customer_type == CustomerType.ASSOCIATION]
        assert [b.starts_at.date() for b in held] == [first + timedelta(days=7 * n) for n in (0, 1, 3, 4, 5)]
        assert len({b.series_id for b in held}) == 1 and all(b.case_id == latest_case().id for b in held)
        assert "Sjöbacka IK" in latest_case().summary
    tracking = words_of(client.get(tracking_link(client)))
    left_out = (first + timedelta(days=14)).day
    assert f"Datum som inte bokades: {left_out} " in tracking and "(Tiden är redan bokad.)" in tracking


def test_a_series_without_a_free_date_is_refused_at_the_field(app, client, ctx, room_id):
    first = next_weekday(1, after_days=3)
    with ctx():
        for week in range(2):
            hold(room_id, first + timedelta(days=7 * week), time(17), time(21))
    response = send_page(client, "bokning", booking_answers(
        room_id, first, starts="18.00", ends="20.00", customer="forening", weekly="y",
        until=(first + timedelta(days=7)).isoformat()))
    assert field_errors(response) == {"until": "Inget av datumen i serien går att boka. Välj en annan tid eller veckodag."}


# --- the time taken at the last moment ---------------------------------------------------------------------------


def test_a_time_taken_before_sending_is_refused_with_links_to_the_nearest_free_times(app, client, ctx, room_id):
    day = in_days(6)
    token = fill_in(client, room_id, day)
    with ctx():
        hold(room_id, day, time(10), time(12))
        before = counts()
    html = text_of(submit(client, token))
    assert "Ärendet kunde inte skickas" in html and "Tiden är redan bokad." in html
    assert f"granska=1&amp;lokal={room_id}&amp;datum={day.isoformat()}&amp;start=12.00&amp;slut=14.00" in html
    with ctx():
        assert counts() == before


def test_a_time_taken_while_sending_rolls_everything_back_and_keeps_the_draft(app, client, ctx, room_id,
                                                                              monkeypatch):
    """Two people passed the checks at once and the other one's booking committed first:
    ``book`` refuses inside SubmitCase's transaction.  No case, reference, booking or
    receipt remains; the draft does, and a suggested time is one click away."""
    day = in_days(6)
    token = fill_in(client, room_id, day)
    with ctx():
        hold(room_id, day, time(10), time(12))
        before = counts()
    monkeypatch.setattr(type(app.extensions["eservices"][CODE]), "check_answers", lambda self, answers: [])
    html = text_of(submit(client, token))
    assert "Tiden hann bokas av någon annan. Här är de närmaste lediga tiderna med samma längd." in html
    links = re.findall(r'<li><a href="([^"]+)">', html.split('class="suggestions"')[1])
    suggestion = next(link for link in links if "start=12.00" in link).replace("&amp;", "&")
    with ctx():
        assert counts() == before
        assert db.session.scalar(select(func.count(FormDraft.id))) == 1
    assert "Bo Berg" in client.get(CHECK_URL).get_data(as_text=True)
    prefilled = client.get(suggestion).get_data(as_text=True)
    assert 'value="12.00"' in prefilled and 'value="14.00"' in prefilled
    monkeypatch.undo()
    chosen = client.post(suggestion, data={"csrf_token": token, **booking_answers(room_id, day, "12.00", "14.00")})
    assert chosen.location.endswith(CHECK_URL)
    assert submit(client, token).status_code == 302
    with ctx():
        assert counts()["cases"] == before["cases"] + 1


class RefusedHalfway(Action):
    """Writes a row, then finds it may not go on."""

    name = "refused_halfway"

    def check(self, target, user, **context):
        pass

    def apply(self, target, user, **context):
        db.session.add(Department(code="HALV", names={"sv": "Halvgjord"}))
        db.session.flush()
        raise ActionRefused("Nej")


def test_a_refusal_from_apply_rolls_back_what_apply_wrote(app):
    with app.app_context():
        with pytest.raises(ActionRefused):
            RefusedHalfway().execute(None, None)
        db.session.commit()          # whatever the caller commits next must not carry the half-made row
        assert db.session.scalar(select(Department).where(Department.code == "HALV")) is None


# --- cancelling, and the calendar file ----------------------------------------------------------------------


def test_a_booking_is_cancelled_through_the_tracking_link_before_the_deadline(app, client, ctx, room_id):
    day = in_days(6)
    submit(client, fill_in(client, room_id, day))
    link = tracking_link(client)
    page = text_of(client.get(link))
    assert "Avboka" in page and f'action="{link}/avboka"' in page
    with ctx():
        booking_id = bookings_of_room(room_id)[0].id
        someone_elses = hold(room_id, day + timedelta(days=1), time(10), time(12))
    other = app.test_client()
    assert post_form(other, f"{link}/avboka", {"booking": someone_elses}, page=link).status_code == 404
    assert post_form(other, f"{link}/avboka", {"booking": "x"}, page=link).status_code == 404
    response = post_form(other, f"{link}/avboka", {"booking": booking_id}, page=link)
    assert response.location.endswith(link)
    with ctx():
        assert [b.status for b in bookings_of_room(room_id)] == [BookingStatus.CANCELLED, BookingStatus.CONFIRMED]
        assert latest_case().status == CaseStatus.CLOSED
    page = text_of(other.get(link))
    assert "Tiden är avbokad." in page and "Avbokad: " in page and f'action="{link}/avboka"' not in page
    again = post_form(other, f"{link}/avboka", {"booking": booking_id}, page=BOOKING_URL)
    assert "Bokningen är redan avbokad eller nekad." in text_of(other.get(again.location))


def test_after_the_deadline_the_button_is_a_message_and_cancelling_is_refused(app, client, ctx):
    with ctx():
        room_id = add_room(min_notice_hours=0, cancel_hours_before=72, auto_approve=True)
    day = in_days(2)
    submit(client, fill_in(client, room_id, day))
    link = tracking_link(client)
    page = text_of(client.get(link))
    assert "Sista dag att avboka här var" in page
    assert f'action="{link}/avboka"' not in page
    with ctx():
        booking_id = bookings_of_room(room_id)[0].id
    response = post_form(client, f"{link}/avboka", {"booking": booking_id}, page=BOOKING_URL)
    assert "Det går inte längre att avboka här" in text_of(client.get(response.location))
    with ctx():
        assert bookings_of_room(room_id)[0].status == BookingStatus.CONFIRMED


def test_a_confirmed_series_downloads_as_one_calendar_file(app, client, ctx):
    with ctx():
        room_id = add_room(auto_approve=True)
    first = next_weekday(3)
    submit(client, fill_in(client, room_id, first, starts="18.00", ends="19.30", customer="forening", weekly="y",
                           until=(first + timedelta(days=14)).isoformat(), contact={"organisation": "Kören"}))
    link = tracking_link(client)
    response = app.test_client().get(f"{link}/bokning.ics")
    assert response.status_code == 200 and response.content_type == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 3 and len({str(event["UID"]) for event in events}) == 3
    start = events[0].decoded("DTSTART").astimezone(availability.LOCAL_ZONE)
    assert (start.date(), start.hour, start.minute) == (first, 18, 0)
    assert str(events[0]["SUMMARY"]) == "Testsalen" and str(events[0]["STATUS"]) == "CONFIRMED"
    assert app.test_client().get("/sv/arende/finns-inte/bokning.ics").status_code == 404


# --- the rooms' admin pages ---------------------------------------------------------------------------------------


def room_form(department_id, **changes):
    values = {"name": "Nya salen", "department": str(department_id), "description": "Ljus sal",
              "address": "Nygatan 2", "capacity": "25", "accessibility": "Hiss", "equipment": "Projektor\nScen\n",
              "min_minutes": "60", "max_minutes": "180", "min_notice_hours": "24", "max_days_ahead": "90",
              "cancel_hours_before": "48", "active": "y", "price_privatperson": "150", "price_forening": "37,50",
              "price_foretag": "", "mon_opens": "8", "mon_closes": "22.00", "sat_opens": "10:00",
              "sat_closes": "24.00"}
    return {**values, **changes}


def department_id(code):
    return db.session.scalar(select(Department.id).where(Department.code == code))


def test_an_administrator_creates_and_changes_a_room(app, ctx):
    admin = login(app, "admin")
    assert "Sjöbackahallen" in admin.get("/sv/hantera-lokaler").get_data(as_text=True)
    with ctx():
        kff = department_id("KFF")
    response = post_form(admin, "/sv/hantera-lokaler/ny", room_form(kff))
    assert response.status_code == 302, field_errors(response)
    with ctx():
        room = db.session.scalar(select(Room).where(Room.name == "Nya salen"))
        assert room.opening_hours == {"mon": ["08:00", "22:00"], "sat": ["10:00", "24:00"]}
        assert room.prices == {"privatperson": 15000, "forening": 3750}
        assert room.equipment == ["Projektor", "Scen"] and room.active and not room.auto_approve
        room_id = room.id
    form = admin.get(f"/sv/hantera-lokaler/{room_id}").get_data(as_text=True)
    assert 'value="37.50"' in form and 'value="08:00"' in form
    response = post_form(admin, f"/sv/hantera-lokaler/{room_id}", room_form(kff, name="Salen", auto_approve="y"))
    with ctx():
        assert db.session.get(Room, room_id).name == "Salen" and db.session.get(Room, room_id).auto_approve
    assert "Salen" in admin.get("/sv/lokaler").get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"mon_closes": "07.00"}, "mon_closes", "Lokalen måste stänga efter att den öppnar (måndag)."),
    ({"mon_closes": ""}, "mon_closes", "Skriv både när lokalen öppnar och stänger på måndag, eller ingen av tiderna."),
    ({"mon_opens": "8.5"}, "mon_opens", "Skriv tiden som timmar och minuter, till exempel 08.00 (måndag)."),
    ({"max_minutes": "30"}, "max_minutes", "Den längsta bokningen kan inte vara kortare än den kortaste."),
    ({"price_privatperson": "", "price_forening": ""}, "price_privatperson", "Ange ett pris för minst en sorts kund."),
    ({"name": ""}, "name", "Skriv lokalens namn."),
])
def test_the_room_form_explains_each_mistake(app, ctx, changes, field, message):
    admin = login(app, "admin")
    with ctx():
        kff = department_id("KFF")
    response = post_form(admin, "/sv/hantera-lokaler/ny", room_form(kff, **changes))
    assert response.status_code == 400 and field_errors(response) == {field: message}


def test_saving_a_room_for_another_forvaltning_is_refused_to_an_officer(app):
    """The action refuses it even when a form would let it through."""
    from eservices.services.lokalbokning.operations import SAVE_ROOM
    from portal.auth.models import User

    with app.app_context():
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        values = {"name": "Smygsalen", "department_id": department_id("KFF")}
        with pytest.raises(ActionRefused):
            SAVE_ROOM.execute(Room(), officer, values=values)
        assert db.session.scalar(select(Room).where(Room.name == "Smygsalen")) is None
        assert SAVE_ROOM.execute(Room(), officer, values={**values, "department_id": department_id("TF")}).id


def test_officers_manage_only_their_forvaltnings_rooms(app, ctx):
    with ctx():
        tf_room, kff_room = add_room(department="TF", name="TF-salen"), add_room()
        kff = department_id("KFF")
    officer = login(app, "officer")
    listed = officer.get("/sv/hantera-lokaler").get_data(as_text=True)
    assert "TF-salen" in listed and "Sjöbackahallen" not in listed
    assert officer.get(f"/sv/hantera-lokaler/{kff_room}").status_code == 403
    assert officer.get(f"/sv/hantera-lokaler/{tf_room}").status_code == 200
    assert post_form(officer, "/sv/hantera-lokaler/ny", room_form(kff), page="/sv/hantera-lokaler/ny").status_code == 400
    assert login(app, "agent").get("/sv/hantera-lokaler").status_code == 403


# --- 50 simultaneous submissions for one slot ----------------------------------------------------------------------


def race_app(folder, url=None):
    """A migrated, empty portal (förvaltning KF only) with a pool for every racer."""
    return prepared_app(folder, url, racers=RACERS)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.skipif(
    not PG_URL, reason="PORTAL_TEST_DATABASE_URL is not set")])])
def racing_app(request, tmp_path):
    app = race_app(tmp_path, request.getfixturevalue("postgres_url") if request.param == "postgres" else None)
    yield app
    with app.app_context():
        db.engine.dispose()


def race(app, racers):
    """``racers`` citizens fill in the form for one slot, then all press Skicka at once.
    Returns their responses and how long the sending took."""
    with app.app_context():
        room_id = add_room(department="KF")
    day = in_days(6)
    clients = [app.test_client() for _n in range(racers)]
    tokens = [fill_in(client, room_id, day, starts="18.00", ends="20.00") for client in clients]
    start = threading.Barrier(racers)

    def send(number):
        start.wait()
        return submit(clients[number], tokens[number])

    began = datetime.now()
    with ThreadPoolExecutor(racers) as pool:
        responses = list(pool.map(send, range(racers)))
    return responses, (datetime.now() - began).total_seconds()


def test_of_50_simultaneous_submissions_for_one_slot_exactly_one_books_it(racing_app, monkeypatch):
    app = racing_app
    by_constraint = []
    is_overlap = booking._is_overlap
    monkeypatch.setattr(booking, "_is_overlap", lambda error: by_constraint.append(1) or is_overlap(error))
    responses, seconds = race(app, RACERS)
    winners = [r for r in responses if r.status_code == 302]
    losers = [text_of(r) for r in responses if r.status_code != 302]
    assert len(winners) == 1, [r.status_code for r in responses]
    assert all('class="suggestions"' in html and "20.00–22.00" in html for html in losers)
    while_sending = sum("Tiden hann bokas av någon annan" in html for html in losers)
    before_sending = sum("Tiden är redan bokad." in html for html in losers)
    assert while_sending + before_sending == RACERS - 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Booking.id))) == 1
        assert db.session.scalar(select(func.count(Case.id))) == 1
        assert db.session.scalar(select(func.count(FormDraft.id))) == RACERS - 1
        assert db.session.scalar(select(CaseCounter.last)) == 1
    print(f"\n{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: {RACERS} submissions in {seconds:.1f} s, "
          f"1 booked, {while_sending} refused while sending (SlotTaken in after_submit, "
          f"{len(by_constraint)} of them by the exclusion constraint), {before_sending} refused by the check before it")


def test_the_race_is_real_without_the_overlap_check(tmp_path, monkeypatch):
    """On SQLite, with ``book``'s look for an overlap taken away, simultaneous submissions
    book one slot several times: the test above would see it."""
    app = race_app(tmp_path)
    monkeypatch.setattr(booking, "_overlaps_a_booking", lambda room_id, slot: False)
    responses, _seconds = race(app, 10)
    with app.app_context():
        assert db.session.scalar(select(func.count(Booking.id))) > 1
        db.engine.dispose()
