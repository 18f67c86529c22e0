"""The whole loop of a case in Chromium, in Swedish and in English, with axe-core on
every page and every error state: an agent takes a call about a broken street light,
finds the answer in the knowledge base and links it to the contact, tries to forward
it without a handover, then forwards it to Tekniska förvaltningen; the officer finds
it in the queue, reads the handover and the linked article, takes it and replies;
the citizen follows the link in the receipt mail and reads the reply; the officer
solves the case, the citizen reopens it ("Det är inte åtgärdat"), and the queue
shows it reopened.

The test writes cases, so it runs on a portal of its own.
"""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import MailOutbox
from tests.browser.conftest import assert_accessible, press, served, sign_in_at, tab_to, type_into
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser

LANGUAGES = [("sv", "sv-SE"), ("en", "en-GB")]
WORKSPACE = {"sv": "/sv/kontakt", "en": "/en/contact-log"}
QUEUE = {"sv": "/sv/handlaggning", "en": "/en/casework"}
TRACKING = {"sv": "/sv/arende/", "en": "/en/case/"}
REFERENCE = re.compile(r"SJB-\d{4}-\d{6}")

WORDS = {
    "sv": {"query": "gatlampa", "article": "Felanmälan – gator, gatubelysning och parker",
           "link": "Koppla till kontakten", "forward": "Skicka vidare", "department": "Tekniska förvaltningen",
           "contact_centre": "Kommunledningsförvaltningen", "forward_line": "Vidarebefordrat",
           "forward_text": "Ärendet har skickats vidare till Tekniska förvaltningen.",
           "forwarded": "Kontakten är registrerad som", "status_forwarded": "Vidarebefordrat",
           "take": "Ta ärendet", "taken": "Du handlägger nu ärendet.", "send_reply": "Skicka svaret",
           "replied": "Svaret är skickat.", "phone": "Telefon", "solve": "Markera som klart",
           "solved": "Ärendet är klart.", "to_you": "Meddelande till dig", "done": "Klart",
           "reopen": "Det är inte åtgärdat – öppna ärendet igen", "reopened": "Ärendet är öppnat igen.",
           "status_reopened": "Öppnat igen", "channel": "Kanal",
           "errors": {"department": "Välj förvaltningen som ska ta över ärendet.",
                      "asked": "Skriv vad personen frågade.", "answered": "Skriv vad du redan har svarat.",
                      "needs": "Skriv vad personen behöver.",
                      "reach": "Skriv hur och när förvaltningen når personen."}},
    "en": {"query": "streetlight", "article": "Report a fault – streets, street lighting and parks",
           "link": "Link to the contact", "forward": "Forward", "department": "Technical Services",
           "contact_centre": "Municipal Executive Office", "forward_line": "Forwarded",
           "forward_text": "The case has been sent to Technical Services.",
           "forwarded": "The contact is registered as", "status_forwarded": "Forwarded",
           "take": "Take the case", "taken": "You are now handling the case.", "send_reply": "Send the reply",
           "replied": "The reply is sent.", "phone": "Phone", "solve": "Mark as solved",
           "solved": "The case is solved.", "to_you": "Message to you", "done": "Done",
           "reopen": "It has not been put right – reopen the case", "reopened": "The case has been reopened.",
           "status_reopened": "Reopened", "channel": "Channel",
           "errors": {"department": "Choose the department that is to take over the case.",
                      "asked": "Enter what the person asked.", "answered": "Enter what you have already answered.",
                      "needs": "Enter what the person needs.",
                      "reach": "Enter how and when the department can reach the person."}},
}
# The handover as the officer reads it: under these headings, in this order.
HANDOVER_LABELS = {
    "sv": ("Vad frågade invånaren?", "Vad har kontaktcenter redan svarat?", "Vad behöver invånaren?",
           "Hur och när når man invånaren?"),
    "en": ("What did the resident ask?", "What has the contact centre already answered?",
           "What does the resident need?", "How and when can the resident be reached?"),
}
CITIZEN = {"sv": ("Stina Svensson", "stina.svensson@example.se"), "en": ("Emma Evans", "emma.evans@example.com")}
CONTACT_TEXT = "Gatlampan utanför Skolgatan 4 är släckt sedan i måndags."
HANDOVER = {"asked": "Varför gatlampan på Skolgatan 4 är släckt.",
            "answered": "Att vi byter trasiga lampor inom fem arbetsdagar.",
            "needs": "Att lampan byts; det är mörkt vid skolan.",
            "reach": "E-post, eller telefon efter klockan 15."}
