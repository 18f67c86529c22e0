"""The contact centre's workspace: a contact logged beside the knowledge base with its
outcome (solved, forwarded with a handover, referred), bad input, a citizen's cases
found by reference, e-mail or phone, the call-back requests and the reception."""
import re

import pytest
from flask_login import login_user
from sqlalchemy import func, select

from content.models import Article, ArticleTranslation
from eservices import registry
from eservices.casework import CALLED_BACK, LOG_CONTACT, OFFICER_ACTIONS, REGISTER_VISIT
from eservices.models import Case, CaseRead, CaseStatus, Channel, NotifyBy, Outcome, phone_key
from portal.actions import ActionRefused
from portal.auth.models import User
from portal.extensions import db
from portal.links import Link, link_to
from portal.mail.models import MailOutbox
from portal.org.models import Department
from tests.conftest import copy_of_demo, csrf_token, post_form
from tests.test_casework import fault_report as citizen_fault_report
from tests.test_citizen_tracking import conversation

WORKSPACE = "/sv/kontakt"
# What a browser sends of the form besides what the agent typed: every select and radio group.
A_CONTACT = {"channel": "telefon", "question_type": "topic:omsorg-och-stod",
             "text": "Frågar hur man ansöker om hemtjänst till sin mamma.\nFick läsa artikeln.",
             "department": "", "authority": "", "notify_by": "page", "lang": "sv"}
HANDOVER = {"department": "SOF", "asked": "Hur man ansöker om hemtjänst för sin mamma.",
            "answered": "Att en biståndshandläggare utreder behovet.",
            "needs": "Ett hembesök av en biståndshandläggare.",
            "reach": "Telefon vardagar efter klockan 15."}


def article_id(slug):
    return db.session.scalar(select(ArticleTranslation.article_id).where(ArticleTranslation.slug == slug))


def newest_case():
    return db.session.scalar(select(Case).order_by(Case.id.desc()))


def case_count():
    return db.session.scalar(select(func.count(Case.id)))


def mails_to(address):
    return db.session.scalars(select(MailOutbox).where(MailOutbox.recipient == address)
                              .order_by(MailOutbox.id)).all()


def log_contact(client, do, **fields):
    return post_form(client, WORKSPACE, {**A_CONTACT, "do": do, **fields})


def text_of(response):
    return response.get_data(as_text=True)


def field_error(html, field_id):
    """The message shown at a field (the error summary links to the same id)."""
    match = re.search(rf'<p class="field-error" id="{field_id}-error">.*?</span>\s*(.*?)</p>', html, re.S)
    return match.group(1) if match else None


@pytest.fixture
def agent(login_as):
    return login_as("agent")


# --- the screen ------------------------------------------------------------------------------
def test_the_workspace_shows_the_knowledge_base_beside_the_contact_form(agent):
    html = text_of(agent.get(f"{WORKSPACE}?q=hemtjänst"))
    assert '<h2 id="knowledge-title">Kunskapsbank</h2>' in html and "träffar</p>" in html
    # each article hit links to the contact with one checkbox, named after the article
    assert re.search(r'<input type="checkbox" name="articles" value="\d+" id="hit-article-\d+"[^>]*> '
                     r'<label for="hit-article-\d+">Koppla till kontakten<span class="visually-hidden">: '
                     r'Hemtjänst</span>', html)
    for name in ("channel", "question_type", "text", "name", "email", "phone", "department", "asked",
                 "answered", "needs", "reach", "authority"):
        assert f'name="{name}"' in html, name
    for outcome in ("solved", "forwarded", "referred"):
        assert f'name="do" value="{outcome}"' in html
    # the search button comes first: Enter in any field searches and never ends the contact
    buttons = re.findall(r'<button type="submit" name="do" value="(\w+)"', html)
    assert buttons[0] == "search"


def test_the_workspace_is_in_english_too(agent):
    html = text_of(agent.get("/en/contact-log?q=home+help"))
    assert "Link to the contact" in html and "Solved at first contact" in html


