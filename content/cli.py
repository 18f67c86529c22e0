"""The knowledge base's ``portal`` commands."""
import click
from flask.cli import with_appcontext


@click.command("publish-scheduled")
@with_appcontext
def publish_scheduled_command():
    """Publish and unpublish articles whose scheduled time has come.

    ``portal serve`` does this every few seconds; run it from cron where no
    server runs the background tasks.
    """
    from content.operations import publish_due

    published, unpublished = publish_due()
    click.echo(f"Published {published}, unpublished {unpublished}.")


@click.command("review-reminders")
@click.option("--dry-run", is_flag=True, help="Print the e-mails instead of sending them.")
@with_appcontext
def review_reminders_command(dry_run):
    """E-mail each editor the drafts, approvals and reviews waiting in their förvaltningar."""
    from content.reminders import preview_review_reminders, send_review_reminders
    from portal import mail

    if dry_run:
        for address, message in preview_review_reminders():
            click.echo(f"To: {address}\nSubject: {message.subject}\n\n{message.text}\n")
        return
    rows = send_review_reminders()
    sent = sum(row.state == mail.MailState.SENT for row in rows)
    click.echo(f"Sent {sent} of {len(rows)} review reminders.")
    if not mail.is_configured():
        click.echo(mail.NOT_CONFIGURED)
    elif sent < len(rows):
        click.echo("The others wait in the outbox for another attempt (see the log).")


@click.command("rerender")
@with_appcontext
def rerender_command():
    """Render the stored HTML of every revision again (after the sanitiser's rules changed)."""
    from content.operations import rerender_all
    from portal import search

    count = rerender_all()
    search.drain()
    click.echo(f"Rendered {count} revisions again.")


def register_commands(app):
    for command in (publish_scheduled_command, review_reminders_command, rerender_command):
        app.cli.add_command(command)
