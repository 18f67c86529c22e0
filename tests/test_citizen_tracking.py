"""The citizen's side of a case, through the private tracking link: what the page
shows (status, förvaltning, expected date, the messages both ways in order; never an
internal note or an officer's name), a reply with files, reopening a solved case within
``PORTAL_REOPEN_DAYS``, bad input, a wrong link, rate limits, and the mail the citizen
gets, read off a real SMTP server."""
import io
import re

import pytest
import time_machine
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage

from eservices.casework import CITIZEN_ACTIONS, OFFICER_ACTIONS
from eservices.models import Case, CaseFile, CaseStatus, SmsMessage
from portal import mail
from portal.actions import ActionRefused
from portal.auth.models import User
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.org.models import Department
from tests.conftest import CSRF_RE, copy_of_demo, post_form, send_case_action
from tests.test_eservices import APPLICANT, PERMIT, png_upload
from tests.test_uploads import pdf, stored_files

CONTACT = {"name": "Bo Berg", "email": "bo@example.se", "phone": "", "notify_by": "email"}
FAULT = {"fel": {"category": "gatubelysning", "description": "Lampan vid busshållplatsen är släckt."},
         "plats": {"address": "Storgatan 12"}, "kontakt": CONTACT}
# Per language: the e-services' path, the words of the form's addresses, the tracking path.
PATHS = {"sv": ("/sv/e-tjanster", "steg", "granska", "kvitto", "/sv/arende/"),
         "en": ("/en/e-services", "step", "check", "receipt", "/en/case/")}
FORM_PATHS = {"sv": {"reply": "svara", "reopen": "oppna-igen"}, "en": {"reply": "reply", "reopen": "reopen"}}
MONDAY_MORNING = "2027-03-01 08:00:00Z"   # 09.00 in Stockholm


# --- a citizen sends a case; an officer handles it ------------------------------------------
def send_case(client, code="felanmalan", pages=None, lang="sv"):
    """Send ``code``'s form page by page as a citizen does (a page's answers may hold
    files); returns the tracking link from the receipt."""
    base, step, check, receipt, track = PATHS[lang]
    for page, answers in (pages or FAULT).items():
        url = f"{base}/{code}/{step}/{page}"
        token = CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)
        response = client.post(url, data={"csrf_token": token, **answers}, content_type="multipart/form-data")
        assert response.status_code == 302, words(response)
    assert post_form(client, f"{base}/{code}/{check}", {"action": "submit"}).status_code == 302
    html = client.get(f"{base}/{code}/{receipt}").get_data(as_text=True)
    return re.search(rf'href="({track}[^"]+)"', html).group(1)


def send_permit(client, contact=CONTACT):
    """A parkeringstillstånd: confidential, with a personnummer and an answer about health."""
    return send_case(client, "parkeringstillstand", {
        "sokande": APPLICANT, "tillstand": PERMIT, "intyg": {"certificate": png_upload()}, "kontakt": contact})


def token_of(link):
    return link.rsplit("/", 1)[1]


def case_of(link):
    return db.session.scalar(select(Case).where(Case.tracking_token == token_of(link)))


def user(name):
    return db.session.scalar(select(User).where(User.username == name))


def officer_does(ctx, link, action, who="officer", **context):
    with ctx():
        OFFICER_ACTIONS[action].execute(case_of(link), user(who), **context)


def logged_in(app, username="officer"):
    client = browser(app)
    post_form(client, "/sv/logga-in", {"username": username, "password": DEMO_PASSWORD})
    return client


def form_url(link, form):
    return f"{link}/{FORM_PATHS[link.split('/')[1]][form]}"


def send_form(client, link, form, text, files=()):
    """Send the reply or reopen form of the tracking page, with the token its page gave."""
    token = CSRF_RE.search(client.get(link).get_data(as_text=True)).group(1)
    return client.post(form_url(link, form), data={"csrf_token": token, "text": text, "attachments": list(files)},
                       content_type="multipart/form-data")


def words(response):
    """The page's main content as one line of text, without tags."""
    html = response.get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("<main"):html.index("</main>")]).split())
    return re.sub(r" ([.,:])", r"\1", text)