def test_the_workspace_offers_every_eservice_for_a_caller_or_a_visitor(app, agent):
    html = text_of(agent.get(WORKSPACE))
    with app.app_context():
        services = registry.all_services()
    for service in services:
        first = service.pages[0].name
        assert f'href="/sv/e-tjanster/{service.code}/steg/{first}?kanal=telefon"' in html
        assert f'href="/sv/e-tjanster/{service.code}/steg/{first}?kanal=besok"' in html
    page = "/sv/e-tjanster/bli-uppringd/steg/samtal?kanal=besok"
    response = post_form(agent, page, {"name": "Ada Andersson", "phone": "070-123 45 67", "topic": "Bygglov",
                                       "window": "any"})
    assert response.status_code == 302
    assert post_form(agent, "/sv/e-tjanster/bli-uppringd/granska", {"action": "submit"}).status_code == 302
    with app.app_context():
        case = newest_case()
        assert case.channel == Channel.VISIT and case.created_by.username == "agent"


# --- the outcomes ------------------------------------------------------------------------------
def test_solved_at_first_contact_closes_a_case_that_counts_as_first_contact(app, agent):
    with app.app_context():
        hemtjanst = article_id("hemtjanst")
    response = log_contact(agent, "solved", articles=str(hemtjanst))
    assert response.status_code == 302 and response.location == WORKSPACE
    with app.app_context():
        case = newest_case()
        assert (case.status, case.outcome) == (CaseStatus.CLOSED, Outcome.FIRST_CONTACT)
        assert case.channel == Channel.PHONE and case.created_by.username == "agent"
        assert case.question_type == "topic:omsorg-och-stod" and case.linked_articles == [hemtjanst]
        assert case.title == "Frågar hur man ansöker om hemtjänst till sin mamma."
        assert case.department.code == "KLF" and case.closed_at is not None
        assert re.fullmatch(r"SJB-\d{4}-\d{6}", case.reference)
        reference = case.reference
    assert f"Kontakten är registrerad som {reference}, löst vid första kontakten." in text_of(agent.get(WORKSPACE))


def test_forwarding_hands_the_case_to_the_forvaltning_with_its_handover(app, agent):
    response = log_contact(agent, "forwarded", name="Eva Ek", email="Eva.Ek@example.se", notify_by="email",
                           lang="en", **HANDOVER)
    assert response.status_code == 302
    with app.app_context():
        case = newest_case()
        assert case.status == CaseStatus.FORWARDED and case.department.code == "SOF"
        assert case.handover == {part: HANDOVER[part] for part in ("asked", "answered", "needs", "reach")}
        assert case.assigned_to_id is None and case.outcome is None
        # the förvaltning's clocks start: it should acknowledge within a working day
        assert case.clock_started_at is not None and case.response_due_at > case.clock_started_at
        assert case.solution_due_at is not None
        assert case.contact_email == "Eva.Ek@example.se" and case.notify_by == NotifyBy.EMAIL
        to_department = mails_to("socialtjansten@sjobacka.example")
        assert len(to_department) == 1 and case.reference in to_department[0].subject
        assert f"/sv/handlaggning/{case.id}" in to_department[0].body_text
        assert HANDOVER["needs"] not in to_department[0].body_text   # read behind the login, not in a mailbox
        receipt = mails_to("Eva.Ek@example.se")
        assert len(receipt) == 1 and receipt[0].language == "en"
        assert f"/en/case/{case.tracking_token}" in receipt[0].body_text
        assert [e.kind for e in case.public_events()] == ["received", "forwarded"]
        assert case.public_events()[-1].text == "The case has been sent to Social Services."


def test_the_citizen_reads_which_forvaltning_had_the_forwarded_case_when(app, agent):
    assert log_contact(agent, "forwarded", **HANDOVER).status_code == 302
    with app.app_context(), app.test_request_context():
        case = newest_case()
        OFFICER_ACTIONS["reply"].execute(case, db.session.scalar(select(User).where(User.username == "admin")),
                                         text="Vi ringer dig i morgon.")
        link = f"/sv/arende/{case.tracking_token}"
    assert conversation(agent.get(link)) == [
        "Vi tog emot ärendet Kommunledningsförvaltningen,",
        "Ärendet skickades vidare till Socialförvaltningen Kommunledningsförvaltningen,",
        "Meddelande till dig Socialförvaltningen, Vi ringer dig i morgon."]
    english = agent.get(link.replace("/sv/arende/", "/en/case/")).get_data(as_text=True)
    assert "The case was passed on to Social Services" in english   # in the page's language


def test_a_forward_without_a_way_to_tell_the_citizen_sends_them_nothing(app, agent):
    assert log_contact(agent, "forwarded", **HANDOVER).status_code == 302
    with app.app_context():
        case = newest_case()
        assert case.notify_by == NotifyBy.PAGE
        assert [m.recipient for m in db.session.scalars(select(MailOutbox))] == ["socialtjansten@sjobacka.example"]


