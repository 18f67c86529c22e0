"""The knowledge base: articles, topic pages, workflow, revisions, alerts, feedback."""
import click
from flask import render_template
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from portal.auth.models import EDITOR


def home_section():
    from content.queries import active_alerts
    from portal.org.models import Topic
    from portal.extensions import db

    topics = db.session.scalars(select(Topic).order_by(Topic.position)).all()
    return Markup(render_template("content/_home.html", topics=topics, alerts=active_alerts()))


def agent_alerts():
    """Every current alert above the agents' search: callers ask about them first."""
    from content.queries import active_alerts

    return Markup(render_template("content/_alerts.html", alerts=active_alerts()))


def crisis_banner():
    from content.queries import alerts_for_page

    return Markup(render_template("content/_banners.html", alerts=alerts_for_page()))


@click.command("publish-scheduled")
@with_appcontext
def publish_scheduled_command():
    """Publish and unpublish articles whose scheduled time has come (run from cron)."""
    from content.workflow import apply_schedules
    from portal import search

    published, unpublished = apply_schedules()
    search.drain()
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


def init_app(app):
    from content import views_editor, views_public  # noqa: F401  (register routes)
    from content.blueprint import bp
    from content.demo import load_demo_content
    from content.search_provider import ArticleProvider
    from portal import search
    from portal.cli import register_demo_loader
    from portal.templating import register_banner, register_section, register_staff_link

    app.register_blueprint(bp)
    search.register_provider(app, "article", ArticleProvider())
    register_section(app, "home", home_section)
    register_section(app, "agent_search", agent_alerts)
    register_banner(app, crisis_banner)
    register_staff_link(app, "content.dashboard", _l("Redaktion"), (EDITOR,))
    register_staff_link(app, "content.alert_list", _l("Driftinformation"), (EDITOR,))
    register_demo_loader(app, load_demo_content)
    app.cli.add_command(publish_scheduled_command)
    app.cli.add_command(review_reminders_command)
