"""``portal report --month YYYY-MM``: each förvaltning's monthly statistics by mail.

Each förvaltning with a ``contact_email`` gets, in Swedish, the XLSX of every table
for its own förvaltning that month and the main figures as text.  A second run for
the same month sends nothing to a förvaltning whose report for that month is
already in the outbox (safe from cron); ``--force`` sends it again.
"""
from datetime import date, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal import mail, stats
from portal.extensions import db
from portal.mail.models import MailOutbox
from portal.org.models import Department
from portal.stats import StatsQuery, exports
from portal.stats.bounds import local_today

TEMPLATE = "stats/mail/monthly_report"
SUMMARY_ROWS = 5    # rows of each table written out in the mail's body


def month_bounds(text):
    """First and last day of the month ``YYYY-MM``; click.BadParameter when it is not a past or current month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a month written as YYYY-MM, for example 2026-11.") from None
    if first > local_today():
        raise click.BadParameter(f"{text} has not begun yet: give the month that has just ended, or an earlier one.")
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def already_sent(department, month):
    return db.session.scalar(select(MailOutbox.id).where(
        MailOutbox.template == TEMPLATE, MailOutbox.recipient == department.contact_email,
        MailOutbox.subject.contains(f"[{month}]"))) is not None


def send_report(department, month, start, end):
    query = StatsQuery(start=start, end=end, granularity="day", department_ids=frozenset({department.id}),
                       channel=None, case_type=None, lang=None)
    tables = [found for section in stats.sections(query) for found in section.tables]
    attachment = mail.Attachment(f"statistik_{department.code}_{month}.xlsx",
                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                 exports.to_xlsx(tables))
    mail.send(department.contact_email, TEMPLATE, "sv", attachments=[attachment], month=month,
              department=department.name_in("sv"), start=start, end=end, tables=tables,
              summary_rows=SUMMARY_ROWS)


@click.command("report")
@click.option("--month", required=True, help="The month, YYYY-MM.")
@click.option("--force", is_flag=True, help="Send again to förvaltningar that already have this month's report.")
@with_appcontext
def report_command(month, force):
    """E-mail each förvaltning its monthly statistics (XLSX attached)."""
    start, end = month_bounds(month)
    month = start.strftime("%Y-%m")
    sent = skipped = 0
    for department in db.session.scalars(select(Department).order_by(Department.code)):
        if not department.contact_email or (not force and already_sent(department, month)):
            skipped += 1
            continue
        send_report(department, month, start, end)
        sent += 1
    click.echo(f"{sent} reports for {month} sent, {skipped} förvaltningar skipped "
               "(no contact address, or already sent: use --force to send again).")


def register(app):
    app.cli.add_command(report_command)
