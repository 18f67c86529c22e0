"""An editor's whole day with one article, through the real pages: write, preview,
save, send for review; an admin publishes; citizens and agents read it; the
editor revises, compares and reverts; the publication dates in the form take
effect on the public page.

The live server is shared by all browser tests, so each article gets a title
of its own.
"""
import re
import secrets
import string
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import follow, login

pytestmark = pytest.mark.browser

SCRIPT = "Fråga först om personen redan har ett tillstånd."
CHECKLIST = ["Personnummer", "Läkarintyg"]
NOTES = "Ärenden som gäller företag skickas till handläggaren."


def unique_word():
    """A word no other article has (letters only, so that search sees one word)."""
    return "".join(secrets.choice(string.ascii_lowercase) for _letter in range(12))


def unique_title():
    return f"Provartikel {unique_word()}"


def slug_of(title):
    return title.lower().replace(" ", "-")


def swedish_text(page):
    return page.get_by_role("group", name="Svenska", exact=True)


def flash(page):
    return page.locator(".flash-messages")


def write_article(page, title, summary, body, *, notes=NOTES, publish_at=None):
    """Fill in the new-article form by its labels, as an editor would; returns the form page."""
    follow(page, page.get_by_role("link", name="Skriv ny artikel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny artikel")
    text = swedish_text(page)
    text.get_by_label("Rubrik").fill(title)
    text.get_by_label("Sammanfattning").fill(summary)
    text.get_by_label("Brödtext (Markdown)").fill(body)
    text.get_by_label("Sökord och synonymer").fill("provord, testord")
    page.get_by_label("Förvaltning", exact=True).select_option(label="Tekniska förvaltningen")
    topic = page.get_by_role("checkbox", name="Trafik och parkering")
    topic.press("Space")
    expect(topic).to_be_checked()
    page.get_by_label("Telefon").fill("0480-45 00 00")
    page.get_by_label("E-post").fill("tekniska@sjobacka.example")
    page.get_by_label("ROSA-nivå").select_option(label="2 – Vägledning")
    page.get_by_label("Talmanus (Markdown)").fill(SCRIPT)
    page.get_by_label("Jag har granskat talmanuset i dag").check()
    page.get_by_label("Checklista (en punkt per rad)").fill("\n".join(CHECKLIST))
    page.get_by_label("Jag har granskat checklistan i dag").check()
    page.get_by_label("Interna anteckningar (Markdown)").fill(notes)
    page.get_by_label("Jag har granskat de interna anteckningarna i dag").check()
    if publish_at:
        page.get_by_label("Publicera från").fill(publish_at)
    page.get_by_label("Kommentar till versionen").fill("Första versionen")
    return page


def save_draft(page, version):
    response = follow(page, page.get_by_role("button", name="Spara utkast"))
    assert response.status == 200
    expect(flash(page)).to_contain_text(f"Utkastet är sparat (version {version}).")
    assert re.search(r"/sv/redaktion/\d+$", page.url), page.url


def act(page, button, done, confirm=None):
    """A workflow button, the answer to its question (``confirm``: the yes-button's
    name) if it asks one, and the message that follows."""
    follow(page, page.get_by_role("button", name=button))
    if confirm:
        follow(page, page.get_by_role("button", name=confirm))
    expect(flash(page)).to_have_text(f"Klart: {done}.")


def status(page):
    return page.locator("main .tag").first


def approve_as_admin(admin, base_url, title):
    """The admin finds the article waiting on the dashboard and publishes it."""
    admin.goto(f"{base_url}/sv/redaktion")
    waiting = admin.locator("h2:has-text('Väntar på ditt godkännande') + table")
    follow(admin, waiting.get_by_role("link", name=title))
    act(admin, "Godkänn och publicera", "godkänd")


def as_citizen(new_page, url):
    """A citizen opens ``url``: not logged in, and nothing in the browser's cache
    (public pages may be kept for a minute, which would hide what the server sends)."""
    citizen = new_page()
    return citizen, citizen.goto(url)


def wait_for_search(page, url, title, found=True):
    """Search until the hits do (or do not) include ``title``: the index follows
    the database just after each request."""
    for _attempt in range(40):
        page.goto(url)
        if (title in page.locator("ol.results .result-title").all_inner_texts()) == found:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{title!r} {'never' if found else 'still'} found by {url}")


def datetime_local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_editor_writes_article_admin_publishes_citizen_and_agent_read_it(live_server, new_page):
    base = live_server
    title = unique_title()
    url = f"{base}/sv/artikel/{slug_of(title)}"
    secret = unique_word()
    notes = f"{NOTES} Kodord: {secret}."
    summary = "Så här ansöker du om provtillstånd."
    body = "## Så gör du\n\n- Fyll i blanketten\n- Skicka in den **i tid**\n"
    editor, admin, agent = new_page(), new_page(), new_page()

    # The editor writes the article and previews it: nothing is saved yet.
    login(editor, base, "editor")
    editor.goto(f"{base}/sv/redaktion")
    write_article(editor, title, summary, body, notes=notes)
    follow(editor, editor.get_by_role("button", name="Förhandsgranska"))
    preview = editor.get_by_role("region", name="Förhandsgranskning")
    expect(preview.get_by_role("heading", name="Så gör du")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("i tid")
    assert editor.url.endswith("/sv/redaktion/ny")
    expect(swedish_text(editor).get_by_label("Rubrik")).to_have_value(title)
    expect(editor.get_by_label("Talmanus (Markdown)")).to_have_value(SCRIPT)
    assert as_citizen(new_page, url)[1].status == 404

    # Saved as a draft, then sent for review; the author cannot approve it.
    save_draft(editor, 1)
    edit_url = editor.url
    expect(status(editor)).to_have_text("Utkast")
    act(editor, "Skicka på granskning", "skickad på granskning")
    expect(status(editor)).to_have_text("Granskas")
    expect(editor.get_by_role("button", name="Godkänn och publicera")).to_have_count(0)
    assert as_citizen(new_page, url)[1].status == 404

    # Another person allowed to approve (the admin; the editor is TF's only one) publishes.
    login(admin, base, "admin")
    approve_as_admin(admin, base, title)
    expect(status(admin)).to_have_text("Publicerad")

    # The citizen sees the public text and none of the agent layer.
    citizen, response = as_citizen(new_page, url)
    assert response.status == 200
    expect(citizen.get_by_role("heading", level=1)).to_have_text(title)
    expect(citizen.locator(".lead")).to_have_text(summary)
    expect(citizen.get_by_role("heading", name="Så gör du")).to_be_visible()
    html = citizen.content()
    for internal in (SCRIPT, notes, *CHECKLIST):
        assert internal not in html, f"the agent layer leaks to citizens: {internal!r}"
    expect(citizen.get_by_role("link", name="Visa med interna anteckningar")).to_have_count(0)
    citizen.goto(f"{base}/sv/amne/trafik-och-parkering")
    expect(citizen.get_by_role("link", name=title)).to_be_visible()
    # Search finds it by its title, but never by the words of the agent layer.
    wait_for_search(citizen, f"{base}/sv/sok?q={title.split()[1]}", title)
    citizen.goto(f"{base}/sv/sok?q={secret}")
    expect(citizen.locator("ol.results .result-title")).to_have_count(0)

    # The agent opens the same article with the agent layer.
    login(agent, base, "agent")
    agent.goto(url)
    follow(agent, agent.get_by_role("link", name="Visa med interna anteckningar"))
    layer = agent.get_by_role("region", name="Internt för kontaktcenter")
    expect(layer).to_contain_text(SCRIPT)
    expect(layer).to_contain_text(notes)
    for item in CHECKLIST:
        expect(layer.get_by_role("listitem").filter(has_text=item)).to_be_visible()
    expect(layer).to_contain_text(f"Granskad: {datetime.now():%Y-%m-%d}")
    expect(agent.locator("#answer-text")).to_contain_text(summary)   # with the key facts
    wait_for_search(agent, f"{base}/sv/sok?q={secret}&scope=agent", title)

    # The editor revises the live article: a working copy, the live text stays.
    new_summary = "Så här ansöker du om provtillstånd via e-tjänsten."
    editor.goto(edit_url)
    expect(swedish_text(editor).get_by_label("Sammanfattning")).to_have_value(summary)
    swedish_text(editor).get_by_label("Sammanfattning").fill(new_summary)
    editor.get_by_label("Kommentar till versionen").fill("Nämner e-tjänsten")
    save_draft(editor, 2)
    expect(editor.locator("main .tag").nth(1)).to_have_text("+ ändringar")
    citizen, _ = as_citizen(new_page, url)
    expect(citizen.locator(".lead")).to_have_text(summary)
    act(editor, "Skicka på granskning", "skickad på granskning")
    citizen, _ = as_citizen(new_page, url)
    expect(citizen.locator(".lead")).to_have_text(summary)

    approve_as_admin(admin, base, title)
    citizen, _ = as_citizen(new_page, url)
    expect(citizen.locator(".lead")).to_have_text(new_summary)

    # History: the diff between versions 1 and 2 shows what changed, and how.
    editor.goto(edit_url)
    follow(editor, editor.get_by_role("link", name="Historik och jämförelse"))
    editor.get_by_label("Jämför från version 1").check()
    editor.get_by_label("Jämför till version 2").check()
    follow(editor, editor.get_by_role("button", name="Jämför valda versioner"))
    expect(editor.get_by_role("heading", level=1)).to_have_text("Jämför version 1 och 2")
    expect(editor.get_by_role("heading", name="Sammanfattning (sv)")).to_be_visible()
    expect(editor.locator("del")).to_have_text(f"Borttaget: {summary}")
    expect(editor.locator("ins")).to_have_text(f"Tillagt: {new_summary}")
    expect(editor.get_by_role("heading", name="Rubrik (sv)")).to_have_count(0)

    # Revert to version 1: a new version 3 (a draft); the published text stays.
    follow(editor, editor.get_by_role("link", name="Tillbaka till historiken"))
    follow(editor, editor.get_by_role("button", name="Återställ version 1"))
    expect(flash(editor)).to_have_text("Artikeln är återställd till version 1 som ett nytt utkast.")
    rows = editor.get_by_role("table").first.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first.locator("td").first).to_have_text("3")
    expect(rows.first).to_contain_text("Återställd till version 1")
    workflow = editor.get_by_role("table").nth(1)
    expect(workflow.get_by_role("cell", name="Skickad på granskning (v2)")).to_be_visible()
    expect(workflow.get_by_role("cell", name="Godkänd och publicerad (v2)")).to_be_visible()
    expect(workflow).not_to_contain_text("submitted")
    follow(editor, editor.get_by_role("button", name="Jämför valda versioner"))
    expect(editor.get_by_role("heading", level=1)).to_have_text("Jämför version 2 och 3")
    expect(editor.locator("ins")).to_have_text(f"Tillagt: {summary}")
    editor.goto(edit_url)
    expect(swedish_text(editor).get_by_label("Sammanfattning")).to_have_value(summary)
    citizen, _ = as_citizen(new_page, url)
    expect(citizen.locator(".lead")).to_have_text(new_summary)


def test_publication_dates_in_the_form_decide_what_citizens_see(live_server, new_page):
    base = live_server
    title = unique_title()
    url = f"{base}/sv/artikel/{slug_of(title)}"
    editor, admin = new_page(), new_page()
    # A day's margin either way: the form's times must not depend on the time zone.
    tomorrow = datetime_local(datetime.now() + timedelta(days=1))
    yesterday = datetime_local(datetime.now() - timedelta(days=1))

    # Publish from tomorrow: approved, but scheduled, and not public yet.
    login(editor, base, "editor")
    editor.goto(f"{base}/sv/redaktion")
    write_article(editor, title, "Tidsstyrd provtext.", "Brödtext om tider.", publish_at=tomorrow)
    save_draft(editor, 1)
    edit_url = editor.url
    expect(editor.get_by_label("Publicera från")).to_have_value(tomorrow)
    act(editor, "Skicka på granskning", "skickad på granskning")
    login(admin, base, "admin")
    approve_as_admin(admin, base, title)
    expect(status(admin)).to_have_text("Schemalagd")
    assert as_citizen(new_page, url)[1].status == 404

    # An end before the start is refused at the field.
    editor.goto(edit_url)
    editor.get_by_label("Avpublicera").fill(yesterday)
    follow(editor, editor.get_by_role("button", name="Spara utkast"))
    expect(editor.locator(".error-summary")).to_contain_text("Avpubliceringen måste ligga efter publiceringen.")
    expect(editor.get_by_label("Avpublicera")).to_have_attribute("aria-invalid", "true")
    expect(editor.get_by_label("Avpublicera")).to_have_value(yesterday)

    # Without a start date it is published at approval.
    editor.get_by_label("Publicera från").fill("")
    editor.get_by_label("Avpublicera").fill("")
    save_draft(editor, 2)
    act(editor, "Skicka på granskning", "skickad på granskning")
    approve_as_admin(admin, base, title)
    expect(status(admin)).to_have_text("Publicerad")
    citizen, response = as_citizen(new_page, url)
    assert response.status == 200
    search = f"{base}/sv/sok?q={title.split()[1]}"
    wait_for_search(citizen, search, title)

    # Dates count from approval, so an end date in the past is refused; "Ta tillbaka"
    # is how an editor takes a live page down at once.
    editor.goto(edit_url)
    editor.get_by_label("Avpublicera").fill(yesterday)
    follow(editor, editor.get_by_role("button", name="Spara utkast"))
    expect(editor.locator(".error-summary")).to_contain_text("Avpubliceringen måste ligga i framtiden")
    expect(editor.get_by_label("Avpublicera")).to_have_value(yesterday)
    assert as_citizen(new_page, url)[1].status == 200
    act(editor, "Ta tillbaka", "återtagen", confirm="Ja, ta tillbaka")
    assert as_citizen(new_page, url)[1].status == 404
    citizen.goto(f"{base}/sv/amne/trafik-och-parkering")
    expect(citizen.get_by_role("link", name=title)).to_have_count(0)
    wait_for_search(citizen, search, title, found=False)


def test_times_in_the_form_are_stockholm_time(live_server, new_page):
    """A time typed in the form is shown again as typed and counts in Swedish time."""
    base = live_server
    title = unique_title()
    editor = new_page()
    login(editor, base, "editor")
    editor.goto(f"{base}/sv/redaktion")
    in_a_week = datetime_local(datetime.now() + timedelta(days=7)).split("T")[0] + "T10:00"
    write_article(editor, title, "Tidszonsprov.", "Brödtext.", publish_at=in_a_week)
    save_draft(editor, 1)
    expect(editor.get_by_label("Publicera från")).to_have_value(in_a_week)