def conversation(response):
    """The lines of the page's timeline, each as text without tags or its Swedish time."""
    html = response.get_data(as_text=True)
    lines = re.findall(r'<li class="conversation-line[^"]*">(.*?)</li>\s*(?=<li class="conversation-line|</ol>)',
                       html, re.S)
    return [" ".join(re.sub(r"<[^>]+>|\d{4}-\d\d-\d\d \d\d:\d\d", " ", line).split()) for line in lines]


def upload(data, name):
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="image/jpeg")


@pytest.fixture
def link(client):
    return send_case(client)


# --- what the page shows ------------------------------------------------------------------------
def test_the_page_shows_the_conversation_in_order_and_never_a_note_or_an_officers_name(app, ctx):
    citizen = app.test_client()
    with time_machine.travel(MONDAY_MORNING, tick=False):
        link = send_case(citizen)
        officer_does(ctx, link, "take")
        officer_does(ctx, link, "reply", text="Vi byter lampan på tisdag.")
        officer_does(ctx, link, "note", text="Elnätsbolaget har ringts upp, intern uppgift.")
        officer_does(ctx, link, "request_information", text="Vilken stolpe gäller det?")
        page = citizen.get(link)
        assert conversation(page) == [
            "Vi tog emot ärendet",
            "Meddelande till dig Tekniska förvaltningen, Vi byter lampan på tisdag.",
            "Vi behöver mer information från dig Tekniska förvaltningen, Vilken stolpe gäller det?"]
        text = words(page)
        assert "Status Väntar på komplettering från dig. Svara på frågan Handläggs av Tekniska förvaltningen" in text
        assert "Beräknas klart Tiden räknas inte medan vi väntar på ditt svar." in text
        assert "intern uppgift" not in text and "Hugo" not in text and "handlägger" not in text

        assert send_form(citizen, link, "reply", "Stolpen vid\nbusshållplatsen.").status_code == 302
        page = citizen.get(link)
    assert conversation(page)[-1] == "Ditt meddelande Stolpen vid busshållplatsen."
    assert "Stolpen vid\nbusshållplatsen." in page.get_data(as_text=True)   # shown as written (pre-line)
    text = words(page)
    assert "Ditt meddelande är skickat." in text
    assert "Status Handläggs Handläggs av Tekniska förvaltningen" in text and "Beräknas klart 8 mars 2027" in text


def test_messages_are_signed_by_the_forvaltning_that_had_the_case_then(client, ctx, link):
    officer_does(ctx, link, "reply", text="Vi tittar på det.")
    with ctx():
        mhf = db.session.scalar(select(Department).where(Department.code == "MHF"))
    officer_does(ctx, link, "reroute", department=mhf, reason="Gäller buller.")
    officer_does(ctx, link, "reply", who="admin", text="Vi tar över.")
    page = client.get(link)
    assert conversation(page)[1:] == [
        "Meddelande till dig Tekniska förvaltningen, Vi tittar på det.",
        "Ärendet flyttades till Miljö- och hälsoskyddsförvaltningen Tekniska förvaltningen,",
        "Meddelande till dig Miljö- och hälsoskyddsförvaltningen, Vi tar över."]
    assert "Handläggs av Miljö- och hälsoskyddsförvaltningen" in words(page) and "buller" not in words(page)


def test_in_english_the_portals_own_lines_are_in_english(client, ctx):
    link = send_case(client, lang="en")
    assert link.startswith("/en/case/")
    officer_does(ctx, link, "solve", text="The lamp is replaced.")
    text = words(client.get(link))
    assert "We received the case" in text and "The case is solved" in text and "The lamp is replaced." in text
    assert "Vi tog emot" not in text and "Has it not been put right?" in text