def test_referral_closes_the_case_as_referred_to_the_authority(app, agent):
    assert log_contact(agent, "referred", authority="forsakringskassan").status_code == 302
    with app.app_context():
        case = newest_case()
        assert (case.status, case.outcome, case.referred_to) == (
            CaseStatus.CLOSED, Outcome.REFERRED, "forsakringskassan")
        assert case.public_events()[-1].text == "Du har hänvisats till Försäkringskassan."


# --- bad input -------------------------------------------------------------------------------------
def test_a_forward_without_its_handover_says_what_is_missing_and_keeps_everything(app, agent):
    with app.app_context():
        before, hemtjanst = case_count(), article_id("hemtjanst")
    response = log_contact(agent, "forwarded", asked="Hur man ansöker.", name="Eva Ek", articles=str(hemtjanst))
    html = text_of(response)
    assert response.status_code == 400 and "<title>Fel: Registrera kontakt" in html
    assert field_error(html, "department") == "Välj förvaltningen som ska ta över ärendet."
    assert field_error(html, "answered") == "Skriv vad du redan har svarat."
    assert field_error(html, "needs") == "Skriv vad personen behöver."
    assert field_error(html, "reach") == "Skriv hur och när förvaltningen når personen."
    assert field_error(html, "asked") is None
    assert '<a href="#department">Välj förvaltningen som ska ta över ärendet.</a>' in html
    assert "Hur man ansöker.</textarea>" in html and 'value="Eva Ek"' in html
    assert "Frågar hur man ansöker om hemtjänst till sin mamma." in html
    assert f'<input type="checkbox" name="articles" value="{hemtjanst}" id="linked-article-{hemtjanst}" checked>' in html
    with app.app_context():
        assert case_count() == before


def test_a_referral_without_an_authority_is_refused_at_the_field(app, agent):
    with app.app_context():
        before = case_count()
    html = text_of(log_contact(agent, "referred"))
    assert field_error(html, "authority") == "Välj myndigheten du hänvisade till."
    with app.app_context():
        assert case_count() == before


@pytest.mark.parametrize("notify_by, field, message", [
    ("email", "email", "Skriv personens e-postadress, eller välj ett annat sätt att få besked."),
    ("sms", "phone", "Skriv personens mobilnummer, eller välj ett annat sätt att få besked.")])
def test_a_forward_that_should_tell_the_citizen_needs_their_address(agent, notify_by, field, message):
    html = text_of(log_contact(agent, "forwarded", notify_by=notify_by, **HANDOVER))
    assert field_error(html, field) == message


def test_every_contact_needs_its_text_and_type(app, agent):
    html = text_of(post_form(agent, WORKSPACE, {**A_CONTACT, "do": "solved", "question_type": "", "text": ""}))
    assert field_error(html, "text") == "Skriv vad kontakten gällde."
    assert field_error(html, "question_type") == "Välj ett ämne eller en e-tjänst."


def test_searching_again_keeps_the_contact_and_the_ticked_articles(app, agent):
    with app.app_context():
        hemtjanst = article_id("hemtjanst")
    response = log_contact(agent, "search", q="trygghetslarm", articles=str(hemtjanst), name="Eva Ek")
    html = text_of(response)
    assert response.status_code == 200 and "Det finns fel" not in html
    assert "Frågar hur man ansöker om hemtjänst till sin mamma." in html and 'value="Eva Ek"' in html
    assert f'id="linked-article-{hemtjanst}" checked> <label for="linked-article-{hemtjanst}">Hemtjänst</label>' in html
    assert ">Trygghetslarm (öppnas i ny flik)</a>" in html


def test_an_article_already_linked_is_not_offered_again_among_the_hits(app, agent):
    with app.app_context():
        hemtjanst = article_id("hemtjanst")
    html = text_of(log_contact(agent, "search", q="hemtjänst", articles=str(hemtjanst)))
    assert f'id="hit-article-{hemtjanst}"' not in html and "Kopplad till kontakten" in html


def test_a_search_shown_again_after_an_error_is_not_counted_twice(app, agent):
    from portal.search.models import SearchLogEntry

    log_contact(agent, "search", q="trygghetslarm")
    log_contact(agent, "forwarded", q="trygghetslarm")
    with app.app_context():
        assert db.session.scalar(select(func.count(SearchLogEntry.id))) == 1


def test_only_the_contact_centre_logs_contacts(app):
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        with pytest.raises(ActionRefused):   # the action refuses whoever the view would not let in
            LOG_CONTACT.check(None, officer)