REPLY = "Tack för att du hörde av dig. Vi byter lampan på torsdag."
SOLVED = "Lampan är bytt."
NOT_FIXED = "Det är inte åtgärdat"


@pytest.fixture(scope="module")
def portal(demo_template, tmp_path_factory):
    """The demo portal; its public address (the links in mail) is where it is served."""
    app = copy_of_demo(demo_template, tmp_path_factory.mktemp("case-loop"))
    with served(app) as url:
        app.config["PORTAL_BASE_URL"] = url
        yield url, app


def tracking_link_in_receipt(app, address):
    """The tracking link of the receipt mail sent to ``address``, as the citizen reads it."""
    with app.app_context():
        bodies = db.session.scalars(select(MailOutbox.body_text).where(
            MailOutbox.recipient == address, MailOutbox.template == "eservices/mail/receipt")).all()
    assert len(bodies) == 1, f"{len(bodies)} receipts to {address}"
    base = app.config["PORTAL_BASE_URL"]
    link = re.search(re.escape(base) + r"/\S+", bodies[0])
    assert link, f"no link in the receipt:\n{bodies[0]}"
    return link.group(0)


def agent_forwards_a_call(page, base, lang):
    """The agent's part: the workspace, from the search to the forwarded contact.
    Returns the reference the confirmation shows."""
    words, (name, address) = WORDS[lang], CITIZEN[lang]
    sign_in_at(page, f"{base}{WORKSPACE[lang]}", "agent")
    assert_accessible(page)

    type_into(page, "#q", words["query"])                 # the hits come as the agent types
    article_hit = page.locator("#contact-hits .result-title a", has_text=words["article"])
    expect(article_hit).to_be_visible()
    page.keyboard.press("ArrowDown")                       # into the hits …
    expect(page.locator("#contact-hits .result-title a").first).to_be_focused()
    link_box = page.get_by_role("checkbox", name=re.compile(
        rf"^{re.escape(words['link'])}\W+{re.escape(words['article'])}$"))
    tab_to(page, link_box)                                 # … and on with Tab to the article's box
    page.keyboard.press("Space")
    expect(link_box).to_be_checked()
    assert_accessible(page)

    expect(page.locator("#channel")).to_be_checked()       # the first channel, telefon, is chosen
    expect(page.get_by_role("radio", name=words["phone"], exact=True)).to_be_checked()
    page.locator("#question_type").select_option("topic:trafik-och-parkering")
    type_into(page, "#text", CONTACT_TEXT)
    type_into(page, "#name", name)
    type_into(page, "#email", address)
    page.locator("#notify_by").focus()                     # "by e-mail", the first way to hear from us
    page.keyboard.press("Space")
    press(page, words["forward"])                          # without the handover

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    for field, message in words["errors"].items():
        link = summary.get_by_role("link", name=message)
        expect(link).to_have_attribute("href", f"#{field}")
        expect(page.locator(f"#{field}-error")).to_contain_text(message)
    expect(page.locator("#text")).to_have_value(CONTACT_TEXT)  # nothing typed is lost
    expect(page.locator("#name")).to_have_value(name)
    expect(page.locator("#email")).to_have_value(address)
    expect(page.locator("#notify_by")).to_be_checked()
    expect(page.locator("#linked-articles-list input:checked")).to_have_count(1)
    expect(page.locator("#linked-articles-list label")).to_have_text(words["article"])
    assert_accessible(page)
    summary.get_by_role("link", name=words["errors"]["department"]).focus()
    page.keyboard.press("Enter")                           # the summary leads to the field
    expect(page.locator("#department")).to_be_focused()

    page.locator("#department").select_option("TF")
    for field, text in HANDOVER.items():
        type_into(page, f"#{field}", text)
    press(page, words["forward"])
    confirmation = page.locator(".flash-success")
    expect(confirmation).to_contain_text(words["forwarded"])
    expect(confirmation).to_contain_text(words["department"])
    reference = REFERENCE.search(confirmation.inner_text()).group(0)
    assert_accessible(page)
    return reference


