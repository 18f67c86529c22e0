"""Mail in: ``portal mail-import`` makes cases of the contact centre's shared mailbox.

The mailbox is a Maildir (or an mbox) built in the test; the acknowledgements
reach a real SMTP server on localhost.  IMAP is not tested here: that would need
an IMAP server, and the IMAP reader is a thin layer under the same interface.
"""
import io
import logging
import mailbox
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from eservices import casework, mailin, uploads
from eservices.casework import OFFICER_ACTIONS
from eservices.models import Case, CaseStatus, Channel, NotifyBy
from portal.auth.models import User
from portal.extensions import db
from tests.conftest import make_app
from tests.test_mail import parts
from tests.test_uploads import pdf

BASE_URL = "https://portal.sjobacka.example"
ANNA = "anna.andersson@example.se"
MAX_BYTES = 300 * 1024
FILE_MAX_BYTES = 100 * 1024
HUGE_PDF = ("scan.pdf", b"%PDF" + b"x" * MAX_BYTES, "application", "pdf")   # the message > MAX_BYTES


@pytest.fixture
def maildir_path(tmp_path):
    path = tmp_path / "Maildir"
    mailbox.Maildir(path, create=True)
    return path


@pytest.fixture
def source(maildir_path):
    """The mailbox PORTAL_MAIL_IMPORT names; a test module may override it."""
    return f"maildir:{maildir_path}"


@pytest.fixture
def app_config(smtp, source):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "PORTAL_BASE_URL": BASE_URL,
            "PORTAL_MAIL_IMPORT": source, "PORTAL_MAIL_IMPORT_MAX_BYTES": MAX_BYTES,
            "PORTAL_MAIL_IMPORT_FILE_MAX_BYTES": FILE_MAX_BYTES}


def message(subject="Fråga om bygglov för altan", sender=f"Anna Andersson <{ANNA}>",
            text="Hej! Behöver jag bygglov för en altan på 20 kvadratmeter?", html=None,
            files=(), **headers):
    mail = EmailMessage()
    mail["From"], mail["To"] = sender, "kontaktcenter@sjobacka.example"
    if subject is not None:
        mail["Subject"] = subject
    mail["Message-ID"] = make_msgid(domain="example.se")
    if text is not None:
        mail.set_content(text)
    if html is not None and text is not None:
        mail.add_alternative(html, subtype="html")
    elif html is not None:
        mail.set_content(html, subtype="html")
    for name, content, maintype, subtype in files:
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    for name, value in headers.items():   # after the content, which replaces Content-* headers
        mail[name.replace("_", "-")] = value
    return mail.as_bytes()


def deliver(maildir_path, *raw_messages):
    box = mailbox.Maildir(maildir_path)
    return [box.add(raw) for raw in raw_messages]


def import_mail(runner, exit_code=0):
    result = runner.invoke(args=["mail-import"])
    assert result.exit_code == exit_code, result.output
    return result.output


def mail_cases():
    return db.session.scalars(select(Case).where(Case.channel == Channel.EMAIL).order_by(Case.id)).all()


def folder(maildir_path, name=None):
    """The keys of the messages in the inbox, or in its subfolder ``name``."""
    box = mailbox.Maildir(maildir_path)
    if name is None:
        return list(box.keys())
    return list(box.get_folder(name).keys()) if name in box.list_folders() else []


def texts(case, kind):
    return [event.text for event in case.events if event.kind == kind]