# --- the article link through portal.links -----------------------------------------------------
def test_a_linked_article_is_shown_on_the_case_through_the_link_registry(app, agent):
    with app.app_context():
        hemtjanst = article_id("hemtjanst")
    log_contact(agent, "forwarded", articles=str(hemtjanst), **HANDOVER)
    with app.app_context():
        case_id = newest_case().id
    html = text_of(agent.get(f"/sv/handlaggning/{case_id}"))
    assert f'<li><a href="/sv/kunskap/{hemtjanst}">Hemtjänst</a></li>' in html
    assert "Ett hembesök av en biståndshandläggare." in html


def test_the_article_link_kind_gives_the_agents_view_or_nothing(app):
    with app.app_context(), app.test_request_context("/sv/"):
        hemtjanst = article_id("hemtjanst")
        assert link_to("article", hemtjanst) == Link("Hemtjänst", "/sv/artikel/hemtjanst", "sv")
        login_user(db.session.scalar(select(User).where(User.username == "agent")))
        assert link_to("article", hemtjanst) == Link("Hemtjänst", f"/sv/kunskap/{hemtjanst}", "sv")
        assert link_to("article", 999999) is None and link_to("article", "x") is None
        archived = db.session.get(Article, hemtjanst)
        archived.archived_at = archived.created_at
        assert link_to("article", hemtjanst) is None


def test_the_workspace_works_without_the_knowledge_base(demo_template, tmp_path):
    """Without ``content`` there are no articles to find or link: the contact is logged all the same."""
    alone = copy_of_demo(demo_template, tmp_path, PORTAL_MODULES=("eservices",))
    client = alone.test_client()
    post_form(client, "/sv/logga-in", {"username": "agent", "password": "kontaktcenter-demo"})
    assert client.get(f"{WORKSPACE}?q=hemtjänst").status_code == 200
    response = post_form(client, WORKSPACE, {**A_CONTACT, "do": "solved", "articles": "27"})
    assert response.status_code == 302
    with alone.app_context():
        assert newest_case().linked_articles == []   # nothing links an article no domain offers


# --- a citizen's earlier cases ------------------------------------------------------------------
def fault_report(app, email="Bo.Berg@Example.se", phone="070-111 22 33", description="Lampan är släckt."):
    return citizen_fault_report(app, email=email, phone=phone, description=description,
                                address="Storgatan 12 (ring 19121212-1212)")


def confidential_case(reference, phone):
    tf = db.session.scalar(select(Department).where(Department.code == "TF"))
    case = Case(reference=reference, service_code="parkeringstillstand", title="Parkeringstillstånd",
                department_id=tf.id, confidential=True, lang="sv", tracking_token=f"t-{reference}",
                answers={}, contact_phone=phone)
    db.session.add(case)
    db.session.commit()
    return case


@pytest.fixture
def cases(app):
    with app.app_context(), app.test_request_context():
        report = fault_report(app)
        confidential_case("SJB-2026-777777", "+46 70 111 22 33")
        return report.reference


def lookup(client, q):
    return post_form(client, "/sv/kontakt/arenden", {"q": q})


@pytest.mark.parametrize("typed", ["070-111 22 33", "0701112233", "+46701112233", "+46 (0)70-111 22 33",
                                   "0046 70 111 22 33"])
def test_a_phone_number_finds_the_case_however_it_is_written(cases, agent, typed):
    html = text_of(lookup(agent, typed))
    assert f">{cases}</a>" in html and "1 ärende" in html


def test_an_email_address_finds_the_case_without_regard_to_case(cases, agent):
    assert f">{cases}</a>" in text_of(lookup(agent, "  bo.berg@EXAMPLE.se "))


def test_a_reference_finds_exactly_that_case(cases, agent):
    html = text_of(lookup(agent, cases.lower()))
    assert f">{cases}</a>" in html and "1 ärende" in html
    assert "0 ärenden" in text_of(lookup(agent, cases[:-1]))


def test_the_list_shows_no_personnummer_and_lookups_stay_out_of_urls(cases, agent):
    html = text_of(lookup(agent, "070-111 22 33"))
    assert "19121212-1212" not in html and "[personnummer]" in html
    assert '<form method="post" action="/sv/kontakt/arenden"' in html