def test_a_decision_is_shown_with_who_made_it_and_in_the_timeline(app, client):
    link = send_permit(client)
    with app.app_context():
        case_id = case_of(link).id
    send_case_action(logged_in(app), case_id, "decide", outcome="granted", valid_from="2030-01-01",
                     valid_to="2031-12-31", reason="Läkarintyget visar att du uppfyller kraven.")
    page = client.get(link)
    assert "Beslut Ansökan är beviljad. Tillståndet gäller 2030-01-01–2031-12-31." in words(page)
    assert "Beslutet är fattat av Hugo Handläggare" in words(page)
    assert conversation(page) == ["Vi tog emot ärendet",
                                  "Beslut Tekniska förvaltningen, Läkarintyget visar att du uppfyller kraven."]
    assert "19121212-1212" not in words(page) and "Kan gå högst 50 meter." not in words(page)


# --- replying -------------------------------------------------------------------------------------
def test_a_reply_with_files_keeps_them_with_the_message_for_the_officer(app, client, ctx, link):
    officer_does(ctx, link, "request_information", text="Har du en bild?")
    response = send_form(client, link, "reply", "Här är bilden och intyget.",
                         [png_upload("stolpe.png"), FileStorage(io.BytesIO(pdf()), "intyg.pdf")])
    assert response.status_code == 302
    assert conversation(client.get(link))[-1] == (
        f"Ditt meddelande Här är bilden och intyget. stolpe.png (1 kB) intyg.pdf ({-(-len(pdf()) // 1024)} kB)")
    with ctx():
        case = case_of(link)
        message = case.events[-1]
        assert case.status == CaseStatus.OPEN and message.kind == "message_in"
        assert [(f.original_name, f.content_type) for f in message.files] == [
            ("stolpe.png", "image/png"), ("intyg.pdf", "application/pdf")]
        assert all(f in case.files for f in message.files)
        case_id, file_id = case.id, message.files[1].id
    officer = logged_in(app)
    assert "intyg.pdf" in words(officer.get(f"/sv/handlaggning/{case_id}"))
    download = officer.get(f"/sv/handlaggning/{case_id}/fil/{file_id}")
    assert download.status_code == 200 and download.data == pdf()


def test_what_the_citizen_writes_is_not_made_public_through_open311(client, ctx, link):
    officer_does(ctx, link, "reply", text="Vi byter lampan.")
    send_form(client, link, "reply", "Jag heter Bo och bor på Storgatan 12.")
    with ctx():
        reference = case_of(link).reference
    [found] = client.get(f"/open311/v2/requests/{reference}.json").json
    assert found["status_notes"] == "Vi byter lampan."


def test_an_empty_reply_is_refused_at_the_field(client, ctx, link):
    response = send_form(client, link, "reply", "   ")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Fel:" in html
    assert '<a href="#text">Skriv ditt meddelande.</a>' in html and 'aria-invalid="true"' in html
    with ctx():
        assert [e.kind for e in case_of(link).events] == ["received"]


@pytest.mark.parametrize("data, name, message", [
    (b"<html><script>alert(1)</script></html>", "bild.jpg", "bild.jpg: Filen är inte en bild (JPEG, PNG eller WebP) eller en PDF."),
    (b"", "tom.jpg", "tom.jpg: Filen är tom."),
    (b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024), "stor.jpg", "stor.jpg: Filen är större än 10 MB."),
])
def test_a_refused_file_is_named_at_the_field_the_text_stays_and_nothing_is_kept(app, client, ctx, link,
                                                                                   data, name, message):
    before = stored_files(app)
    response = send_form(client, link, "reply", "Se bilderna.", [png_upload("bra.png"), upload(data, name)])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<a href="#attachments">{message}</a>' in html
    assert 'id="attachments-error"' in html and "Meddelandet är inte skickat. Välj filerna igen." in html
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*Se bilderna\.</textarea>', html)
    assert stored_files(app) == before          # not even the good file is left behind
    with ctx():
        assert db.session.scalar(select(func.count()).select_from(CaseFile).where(CaseFile.event_id.is_not(None))) == 0
        assert [e.kind for e in case_of(link).events] == ["received"]


def test_at_most_three_files(client, link):
    response = send_form(client, link, "reply", "Fyra bilder.", [png_upload(f"{n}.png") for n in range(4)])
    assert '<a href="#attachments">Du kan bifoga högst 3 filer.</a>' in response.get_data(as_text=True)


