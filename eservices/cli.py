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


def register_commands(app):
    app.cli.add_command(sla_check_command)