def test_confidential_cases_are_listed_only_to_their_own_officers(cases, agent, runner, login_as):
    assert "SJB-2026-777777" not in text_of(lookup(agent, "0701112233"))
    assert "SJB-2026-777777" not in text_of(lookup(login_as("admin"), "0701112233"))
    result = runner.invoke(args=["create-user", "agent_tf", "--name", "Agnes Ombud", "--role", "agent",
                                 "--role", "officer:TF", "--password", "kontaktcenter-demo"])
    assert result.exit_code == 0, result.output
    assert "SJB-2026-777777" in text_of(lookup(login_as("agent_tf"), "0701112233"))


def test_something_that_is_no_reference_email_or_phone_says_what_to_type(agent):
    response = lookup(agent, "Bo Berg")
    assert response.status_code == 400
    assert field_error(text_of(response), "q").startswith("Skriv ett helt ärendenummer")


def test_an_agent_reads_a_case_but_cannot_handle_it_and_the_reading_is_recorded(app, cases, agent):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == cases))
        secret = db.session.scalar(select(Case).where(Case.reference == "SJB-2026-777777"))
        case_id, secret_id = case.id, secret.id
    html = text_of(agent.get(f"/sv/handlaggning/{case_id}"))
    assert "Lampan är släckt." in html and 'name="action"' not in html
    assert agent.get(f"/sv/handlaggning/{secret_id}").status_code == 403
    assert post_form(agent, f"/sv/handlaggning/{case_id}/atgard", {"action": "change_status", "status": "open"},
                     page="/sv/kontakt").status_code == 403
    with app.app_context():
        agent_id = db.session.scalar(select(User.id).where(User.username == "agent"))
        assert db.session.scalar(select(func.count(CaseRead.id)).where(
            CaseRead.case_id == case_id, CaseRead.user_id == agent_id)) == 1


def test_phone_keys():
    assert {phone_key(n) for n in ("070-123 45 67", "0701234567", "+46701234567", "+46 (0)70-123 45 67",
                                   "0046 70 123 45 67", "46 70 123 45 67")} == {"0701234567"}
    assert phone_key("+47 22 33 44 55") == "4722334455" and phone_key("") == ""


# --- call-back requests ---------------------------------------------------------------------------
def seen_version(client, case_id):
    """The version of the call-back request as the list shows it (its "Ringt upp – löst" form)."""
    html = text_of(client.get("/sv/kontakt/ring-upp"))
    return re.search(rf'/ring-upp/{case_id}".*?name="seen_version" value="(\d+)"', html, re.S).group(1)


def callback_request(app, client, topic, phone="070-222 33 44"):
    page = "/sv/e-tjanster/bli-uppringd/steg/samtal"
    post_form(client, page, {"name": "Ada Andersson", "phone": phone, "topic": topic, "window": "morning"})
    assert post_form(client, "/sv/e-tjanster/bli-uppringd/granska", {"action": "submit"}).status_code == 302
    with app.app_context():
        return newest_case().id


def test_callbacks_wait_oldest_first_and_a_call_solves_one(app, client, login_as):
    first, second = (callback_request(app, client, topic) for topic in ("Om bygglov", "Om sophämtning"))
    agent = login_as("agent")
    html = text_of(agent.get("/sv/kontakt/ring-upp"))
    assert html.index("Om bygglov") < html.index("Om sophämtning") and "Förmiddag, 8–12" in html
    response = post_form(agent, f"/sv/kontakt/ring-upp/{first}", {"seen_version": seen_version(agent, first)},
                         page="/sv/kontakt/ring-upp")
    assert response.status_code == 302
    html = text_of(agent.get("/sv/kontakt/ring-upp"))
    assert "är löst vid första kontakten" in html and "Om bygglov" not in html and "Om sophämtning" in html
    with app.app_context():
        case = db.session.get(Case, first)
        assert (case.status, case.outcome) == (CaseStatus.SOLVED, Outcome.FIRST_CONTACT)
        assert case.first_response_at is not None and case.assigned_to.username == "agent"
        assert db.session.get(Case, second).status == CaseStatus.NEW


def test_two_agents_calling_back_the_same_request_are_told_it_is_taken(app, client, login_as):
    case_id = callback_request(app, client, "Om bygglov")
    with app.app_context():
        case = db.session.get(Case, case_id)
        agent = db.session.scalar(select(User).where(User.username == "agent"))
        seen = case.version
        CALLED_BACK.execute(case, agent, seen_version=seen)
        with pytest.raises(ActionRefused, match="redan tagit hand om"):
            CALLED_BACK.execute(case, agent, seen_version=seen)


