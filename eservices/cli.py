"""The e-services' ``portal`` commands."""
import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("sla-check")
@with_appcontext
def sla_check_command():
    """E-mail today's digest of late cases to each förvaltning and the contact centre
    (for cron: a second run the same day sends nothing)."""
    from eservices.slacheck import send_digests

    click.echo(f"Sent {send_digests()} digests.")


@click.command("mail-import")
@with_appcontext
def mail_import_command():
    """Make cases of the mail in the contact centre's shared mailbox (PORTAL_MAIL_IMPORT).

    Safe to run again and from cron: a message is imported once.  What cannot be
    read, or is larger than PORTAL_MAIL_IMPORT_MAX_BYTES, is set aside in the
    mailbox's folder "set-aside".  Exits with 1 when a message waits for the next run.
    """
    from eservices import mailin
    from portal import mail

    try:
        batch = mailin.run_import()
    except mailin.NotConfigured as error:
        raise click.ClickException(str(error)) from error
    except mailin.MAILBOX_ERRORS as error:
        raise click.ClickException(f"The mailbox could not be opened: {error}") from error
    mail.deliver_pending()
    click.echo(str(batch))
    if batch.failed:
        raise click.exceptions.Exit(1)


@click.command("demo-cases")
@with_appcontext
def demo_cases_command():
    """Add a week's realistic cases to a demo database that has none (``make run`` does):
    late, soon late, waiting for the citizen, solved, forwarded by the contact centre."""
    from eservices.demo_cases import load_demo_cases
    from portal import mail

    with current_app.test_request_context():
        made = load_demo_cases()
    mail.deliver_pending()
    click.echo(f"Made {made} demo cases." if made else "The database has cases already: nothing made.")


@click.command("demo-history")
@with_appcontext
def demo_history_command():
    """Add thirteen months of finished cases to a demo database that has no history
    (``make run`` does), so that the statistics have figures to show."""
    from eservices.demo_history import load_demo_history

    made = load_demo_history()
    click.echo(f"Made {made} historic demo cases." if made else "The database has history already: nothing made.")


def register_commands(app):
    app.cli.add_command(sla_check_command)
    app.cli.add_command(mail_import_command)
    app.cli.add_command(demo_cases_command)
    app.cli.add_command(demo_history_command)
