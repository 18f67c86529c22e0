"""The e-service framework as citizens and case officers use it: the form page by
page, check your answers, the case and its reference, the receipt, tracking,
saving for later, and the officer's decision."""
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from eservices.models import Case, CaseRead, CaseStatus, FormDraft, SmsMessage
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.mail.models import MailOutbox
from tests.conftest import CSRF_RE, post_form, send_case_action

CALLBACK = {"name": "Anna Andersson", "phone": "070-123 45 67", "topic": "Fråga om bygglov",
            "window": "morning"}
APPLICANT = {"name": "Bo Berg", "personnummer": "19121212-1212", "street": "Storgatan 1",
             "postcode": "123 45", "city": "Sjöbacka"}
PERMIT = {"role": "driver", "impairment": "Kan gå högst 50 meter.", "valid_from": "2030-01-01",
          "valid_to": "2031-12-31"}
CONTACT = {"name": "Bo Berg", "email": "bo@example.se", "phone": "", "notify_by": "email"}


def png_upload(name="intyg.png", size=(40, 30)):
    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, "PNG")
    data.seek(0)
    return FileStorage(stream=data, filename=name, content_type="image/png")


def step(client, code, page, answers, files=None):
    url = f"/sv/e-tjanster/{code}/steg/{page}"
    token = CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, **answers, **(files or {})},
                       content_type="multipart/form-data" if files else None)


def submit(client, code):
    return post_form(client, f"/sv/e-tjanster/{code}/granska", {"action": "submit"})


def tracking_link(client, code):
    html = client.get(f"/sv/e-tjanster/{code}/kvitto").get_data(as_text=True)
    return re.search(r'class="reference">([A-Z]+-\d{4}-\d{6})<', html).group(1), \
        re.search(r'href="(/sv/arende/[^"]+)"', html).group(1)


def apply_for_permit(client):
    step(client, "parkeringstillstand", "sokande", APPLICANT)
    step(client, "parkeringstillstand", "tillstand", PERMIT)
    step(client, "parkeringstillstand", "intyg", {}, {"certificate": png_upload()})
    step(client, "parkeringstillstand", "kontakt", CONTACT)
    return submit(client, "parkeringstillstand")


def test_the_catalogue_and_the_start_page_list_every_service(client):
    catalogue = client.get("/sv/e-tjanster").get_data(as_text=True)
    for title in ("Bli uppringd", "Felanmälan", "Boka lokal", "Ansök om parkeringstillstånd"):
        assert title in catalogue
    assert "Request a call back" in client.get("/en/").get_data(as_text=True)
    landing = client.get("/sv/e-tjanster/bli-uppringd").get_data(as_text=True)
    assert 'href="/sv/e-tjanster/bli-uppringd/steg/samtal"' in landing and "Starta e-tjänsten" in landing


def test_a_callback_request_becomes_a_case_the_citizen_can_follow(app, client, ctx):
    assert step(client, "bli-uppringd", "samtal", CALLBACK).status_code == 302
    check = client.get("/sv/e-tjanster/bli-uppringd/granska").get_data(as_text=True)
    assert "Anna Andersson" in check and "Förmiddag, 8–12" in check
    assert submit(client, "bli-uppringd").status_code == 302
    reference, link = tracking_link(client, "bli-uppringd")
    assert re.fullmatch(r"SJB-\d{4}-\d{6}", reference)
    with ctx():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        assert case.department.code == "KLF" and case.channel == "webb" and case.due_on
        assert case.answers["samtal"]["phone"] == "070-123 45 67"
        assert db.session.scalar(select(func.count()).select_from(FormDraft)) == 0
    page = app.test_client().get(link)   # another device, with only the link
    assert page.status_code == 200 and reference in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_references_follow_each_other_and_are_never_reused(client, ctx):
    references = []
    for _n in range(3):
        step(client, "bli-uppringd", "samtal", CALLBACK)
        submit(client, "bli-uppringd")
        references.append(tracking_link(client, "bli-uppringd")[0])
    numbers = [int(reference[-6:]) for reference in references]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_a_page_with_mistakes_keeps_what_was_typed(client):
    html = step(client, "parkeringstillstand", "sokande",
                {**APPLICANT, "personnummer": "19121212-1213"}).get_data(as_text=True)
    assert "Personnumret stämmer inte" in html and 'href="#personnummer"' in html
    assert 'value="Storgatan 1"' in html and 'value="19121212-1213"' in html
    assert "<title>Fel:" in html


@pytest.mark.parametrize("answers, message", [
    ({"valid_from": "2001-01-01"}, "Datumet har redan varit"),
    ({"valid_to": "2029-12-31"}, "Slutdatumet måste ligga efter startdatumet"),
    ({"valid_to": "2040-01-01"}, "högst fem år"),
])
def test_permit_dates_are_checked(client, answers, message):
    html = step(client, "parkeringstillstand", "tillstand", {**PERMIT, **answers}).get_data(as_text=True)
    assert message in html


def test_a_certificate_is_required(client):
    step(client, "parkeringstillstand", "sokande", APPLICANT)
    step(client, "parkeringstillstand", "tillstand", PERMIT)
    html = step(client, "parkeringstillstand", "intyg", {}).get_data(as_text=True)
    assert "Bifoga minst en fil." in html and 'href="#certificate"' in html


