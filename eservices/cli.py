"""The e-services' ``portal`` commands."""
import click
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


def register_commands(app):
    app.cli.add_command(sla_check_command)
    app.cli.add_command(mail_import_command)