def test_a_callback_forwarded_from_the_list_keeps_its_case(app, client, login_as):
    case_id = callback_request(app, client, "Vill prata om hemtjänst")
    agent = login_as("agent")
    html = text_of(agent.get(f"{WORKSPACE}?uppringning={case_id}"))
    assert "Vill prata om hemtjänst</textarea>" in html and 'value="070-222 33 44"' in html
    assert f'name="callback" type="hidden" value="{case_id}"' in html
    version = re.search(r'name="seen_version" type="hidden" value="(\d+)"', html).group(1)
    token = csrf_token(agent, f"{WORKSPACE}?uppringning={case_id}")
    response = agent.post(WORKSPACE, data={"csrf_token": token, **A_CONTACT, "do": "forwarded", **HANDOVER,
                                           "callback": str(case_id), "seen_version": version})
    assert response.status_code == 302 and response.location == "/sv/kontakt/ring-upp"
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == CaseStatus.FORWARDED and case.department.code == "SOF"
        assert case.service_code == "bli-uppringd" and case.handover["needs"] == HANDOVER["needs"]
        assert "contact" in [e.kind for e in case.events]


def test_a_callback_forward_that_arrives_after_someone_called_is_refused(app, client, login_as):
    case_id = callback_request(app, client, "Om bygglov")
    agent = login_as("agent")
    version = seen_version(agent, case_id)
    token = csrf_token(agent, f"{WORKSPACE}?uppringning={case_id}")
    post_form(agent, f"/sv/kontakt/ring-upp/{case_id}", {"seen_version": version}, page="/sv/kontakt/ring-upp")
    response = agent.post(WORKSPACE, data={"csrf_token": token, **A_CONTACT, "do": "forwarded", **HANDOVER,
                                           "callback": str(case_id), "seen_version": version})
    assert response.status_code == 400
    assert "Någon annan har redan tagit hand om uppringningen." in text_of(response)


# --- the reception -----------------------------------------------------------------------------------
def test_a_visitor_is_registered_and_their_officer_told_in_the_officers_language(app, agent):
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        officer.language = "en"
        db.session.commit()
        choice = f"{officer.grants[0].department_id}:{officer.id}"
    html = text_of(agent.get("/sv/kontakt/reception"))
    assert '<optgroup label="Tekniska förvaltningen">' in html and f'value="{choice}"' in html
    response = post_form(agent, "/sv/kontakt/reception", {"visitor": "Sara Svensson", "officer": choice,
                                                          "note": "Har med sig ritningarna."})
    assert response.status_code == 302
    assert "Hugo Handläggare (Tekniska förvaltningen) har fått veta att Sara Svensson väntar." in text_of(
        agent.get("/sv/kontakt/reception"))
    with app.app_context():
        case = newest_case()
        assert case.channel == Channel.VISIT and case.department.code == "TF"
        assert case.assigned_to.username == "officer" and case.contact_name == "Sara Svensson"
        assert case.status == CaseStatus.OPEN and case.created_by.username == "agent"
        [sent] = mails_to("officer@sjobacka.example")
        assert sent.subject == "A visitor is waiting for you at the reception"
        assert "Sara Svensson is waiting for you at the reception." in sent.body_text
        assert "Har med sig ritningarna." in sent.body_text and f"/en/casework/{case.id}" in sent.body_text


def test_a_visit_needs_a_name_and_an_officer(app, agent):
    with app.app_context():
        before = case_count()
    response = post_form(agent, "/sv/kontakt/reception", {"visitor": " ", "officer": "", "note": "Hej"})
    html = text_of(response)
    assert response.status_code == 400
    assert field_error(html, "visitor") == "Skriv besökarens namn."
    assert field_error(html, "officer") == "Välj handläggaren som besökaren ska träffa."
    assert "Hej</textarea>" in html
    with app.app_context():
        assert case_count() == before


def test_a_visit_for_someone_who_is_no_officer_of_that_forvaltning_is_refused(app):
    with app.app_context(), app.test_request_context():
        agent, editor, officer = (db.session.scalar(select(User).where(User.username == name))
                                  for name in ("agent", "editor", "officer"))
        tf, sof = (db.session.scalar(select(Department).where(Department.code == code)) for code in ("TF", "SOF"))
        for person, department in ((editor, tf), (officer, sof)):
            with pytest.raises(ActionRefused, match="Välj handläggaren"):
                REGISTER_VISIT.execute(None, agent, visitor="Sara", officer=person, department=department)