def test_files_too_large_together_give_the_page_with_a_message(app, client, link):
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    response = send_form(client, link, "reply", "Stor.", [upload(b"\xff\xd8\xff" + b"\0" * 50_000, "stor.jpg")])
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert '<a href="#attachments">Filerna var för stora tillsammans.' in html and "Ärende SJB-" in html
    assert response.headers["Cache-Control"] == "no-store"


def test_no_file_is_left_behind_when_the_reply_cannot_be_saved(app, ctx, link):
    """Another change to the case at the same moment: the reply is refused and its files go."""
    before = stored_files(app)
    with ctx(), app.test_request_context("/sv/"):
        case = case_of(link)
        table = Case.__table__           # behind the session's back, as another request would
        db.session.execute(update(table).where(table.c.id == case.id).values(version=table.c.version + 1))
        with pytest.raises(ActionRefused):
            CITIZEN_ACTIONS["citizen_reply"].execute(case, None, text="Hej.", files=[png_upload()])
    assert stored_files(app) == before


def test_a_reply_to_a_closed_case_is_refused_and_the_text_is_shown_to_copy(client, ctx, link):
    page = client.get(link).get_data(as_text=True)            # the form, before the case closed
    officer_does(ctx, link, "close")
    token = CSRF_RE.search(page).group(1)
    response = client.post(form_url(link, "reply"), data={"csrf_token": token, "text": "Hallå? Lampan är släckt."})
    text = words(response)
    assert "Det finns fel i formuläret Ärendet är avslutat." in text
    assert "Det här skrev du. Det är inte skickat, men du kan kopiera det: Hallå? Lampan är släckt." in text
    assert "Skicka meddelandet" not in text and "0480-45 00 00" in text
    assert conversation(response)[-1] == "Ny status: Avslutat Tekniska förvaltningen,"
    with ctx():
        assert "message_in" not in [e.kind for e in case_of(link).events]


def test_a_reply_to_a_solved_case_fills_the_reopen_form(client, ctx, link):
    page = client.get(link).get_data(as_text=True)
    officer_does(ctx, link, "solve", text="Lampan är bytt.")
    token = CSRF_RE.search(page).group(1)
    html = client.post(form_url(link, "reply"), data={"csrf_token": token, "text": "Den lyser inte."}).get_data(
        as_text=True)
    assert re.search(r'action="[^"]*/oppna-igen".*<textarea[^>]*>\s*Den lyser inte\.</textarea>', html, re.S)


# --- reopening ------------------------------------------------------------------------------------
def test_a_solved_case_is_reopened_within_the_window(client, ctx):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        link = send_case(client)
        officer_does(ctx, link, "solve", text="Lampan är bytt.")
    with time_machine.travel("2027-03-15 07:00:00Z", tick=False):    # 14 days less an hour
        page = words(client.get(link))
        assert "Status Klart" in page and "Klart 1 mars 2027" in page and "Skicka meddelandet" not in page
        assert "Finns problemet kvar kan du öppna ärendet igen, senast 2027-03-15 09:00." in page
        assert send_form(client, link, "reopen", "").status_code == 200
        assert send_form(client, link, "reopen", "Den är släckt igen.").status_code == 302
        page = words(client.get(link))
    assert "Ärendet är öppnat igen." in page and "Status Öppnat igen" in page
    assert "Du öppnade ärendet igen" in page and page.endswith(
        "Frågor om ärendet? Ring kontaktcenter på 0480-45 00 00 och uppge ärendenumret.")
    with ctx():
        assert case_of(link).status == CaseStatus.REOPENED


def test_an_empty_reopen_is_refused_at_the_field(client, ctx, link):
    officer_does(ctx, link, "solve", text="Lampan är bytt.")
    html = send_form(client, link, "reopen", "").get_data(as_text=True)
    assert '<a href="#text">Skriv vad som inte är åtgärdat.</a>' in html and "<title>Fel:" in html
    with ctx():
        assert case_of(link).status == CaseStatus.SOLVED