def png(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def received_by(smtp, address):
    return [m for m in smtp.messages if m["To"] == address]


# --- a new case ------------------------------------------------------------------------

def test_a_mail_becomes_a_case_of_the_contact_centre_and_the_sender_gets_its_link(
        ctx, runner, client, smtp, maildir_path):
    deliver(maildir_path, message())
    assert "Imported 1 messages" in import_mail(runner)

    with ctx():
        [case] = mail_cases()
        assert case.department.code == "KLF" and case.status == CaseStatus.NEW
        assert case.title == "Fråga om bygglov för altan"
        assert (case.contact_name, case.contact_email) == ("Anna Andersson", ANNA)
        assert case.notify_by == NotifyBy.EMAIL
        assert texts(case, "message_in") == ["Hej! Behöver jag bygglov för en altan på 20 kvadratmeter?"]
        # The clocks run; the acknowledgement is no answer from the förvaltning.
        assert case.clock_started_at and case.response_due_at and case.solution_due_at
        assert case.first_response_at is None
        reference, token = case.reference, case.tracking_token
    assert folder(maildir_path) == [] and len(folder(maildir_path, "imported")) == 1

    [ack] = received_by(smtp, ANNA)
    assert reference in ack["Subject"]
    text, html = parts(ack)
    assert f"{BASE_URL}/sv/arende/{token}" in text and f"{BASE_URL}/sv/arende/{token}" in html
    assert "svara på det här mejlet" in text
    assert "altan" not in text   # the citizen's own words are not sent back
    page = client.get(f"/sv/arende/{token}").get_data(as_text=True)
    assert reference in page and "bygglov för en altan" in page


def test_the_case_speaks_the_language_the_mail_was_written_in(ctx, runner, smtp, maildir_path):
    deliver(maildir_path, message(subject="Parking permit", text="Hello, how do I apply?",
                                  Content_Language="en-GB"))
    import_mail(runner)
    with ctx():
        assert mail_cases()[0].lang == "en"
    [ack] = received_by(smtp, ANNA)
    assert ack["Subject"].startswith("We have received your case")


def test_mail_from_a_machine_gets_no_acknowledgement(ctx, runner, smtp, maildir_path):
    deliver(maildir_path,
            message(subject="Frånvaro", text="Jag är på semester.", Auto_Submitted="auto-replied"),
            message(sender="kontaktcenter@sjobacka.example", text="Ett mejl från portalen själv."))
    import_mail(runner)
    with ctx():
        assert len(mail_cases()) == 2
    assert smtp.messages == []


# --- replies by reference ------------------------------------------------------------------

def imported_case(ctx, runner, maildir_path):
    deliver(maildir_path, message())
    import_mail(runner)
    with ctx():
        [case] = mail_cases()
        return case.reference


def test_a_reply_from_the_cases_own_address_is_added_to_the_case(ctx, runner, smtp, maildir_path):
    reference = imported_case(ctx, runner, maildir_path)
    with ctx():
        [case] = mail_cases()
        officer = db.session.scalar(select(User).where(User.username == "admin"))
        OFFICER_ACTIONS["request_information"].execute(case, officer, text="Hur högt över marken?")
        assert case.status == CaseStatus.WAITING and case.solution_due_at is None
    deliver(maildir_path, message(subject=f"SV: Vi har tagit emot ditt ärende {reference.lower()}",
                                  sender=f"<{ANNA.upper()}>", text="Ungefär en halv meter."))
    import_mail(runner)

    with ctx():
        [case] = mail_cases()
        assert texts(case, "message_in")[-1] == "Ungefär en halv meter."
        assert case.status == CaseStatus.OPEN and case.solution_due_at is not None
    # The first mail's acknowledgement and the officer's question; no acknowledgement of the reply.
    assert [m["Subject"] for m in received_by(smtp, ANNA)] == [
        f"Vi har tagit emot ditt ärende {reference}", f"Nytt meddelande i ditt ärende {reference}"]


def test_a_reference_from_another_address_opens_nothing_and_makes_a_new_case(ctx, runner, smtp, maildir_path):
    reference = imported_case(ctx, runner, maildir_path)
    deliver(maildir_path, message(subject=f"Re: {reference}", sender="<nyfiken@example.net>",
                                  text="Vad stod det i ärendet?"))
    import_mail(runner)

    with ctx():
        original, new = mail_cases()
        assert texts(original, "message_in") == ["Hej! Behöver jag bygglov för en altan på 20 kvadratmeter?"]
        assert new.contact_email == "nyfiken@example.net" and new.reference != reference
        [note] = [event for event in new.events if event.kind == "note"]
        assert reference in note.text and "inte från den adress" in note.text and not note.public
        new_reference = new.reference
    [ack] = received_by(smtp, "nyfiken@example.net")
    assert new_reference in ack["Subject"] and reference not in parts(ack)[0]


def test_a_reply_to_a_closed_case_becomes_a_new_case(ctx, runner, maildir_path):
    reference = imported_case(ctx, runner, maildir_path)
    with ctx():
        [case] = mail_cases()
        officer = db.session.scalar(select(User).where(User.username == "admin"))
        OFFICER_ACTIONS["close"].execute(case, officer)
    deliver(maildir_path, message(subject=f"Re: {reference}", text="En sak till."))
    import_mail(runner)
    with ctx():
        closed, new = mail_cases()
        assert len(texts(closed, "message_in")) == 1 and closed.status == CaseStatus.CLOSED
        assert any(reference in text and "avslutat" in text for text in texts(new, "note"))


# --- what the mail holds ---------------------------------------------------------------------

def test_a_mail_without_text_or_subject_is_still_a_case(ctx, runner, smtp, maildir_path):
    deliver(maildir_path, message(subject=None, text=None))
    import_mail(runner)
    with ctx():
        [case] = mail_cases()
        assert case.title == "(Inget ämne)"
        assert texts(case, "message_in") == ["(Mejlet hade ingen text.)"]
    assert len(received_by(smtp, ANNA)) == 1


def test_an_html_only_mail_is_read_as_its_text(ctx, runner, maildir_path):
    html = ("<html><head><title>x</title><style>p { color: red; }</style></head><body>"
            "<p>Hej!</p><p>Soptunnan &auml;r inte t&ouml;md.<br>Adress: Storgatan 1</p>"
            "<script>alert(1)</script></body></html>")
    deliver(maildir_path, message(text=None, html=html))
    import_mail(runner)
    with ctx():
        [case] = mail_cases()
        assert texts(case, "message_in") == ["Hej!\n\nSoptunnan är inte tömd.\nAdress: Storgatan 1"]


def test_the_plain_version_is_read_when_there_is_also_html(ctx, runner, maildir_path):
    deliver(maildir_path, message(text="Den vanliga texten.", html="<p>HTML-texten.</p>"))
    import_mail(runner)
    with ctx():
        assert texts(mail_cases()[0], "message_in") == ["Den vanliga texten."]


def test_a_forwarded_mail_brings_its_text_and_files(ctx, runner, maildir_path):
    forwarded = EmailMessage()
    forwarded["From"], forwarded["Subject"] = "granne@example.se", "Trädet"
    forwarded.set_content("Grannens träd hänger över gångbanan.")
    forwarded.add_attachment(png(), maintype="image", subtype="png", filename="trad.png")
    mail = EmailMessage()
    mail["From"], mail["Subject"], mail["Message-ID"] = ANNA, "Fwd: Trädet", make_msgid()
    mail.set_content("Se nedan.")
    mail.add_attachment(forwarded)
    deliver(maildir_path, mail.as_bytes())
    import_mail(runner)
    with ctx():
        [case] = mail_cases()
        assert texts(case, "message_in") == ["Se nedan.\n\nGrannens träd hänger över gångbanan."]
        assert [f.original_name for f in case.files] == ["trad.png"]


def test_other_charsets_and_encoded_headers_are_read(ctx, runner, maildir_path):
    # ISO-8859-15 has the euro sign where Windows-1252 has "¤".
    latin9 = ("From: =?utf-8?b?w4VzYSDDlnN0bHVuZA==?= <asa@example.se>\r\n"
              "Subject: =?iso-8859-1?q?Fr=E5ga_om_f=E4rdtj=E4nst?=\r\n"
              "Message-ID: <latin9@example.se>\r\n"
              "Content-Type: text/plain; charset=iso-8859-15\r\n"
              "Content-Transfer-Encoding: 8bit\r\n\r\n").encode()
    latin9 += "Kostar färdtjänst 50 €?\r\n".encode("iso-8859-15")
    # Windows-1252 under an unknown charset name: read as UTF-8 fails, so as Windows-1252.
    unknown = ("From: <bo@example.se>\r\nSubject: Avgift\r\nMessage-ID: <cp1252@example.se>\r\n"
               "Content-Type: text/plain; charset=x-unknown\r\n\r\n").encode()
    unknown += "Avgiften är 1 200 € – för hög.".encode("cp1252")
    deliver(maildir_path, latin9, unknown)
    import_mail(runner)
    with ctx():
        by_sender = {case.contact_email: case for case in mail_cases()}
        asa, bo = by_sender["asa@example.se"], by_sender["bo@example.se"]
        assert (asa.contact_name, asa.title) == ("Åsa Östlund", "Fråga om färdtjänst")
        assert texts(asa, "message_in") == ["Kostar färdtjänst 50 €?"]
        assert texts(bo, "message_in") == ["Avgiften är 1 200 € – för hög."]


def test_images_and_pdfs_are_kept_and_the_refused_files_are_named(ctx, runner, app, maildir_path):
    files = [("foto.png", png(), "image", "png"), ("intyg.pdf", pdf(), "application", "pdf"),
             ("brev.docx", b"PK\x03\x04 not a picture", "application", "octet-stream"),
             ("stor.png", png((1, 1)) + b"\0" * FILE_MAX_BYTES, "image", "png")]
    deliver(maildir_path, message(files=files))
    import_mail(runner)
    with ctx():
        [case] = mail_cases()
        assert sorted((f.original_name, f.content_type) for f in case.files) == [
            ("foto.png", "image/png"), ("intyg.pdf", "application/pdf")]
        [note] = texts(case, "note")
        assert "brev.docx: Filen är inte en bild (JPEG, PNG eller WebP) eller en PDF." in note
        assert "stor.png: Filen är större än 0,1 MB." in note
        assert "foto.png" not in note
        with uploads.open_stored(case.files[0].stored_name) as stored:
            assert stored.read(8) == b"\x89PNG\r\n\x1a\n"


# --- what cannot be imported -----------------------------------------------------------------

def test_a_huge_or_unreadable_mail_is_set_aside_and_the_rest_goes_on(ctx, runner, maildir_path, caplog):
    huge = message(subject="Stor bilaga", files=[HUGE_PDF])
    no_sender = message(sender="ingen adress här")
    deliver(maildir_path, huge, no_sender, message(subject="Den vanliga"))
    with caplog.at_level(logging.INFO, logger="eservices.mailin"):
        assert "set 2 aside" in import_mail(runner)

    with ctx():
        assert [case.title for case in mail_cases()] == ["Den vanliga"]
    assert folder(maildir_path) == [] and len(folder(maildir_path, "set-aside")) == 2
    aside = mailbox.Maildir(maildir_path).get_folder("set-aside")
    assert sorted(aside.get_bytes(key) for key in aside.keys()) == sorted([huge, no_sender])
    logged = caplog.text
    assert "larger than" in logged and "no sender address" in logged
    assert ANNA not in logged and "Stor bilaga" not in logged


def test_a_mail_the_email_package_cannot_take_apart_is_set_aside(ctx, runner, maildir_path, monkeypatch,
                                                                  caplog):
    def broken(*arguments):
        raise IndexError("a header the parser trips over")
    monkeypatch.setattr(mailin, "collect", broken)
    deliver(maildir_path, message())
    with caplog.at_level(logging.INFO, logger="eservices.mailin"):
        import_mail(runner)
    with ctx():
        assert mail_cases() == []
    assert len(folder(maildir_path, "set-aside")) == 1
    assert "could not read it (IndexError)" in caplog.text


def test_the_same_mail_is_imported_once(ctx, runner, smtp, maildir_path):
    raw = message()
    deliver(maildir_path, raw)
    import_mail(runner)
    import_mail(runner)
    deliver(maildir_path, raw)   # delivered again, with the same Message-ID
    assert "1 imported before were moved" in import_mail(runner)
    with ctx():
        assert len(mail_cases()) == 1
    assert len(smtp.messages) == 1 and folder(maildir_path) == []


class Crash(BaseException):
    """The process dies (not an error the import could catch)."""


def test_a_crash_after_the_commit_loses_nothing_and_doubles_nothing(ctx, runner, smtp, maildir_path,
                                                                    monkeypatch):
    def crash(self, handle):
        raise Crash
    deliver(maildir_path, message())
    with monkeypatch.context() as patch:
        patch.setattr(mailin.MaildirMailbox, "imported", crash)
        with pytest.raises(Crash):
            runner.invoke(args=["mail-import"])
    with ctx():
        assert len(mail_cases()) == 1
    assert len(folder(maildir_path)) == 1   # still in the inbox

    import_mail(runner)
    with ctx():
        assert len(mail_cases()) == 1
    assert folder(maildir_path) == [] and len(folder(maildir_path, "imported")) == 1
    assert len(received_by(smtp, ANNA)) == 1


def test_a_failed_import_keeps_the_mail_for_the_next_run_without_its_files(
        ctx, runner, app, maildir_path, monkeypatch, caplog):
    def fail(case):
        raise RuntimeError(f"could not reach {case.contact_email}")
    deliver(maildir_path, message(files=[("foto.png", png(), "image", "png")]))
    with monkeypatch.context() as patch, caplog.at_level(logging.INFO, logger="eservices.mailin"):
        patch.setattr(casework.notify, "acknowledgement", fail)
        assert "1 wait for the next run" in import_mail(runner, exit_code=1)
    with ctx():
        assert mail_cases() == []
    assert len(folder(maildir_path)) == 1
    assert not any(path.is_file() for path in Path(app.config["PORTAL_UPLOAD_DIR"]).rglob("*"))
    assert "RuntimeError" in caplog.text and ANNA not in caplog.text

    import_mail(runner)
    with ctx():
        [case] = mail_cases()
        assert len(case.files) == 1


def test_a_mailbox_error_on_one_message_does_not_stop_the_others(ctx, runner, maildir_path, monkeypatch):
    first, _second = deliver(maildir_path, message(subject="Första"), message(subject="Andra"))
    move = mailin.MaildirMailbox.imported

    def refuse_the_first(self, handle):
        if handle == first:
            raise PermissionError("the folder is read-only")
        move(self, handle)
    monkeypatch.setattr(mailin.MaildirMailbox, "imported", refuse_the_first)
    assert "1 wait for the next run" in import_mail(runner, exit_code=1)
    with ctx():
        assert sorted(case.title for case in mail_cases()) == ["Andra", "Första"]
    assert folder(maildir_path) == [first]


def test_without_a_mailbox_the_command_says_what_to_set(app, runner):
    app.config["PORTAL_MAIL_IMPORT"] = ""
    result = runner.invoke(args=["mail-import"])
    assert result.exit_code == 1 and "PORTAL_MAIL_IMPORT" in result.output


def test_the_imap_setting_is_taken_apart_with_its_escapes(monkeypatch):
    opened = []
    monkeypatch.setattr(mailin, "ImapMailbox", lambda *arguments: opened.append(arguments))
    mailin.open_mailbox("imaps://kc%40sjobacka.example:hemligt%2F%3A@imap.sjobacka.example/Inkorg%20KC")
    mailin.open_mailbox("imaps://kc:pw@imap.sjobacka.example:1993")
    assert opened == [("imap.sjobacka.example", 993, "kc@sjobacka.example", "hemligt/:", "Inkorg KC"),
                      ("imap.sjobacka.example", 1993, "kc", "pw", "INBOX")]
    with pytest.raises(mailin.NotConfigured):
        mailin.open_mailbox("imap://kc:pw@imap.sjobacka.example/INBOX")


@pytest.mark.parametrize("every, registered", [(0, False), (60, True)])
def test_portal_serve_imports_mail_only_when_told_to(tmp_path, source, every, registered):
    app = make_app(tmp_path, PORTAL_MAIL_IMPORT=source, PORTAL_MAIL_IMPORT_EVERY_SECONDS=every)
    tasks = {task.name: task.seconds for task in app.extensions["portal.periodic"]}
    assert tasks.get("mail import") == (every if registered else None)


# --- an mbox ----------------------------------------------------------------------------------

class TestMbox:
    @pytest.fixture
    def mbox_path(self, tmp_path):
        return tmp_path / "kontaktcenter.mbox"

    @pytest.fixture
    def source(self, mbox_path):
        return f"mbox:{mbox_path}"

    def test_an_mbox_is_read_once_and_never_changed(self, ctx, runner, smtp, mbox_path):
        box = mailbox.mbox(mbox_path)
        huge = message(subject="Stor", files=[HUGE_PDF])
        for raw in (message(subject="Första"), huge, message(subject="Andra")):
            box.add(raw)
        box.flush()
        before = mbox_path.read_bytes()

        import_mail(runner)
        output = import_mail(runner)
        assert "Imported 0 messages, set 0 aside" in output
        with ctx():
            assert [case.title for case in mail_cases()] == ["Första", "Andra"]
        assert mbox_path.read_bytes() == before
        aside = mailbox.mbox(f"{mbox_path}.set-aside")
        assert [m["Subject"] for m in aside] == ["Stor"]
        assert len(smtp.messages) == 2