def summary_value(page, label):
    """The value beside ``label`` in one of the case page's summary lists."""
    return page.locator(".summary-row", has=page.locator("dt").get_by_text(label, exact=True)).locator("dd")


def queue_row(page, reference):
    return page.locator("tbody tr", has=page.get_by_role("link", name=reference, exact=True))


def officer_opens_from_the_queue(page, base, lang, reference):
    words = WORDS[lang]
    sign_in_at(page, f"{base}{QUEUE[lang]}", "officer")
    row = queue_row(page, reference)
    expect(row).to_contain_text(words["status_forwarded"])
    assert_accessible(page)
    with page.expect_navigation():
        row.get_by_role("link", name=reference, exact=True).focus()
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    assert_accessible(page)


@pytest.mark.parametrize(("lang", "browser_locale"), LANGUAGES)
def test_a_call_becomes_a_case_that_is_answered_solved_and_reopened(new_page, portal, lang):
    base, app = portal
    words, (name, address) = WORDS[lang], CITIZEN[lang]
    agent, officer, citizen = new_page(), new_page(), new_page()

    reference = agent_forwards_a_call(agent, base, lang)

    officer_opens_from_the_queue(officer, base, lang, reference)
    for label, text in zip(HANDOVER_LABELS[lang], HANDOVER.values()):   # what the agent handed over
        expect(summary_value(officer, label)).to_have_text(text)
    expect(summary_value(officer, words["channel"])).to_contain_text(words["phone"])
    expect(officer.locator("main")).to_contain_text(CONTACT_TEXT)
    forward_line = officer.locator(".timeline-table tbody tr", has_text=words["forward_text"])
    expect(forward_line.locator("td strong")).to_have_text(words["forward_line"])  # not a bare "Händelse"
    expect(officer.get_by_role("link", name=words["article"], exact=True)).to_be_visible()
    expect(officer.locator("main")).to_contain_text(name)
    expect(officer.locator("main")).to_contain_text(address)
    press(officer, words["take"])
    expect(officer.locator(".flash-success")).to_have_text(words["taken"])
    type_into(officer, "#reply-text", REPLY)
    press(officer, words["send_reply"])
    expect(officer.locator(".flash-success")).to_have_text(words["replied"])

    tracking = tracking_link_in_receipt(app, address)
    assert tracking.startswith(f"{base}{TRACKING[lang]}"), tracking
    citizen.goto(tracking)
    expect(citizen.get_by_role("heading", level=1)).to_contain_text(reference)
    lines = citizen.locator(".conversation-line")
    expect(lines).to_have_count(3)                         # received, forwarded, the reply
    for line in (lines.nth(0), lines.nth(1)):             # signed by who had the case then
        expect(line.locator(".muted")).to_contain_text(words["contact_centre"])
    reply = lines.nth(2)
    expect(reply).to_contain_text(REPLY)
    expect(reply.get_by_role("heading")).to_have_text(words["to_you"])
    expect(reply).to_contain_text(words["department"])   # signed by the förvaltning
    expect(citizen.locator("main")).not_to_contain_text(HANDOVER["answered"])  # the handover is internal
    assert_accessible(citizen)

    type_into(officer, "#solve-text", SOLVED)
    press(officer, words["solve"])
    expect(officer.locator(".flash-success")).to_have_text(words["solved"])

    citizen.reload()
    expect(citizen.locator(".summary-list")).to_contain_text(words["done"])
    expect(citizen.locator(".conversation-line", has_text=SOLVED)).to_be_visible()
    type_into(citizen, "textarea[name=text]", NOT_FIXED)
    press(citizen, words["reopen"])
    expect(citizen.locator(".flash-success")).to_contain_text(words["reopened"])
    expect(citizen.locator(".summary-list")).to_contain_text(words["status_reopened"])
    expect(citizen.locator(".conversation-line.from-you", has_text=NOT_FIXED)).to_be_visible()
    assert_accessible(citizen)

    officer.goto(f"{base}{QUEUE[lang]}")
    expect(queue_row(officer, reference)).to_contain_text(words["status_reopened"])
    assert_accessible(officer)