def test_after_the_window_the_button_is_gone_and_the_page_says_how_to_get_in_touch(client, ctx):
    with time_machine.travel(MONDAY_MORNING, tick=False):
        link = send_case(client)
        officer_does(ctx, link, "solve", text="Lampan är bytt.")
    with time_machine.travel("2027-03-15 08:00:01Z", tick=False):    # 14 days and a second
        text = words(client.get(link))
        assert "öppna ärendet igen" not in text and "Skicka meddelandet" not in text
        assert "Ärendet är avslutat och kan inte öppnas igen här. Ring kontaktcenter på 0480-45 00 00" in text
        token = CSRF_RE.search(client.get("/sv/logga-in").get_data(as_text=True)).group(1)   # a stale page's form
        refused = words(client.post(form_url(link, "reopen"), data={"csrf_token": token, "text": "Släckt igen."}))
    assert "Ärendet kan inte öppnas igen. Hör av dig till oss, så hjälper vi dig." in refused
    assert "du kan kopiera det: Släckt igen." in refused
    with ctx():
        assert case_of(link).status == CaseStatus.SOLVED


# --- the link itself ------------------------------------------------------------------------------
def without_reference(response):
    return re.sub(r"Referens: \w+|Reference: \w+", "", words(response))


@pytest.mark.parametrize("lang, path", [("sv", "/sv/arende/"), ("en", "/en/case/")])
def test_a_wrong_token_is_the_404_of_any_unknown_address(client, link, lang, path):
    unknown = client.get(f"/{lang}/finns-inte-alls")
    token = token_of(link)
    wrong = token[:-1] + ("y" if token.endswith("x") else "x")   # one character off, never the right one
    for response in (client.get(f"{path}{wrong}"), client.get(f"{path}finns-inte")):
        assert response.status_code == 404 == unknown.status_code
        assert without_reference(response) == without_reference(unknown)
        assert "X-Robots-Tag" not in response.headers and "Cache-Control" not in response.headers
    for form in ("reply", "reopen"):
        token = CSRF_RE.search(client.get(link).get_data(as_text=True)).group(1)
        response = client.post(f"{path}finns-inte/{FORM_PATHS[lang][form]}", data={"csrf_token": token, "text": "x"})
        assert response.status_code == 404 and without_reference(response) == without_reference(unknown)


def test_the_page_is_neither_cached_nor_indexed(client, link):
    response = client.get(link)
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.get_data(as_text=True)
    refused = send_form(client, link, "reply", "")
    assert refused.headers["Cache-Control"] == "no-store" and refused.headers["X-Robots-Tag"] == "noindex"


def test_the_language_switcher_of_a_refused_form_leads_to_the_tracking_page(client, link):
    html = send_form(client, link, "reply", "").get_data(as_text=True)
    assert f'hreflang="en" href="http://127.0.0.1:5000/en/case/{token_of(link)}"' in html


@pytest.mark.parametrize("app_config", [{"PORTAL_RATELIMIT_ENABLED": True,
                                         "PORTAL_RATELIMIT_PUBLIC_FORMS": "3 per minute"}])
def test_the_forms_and_wrong_links_are_rate_limited(app, client, link):
    """Per address and route; the three pages of the form that sent the case used up one route's posts."""
    assert [client.get(link).status_code for _n in range(5)] == [200] * 5   # reading is never counted
    token = CSRF_RE.search(client.get(link).get_data(as_text=True)).group(1)
    for form in ("reply", "reopen"):
        assert [client.post(form_url(link, form), data={"csrf_token": token, "text": ""}).status_code
                for _n in range(4)] == [200, 200, 200, 429]
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert [guesser.get(f"/sv/arende/gissning-{n}").status_code for n in range(4)] == [404, 404, 404, 429]
    assert guesser.get(link).status_code == 429                              # that address waits a while
    assert client.get(link).status_code == 200


# --- mail to the citizen ---------------------------------------------------------------------------
BASE_URL = "https://portal.sjobacka.example"


