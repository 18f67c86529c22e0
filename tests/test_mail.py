"""The mail service against a real SMTP server on localhost (aiosmtpd, the ``smtp`` fixture of
conftest.py), through review reminders."""
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from content.reminders import send_review_reminders, waiting_worklists
from portal import mail
from portal.auth.models import User, utcnow
from portal.extensions import db
from portal.mail.models import MailOutbox, MailState

BASE_URL = "https://portal.sjobacka.example"
EDITOR_ADDRESS = "editor@sjobacka.example"


@pytest.fixture
def app_config(smtp):
    # Any Host header is accepted here, to show that mail never takes its links from it.
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "PORTAL_BASE_URL": BASE_URL,
            "PORTAL_TRUSTED_HOSTS": "*"}


@pytest.fixture
def english_editor(runner):
    result = runner.invoke(args=["create-user", "lisa", "--name", "Lisa Editor", "--role", "editor:TF",
                                 "--email", "lisa@sjobacka.example", "--language", "en",
                                 "--password", "en-lang-fras-som-duger"])
    assert result.exit_code == 0, result.output
    return "lisa@sjobacka.example"


def parts(message):
    """The plain-text and the HTML body of a received message."""
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def received_by(smtp, address):
    return [m for m in smtp.messages if m["To"] == address]


def outbox(ctx):
    with ctx():
        return db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)).all()


def article_count(ctx):
    with ctx():
        return waiting_worklists()[0].article_count


# Per language: the subject (for a count), a heading of the body, the dashboard's path.
IN_LANGUAGE = {
    "sv": ("Kunskapsbanken: {} artiklar att se över", "Ska granskas inom 30 dagar eller är försenade",
           "/sv/redaktion"),
    "en": ("Knowledge base: {} articles to look at", "Due for review within 30 days or overdue",
           "/en/editorial"),
}