def test_uploaded_files_are_kept_when_the_page_has_another_mistake(client):
    step(client, "parkeringstillstand", "sokande", APPLICANT)
    step(client, "parkeringstillstand", "tillstand", PERMIT)
    html = step(client, "parkeringstillstand", "intyg", {},
                {"certificate": png_upload("mitt-intyg.png"), "photo": io.BytesIO(b"")}).get_data(as_text=True)
    assert "mitt-intyg.png" in client.get("/sv/e-tjanster/parkeringstillstand/steg/intyg").get_data(as_text=True)
    assert html


def test_contact_by_email_needs_an_address(client):
    html = step(client, "parkeringstillstand", "kontakt", {**CONTACT, "email": ""}).get_data(as_text=True)
    assert "Skriv din e-postadress" in html


def test_a_permit_case_is_confidential_and_the_officer_decides_it(app, client, ctx, login_as):
    assert apply_for_permit(client).status_code == 302
    reference, link = tracking_link(client, "parkeringstillstand")
    with ctx():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        case_id = case.id
        assert case.confidential and len(case.files) == 1
        receipt = db.session.scalars(select(MailOutbox).order_by(MailOutbox.id.desc())).first()
        assert receipt.recipient == "bo@example.se" and reference in receipt.subject

    admin = app.test_client()
    post_form(admin, "/sv/logga-in", {"username": "admin", "password": DEMO_PASSWORD})
    assert admin.get(f"/sv/handlaggning/{case_id}").status_code == 403

    officer = login_as("officer")
    page = officer.get(f"/sv/handlaggning/{case_id}").get_data(as_text=True)
    assert "19121212-1212" in page and "Kan gå högst 50 meter." in page
    send_case_action(officer, case_id, "decide", outcome="granted", valid_from="2030-01-01", valid_to="2031-12-31",
                reason="Läkarintyget visar att du uppfyller kraven.")
    with ctx():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.SOLVED and case.decision["outcome"] == "granted"
        assert db.session.scalar(select(func.count()).select_from(CaseRead).where(
            CaseRead.case_id == case_id)) >= 1
        decision_mail = db.session.scalars(select(MailOutbox).order_by(MailOutbox.id.desc())).first()
        assert "Beslut" in decision_mail.subject
    tracking = app.test_client().get(link).get_data(as_text=True)
    assert "Ansökan är beviljad." in tracking and "2030-01-01" in tracking


def test_a_decision_needs_its_dates_when_granted(client, login_as, ctx):
    apply_for_permit(client)
    with ctx():
        case_id = db.session.scalar(select(Case.id).order_by(Case.id.desc()))
    officer = login_as("officer")
    response = send_case_action(officer, case_id, "decide", outcome="granted", reason="Ok.")
    assert response.status_code == 400 and "Ange mellan vilka datum" in response.get_data(as_text=True)


def test_sms_is_queued_when_the_citizen_chose_sms(client, ctx):
    step(client, "parkeringstillstand", "sokande", APPLICANT)
    step(client, "parkeringstillstand", "tillstand", PERMIT)
    step(client, "parkeringstillstand", "intyg", {}, {"certificate": png_upload()})
    step(client, "parkeringstillstand", "kontakt", {**CONTACT, "notify_by": "sms", "phone": "070-111 22 33"})
    submit(client, "parkeringstillstand")
    with ctx():
        sms = db.session.scalars(select(SmsMessage)).one()
        assert sms.to == "070-111 22 33" and "SJB-" in sms.text and "/sv/arende/" in sms.text


def test_a_saved_form_is_resumed_through_its_private_link(app, client):
    step(client, "parkeringstillstand", "sokande", APPLICANT)
    saved = post_form(client, "/sv/e-tjanster/parkeringstillstand/spara", {"action": "save"},
                      page="/sv/e-tjanster/parkeringstillstand/steg/tillstand").get_data(as_text=True)
    link = re.search(r'href="http://127\.0\.0\.1:5000(/sv/fortsatt/[^"]+)"', saved).group(1)
    other = app.test_client()
    other.get(link)
    html = other.get("/sv/e-tjanster/parkeringstillstand/steg/sokande").get_data(as_text=True)
    assert 'value="Bo Berg"' in html


def test_changing_an_answer_returns_to_check_your_answers(client):
    step(client, "bli-uppringd", "samtal", CALLBACK)
    response = client.post("/sv/e-tjanster/bli-uppringd/steg/samtal?granska=1", data={
        "csrf_token": CSRF_RE.search(client.get("/sv/e-tjanster/bli-uppringd/steg/samtal").get_data(
            as_text=True)).group(1), **CALLBACK, "topic": "Ny fråga"})
    assert response.location.endswith("/sv/e-tjanster/bli-uppringd/granska")
    assert "Ny fråga" in client.get(response.location).get_data(as_text=True)


def test_files_too_large_together_show_the_page_again_with_a_message(app, client):
    step(client, "parkeringstillstand", "sokande", APPLICANT)
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    big = FileStorage(stream=io.BytesIO(b"x" * 50_000), filename="stort.png", content_type="image/png")
    response = step(client, "parkeringstillstand", "intyg", {}, {"certificate": big})
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Filerna var för stora tillsammans" in html and "<h1>Läkarintyg och foto</h1>" in html
    assert 'value="Bo Berg"' in client.get("/sv/e-tjanster/parkeringstillstand/steg/sokande").get_data(as_text=True)