@pytest.fixture
def mail_app(demo_template, tmp_path, smtp):
    return copy_of_demo(demo_template, tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                        PORTAL_BASE_URL=BASE_URL)


def browser(app):
    """A client of the HTTPS portal: a browser sends a Referer there, which the CSRF check wants."""
    client = app.test_client()
    client.environ_base["HTTP_REFERER"] = "https://localhost/"
    return client


def bodies(message):
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


# The subject, the message's introduction and the tracking link's path, per language.
REPLY_MAIL = {"sv": ("Nytt meddelande i ditt ärende {}", "Du har fått ett meddelande i ditt ärende {}:", "/sv/arende/"),
              "en": ("New message in your case {}", "You have a message in your case {}:", "/en/case/")}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_officers_reply_reaches_the_citizen_in_the_cases_language_with_the_link(mail_app, smtp, lang):
    link = send_case(browser(mail_app), lang=lang)
    with mail_app.app_context():
        case = case_of(link)
        reference = case.reference
        OFFICER_ACTIONS["reply"].execute(case, user("officer"), text="Vi byter lampan på tisdag.\nHälsningar")
        assert mail.deliver_pending() == 1
    receipt, reply = smtp.messages
    subject, introduction, path = REPLY_MAIL[lang]
    assert reply["To"] == "bo@example.se" and reply["Subject"] == subject.format(reference)
    text, html = bodies(reply)
    for body in (text, html):
        assert introduction.format(reference) in body and f"{BASE_URL}{path}{token_of(link)}" in body
        assert "Vi byter lampan på tisdag." in body
        assert "Storgatan 12" not in body and "Lampan vid busshållplatsen" not in body   # no answers
    assert f'<html lang="{lang}">' in html
    assert f"{BASE_URL}{path}{token_of(link)}" in bodies(receipt)[0]


def test_mail_about_a_confidential_case_holds_no_personnummer_no_answers_and_no_content(mail_app, smtp):
    link = send_permit(browser(mail_app))
    with mail_app.app_context():
        case = case_of(link)
        OFFICER_ACTIONS["reply"].execute(case, user("officer"), text="Intyget saknar läkarens underskrift.")
        OFFICER_ACTIONS["solve"].execute(case, user("officer"), text="Tillståndet är klart att hämta.")
        assert mail.deliver_pending() == 2
    receipt, message, news = smtp.messages
    assert "Ärendet omfattas av sekretess, så meddelandet står bara på ärendets sida." in bodies(message)[0]
    for sent in smtp.messages:
        for body in bodies(sent):
            assert f"{BASE_URL}/sv/arende/{token_of(link)}" in body
            for secret in ("19121212-1212", "121212-1212", "Kan gå högst 50 meter", "Storgatan 1", "intyg.png",
                           "läkarens underskrift", "klart att hämta"):
                assert secret not in body, (sent["Subject"], secret)


def test_a_confidential_decision_mail_says_only_that_there_is_one(mail_app, smtp):
    link = send_permit(browser(mail_app))
    with mail_app.app_context():
        case_id = case_of(link).id
    send_case_action(logged_in(mail_app), case_id, "decide", outcome="denied",
                     reason="Läkarintyget visar inte att du har svårt att gå.")
    decision = smtp.messages[-1]
    assert decision["Subject"].startswith("Beslut i ditt ärende")
    for body in bodies(decision):
        assert "Det finns ett beslut i ditt ärende" in body and f"{BASE_URL}/sv/arende/{token_of(link)}" in body
        assert "avslagen" not in body and "Läkarintyget" not in body


def test_an_sms_about_a_confidential_case_carries_only_the_link(client, ctx):
    link = send_permit(client, {**CONTACT, "notify_by": "sms", "phone": "070-111 22 33"})
    officer_does(ctx, link, "reply", text="Intyget saknar läkarens underskrift.")
    with ctx():
        sms = db.session.scalars(select(SmsMessage).order_by(SmsMessage.id.desc())).first()
        assert sms.text == f"Nytt meddelande i ditt ärende {case_of(link).reference}: " \
                           f"http://127.0.0.1:5000/sv/arende/{token_of(link)}"