def test_reminders_reach_the_server_in_each_editors_language(ctx, runner, smtp, english_editor):
    count = article_count(ctx)
    result = runner.invoke(args=["review-reminders"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 of 2 review reminders." in result.output

    for address, lang in ((EDITOR_ADDRESS, "sv"), (english_editor, "en")):
        subject, heading, dashboard = IN_LANGUAGE[lang]
        [message] = received_by(smtp, address)
        assert message["Subject"] == subject.format(count)
        text, html = parts(message)
        for body in (text, html):
            assert heading in body
            assert f"{BASE_URL}{dashboard}" in body
            assert {"sv": "/en/", "en": "/sv/"}[lang] not in body
        assert f'<html lang="{lang}">' in html

    rows = outbox(ctx)
    assert [(r.recipient, r.language, r.state, r.attempts) for r in rows] == [
        (EDITOR_ADDRESS, "sv", MailState.SENT, 1), (english_editor, "en", MailState.SENT, 1)]
    assert all(r.sent_at and r.template == "content/mail/review_reminder" for r in rows)
    assert all(r.body_text is None and r.body_html is None for r in rows)


def test_dry_run_sends_and_records_nothing(ctx, runner, smtp):
    result = runner.invoke(args=["review-reminders", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"To: {EDITOR_ADDRESS}" in result.output
    assert "Subject: Kunskapsbanken:" in result.output
    assert smtp.messages == []
    assert outbox(ctx) == []


def test_html_escapes_hostile_text(app, ctx, runner, smtp):
    hostile = '<script>alert("x")</script> Snöröjning'
    with ctx():
        waiting_worklists()[0].reviews[0].translation("sv").title = hostile
        db.session.commit()
    runner.invoke(args=["review-reminders"])
    text, html = parts(smtp.messages[0])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Snöröjning" in html
    assert hostile in text  # plain text is not HTML: escaping it would garble the title


def test_failed_delivery_waits_and_is_sent_when_the_server_is_back(ctx, runner, smtp, caplog):
    smtp.stop()
    with caplog.at_level(logging.WARNING, logger="portal.mail"):
        result = runner.invoke(args=["review-reminders"])
    assert "Sent 0 of 1 review reminders." in result.output
    [row] = outbox(ctx)
    assert (row.state, row.attempts, row.sent_at) == (MailState.WAITING, 1, None)
    assert "ConnectionRefusedError" in row.last_error
    assert row.body_text and row.body_html
    assert "not delivered, attempt 1 of 6" in caplog.text
    assert EDITOR_ADDRESS not in caplog.text

    smtp.start()
    with ctx():
        assert mail.deliver_pending() == 0  # the next attempt is not due yet
        assert mail.deliver_pending(now=row.next_attempt_at) == 1
        assert mail.deliver_pending(now=utcnow() + timedelta(days=1)) == 0
    [row] = outbox(ctx)
    assert (row.state, row.attempts) == (MailState.SENT, 2)
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == EDITOR_ADDRESS


def test_attempts_are_bounded(ctx, runner, smtp, caplog):
    smtp.stop()
    runner.invoke(args=["review-reminders"])
    with ctx():
        row = db.session.scalar(select(MailOutbox))
        while row.state == MailState.WAITING:
            mail.deliver_pending(now=row.next_attempt_at)
        assert (row.state, row.attempts) == (MailState.FAILED, mail.MAX_ATTEMPTS)
        assert row.body_text is None
    assert f"given up after {mail.MAX_ATTEMPTS} attempts" in caplog.text

    smtp.start()
    result = runner.invoke(args=["mail-deliver"])
    assert "Sent 0. In the outbox: 0 waiting, 1 given up" in result.output
    assert smtp.messages == []


def test_a_row_is_never_sent_twice(app, ctx, runner, smtp):
    """Deliverers racing for one row, and a delivery that died while sending."""
    smtp.stop()
    runner.invoke(args=["review-reminders"])
    smtp.delay = 0.3
    smtp.start()
    due = outbox(ctx)[0].next_attempt_at

    def deliver():
        with app.app_context():
            mail.deliver_pending(now=due)

    racers = [threading.Thread(target=deliver) for _ in range(4)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert len(smtp.messages) == 1

    with ctx():
        db.session.scalar(select(MailOutbox)).state = MailState.SENDING
        db.session.commit()
        assert mail.deliver_pending(now=utcnow() + timedelta(days=1)) == 0
    assert len(smtp.messages) == 1
    assert "1 interrupted while sending" in runner.invoke(args=["mail-deliver"]).output


@pytest.fixture
def reminding_view(app, smtp):
    """A page that sends the review reminders and then rolls its transaction back;
    it notes how many messages the server had when the view ended."""
    seen = []

    def view():
        send_review_reminders()
        db.session.rollback()
        seen.append(len(smtp.messages))
        return "ok"

    app.add_url_rule("/test/remind", "test_remind", view)
    return seen


def test_mail_from_a_request_goes_out_after_the_view_with_the_configured_address(
        client, ctx, smtp, reminding_view):
    response = client.get("/test/remind", base_url="http://attacker.example")
    assert response.status_code == 200
    assert reminding_view == [0]
    [message] = smtp.messages
    text, html = parts(message)
    assert f"{BASE_URL}/sv/redaktion" in text and f'href="{BASE_URL}/sv/redaktion"' in html
    assert "attacker.example" not in text + html
    assert [row.state for row in outbox(ctx)] == [MailState.SENT]


@pytest.mark.parametrize("app_config", [{"MAIL_SERVER": ""}])
def test_without_a_mail_server_mail_is_recorded_not_sent(ctx, runner, smtp):
    result = runner.invoke(args=["review-reminders"])
    assert "Sent 0 of 1 review reminders." in result.output
    assert mail.NOT_CONFIGURED in result.output
    assert [(row.state, row.attempts) for row in outbox(ctx)] == [(MailState.WAITING, 0)]
    assert mail.NOT_CONFIGURED in runner.invoke(args=["mail-deliver"]).output
    assert smtp.messages == []


def test_create_user_refuses_an_unknown_language(ctx, runner):
    result = runner.invoke(args=["create-user", "olle", "--name", "Olle", "--role", "agent",
                                 "--language", "de", "--password", "en-lang-fras-som-duger"])
    assert result.exit_code != 0 and "choose from sv, en" in result.output
    with ctx():
        assert db.session.scalar(select(User).where(User.username == "olle")) is None


def test_an_attachment_waits_in_the_outbox_and_is_dropped_once_sent(ctx, smtp):
    """A file sent with a message survives a failed delivery and leaves with the retry."""
    smtp.stop()
    report = mail.Attachment("rapport.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             b"PK\x03\x04 not really a workbook")
    with ctx():
        mail.send(EDITOR_ADDRESS, "content/mail/review_reminder", "sv", attachments=[report],
                  worklist=waiting_worklists()[0])
        row = db.session.scalars(select(MailOutbox)).one()
        assert row.state == MailState.WAITING and [a.filename for a in row.attachments] == ["rapport.xlsx"]
        smtp.start()
        assert mail.deliver_pending(now=row.next_attempt_at) == 1
        assert db.session.get(MailOutbox, row.id).attachments == []
    [attached] = smtp.messages[0].iter_attachments()
    assert attached.get_filename() == "rapport.xlsx" and attached.get_content() == report.data
