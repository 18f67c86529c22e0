"""The ``portal`` command: ``init``, ``serve``, ``create-user``, ``reindex``,
``purge``, ``mail-deliver`` and the Flask-Migrate ``db`` commands.  Domains add their own commands in their ``init_app``."""
import os
import threading
import time

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from portal import demo, i18n, mail, prefork, search, tasks
from portal.auth.models import DEPARTMENT_ROLES, LANGUAGE_ROLES, ROLE_LABELS
from portal.extensions import db

def main():
    from portal import create_app

    FlaskGroup(create_app=create_app, add_version_option=False,
               help="En väg in: the contact-centre portal.")(prog_name="portal")


def register_commands(app):
    for command in (init_command, serve_command, create_user_command, reindex_command,
                    purge_command, mail_deliver_command):
        app.cli.add_command(command)


@click.command("init")
@click.option("--demo", "with_demo", is_flag=True,
              help="Load demo organisation, accounts and content.")
@with_appcontext
def init_command(with_demo):
    """Create or upgrade the database, optionally load demo data, build the search index."""
    from flask_migrate import upgrade

    upgrade()
    if with_demo:
        demo.load_demo()
    count = rebuild_index()
    click.echo(f"Database ready; search index holds {count} documents.")
    if with_demo:
        print_demo_accounts()


def print_demo_accounts():
    click.echo(f"\nDemo accounts (password for all: {demo.DEMO_PASSWORD}):")
    width = max(len(username) for username, _name, _grants in demo.DEMO_USERS)
    for username, name, _grants in demo.DEMO_USERS:
        click.echo(f"  {username:<{width}} {name}")
    for note in demo.demo_notes():
        click.echo(f"\n{note}")


def rebuild_index():
    from tqdm import tqdm

    with search.url_context():
        total = sum(1 for _ in search.all_documents())
    with tqdm(total=total, desc="Indexing", unit="doc", disable=total == 0) as bar:
        return search.rebuild(progress=bar.update)


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from the database into a fresh directory and swap it in."""
    count = rebuild_index()
    click.echo(f"Search index rebuilt with {count} documents.")


def _background_loop(app, shared=True, interval=2.0):
    """The periodic tasks (search outbox, schedules, mail, retention) while serving;
    with ``shared=False`` only those each process must run for itself."""
    while True:
        time.sleep(interval)
        tasks.run_due(app, shared=shared)


def start_background_tasks(app, shared=True):
    threading.Thread(target=_background_loop, args=(app, shared), daemon=True).start()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Threads of each process.")
@click.option("--connection-limit", default=1000, show_default=True, type=int,
              help="Open connections accepted at once by each process (waitress's own default, 100, "
                   "makes the 101st keep-alive client wait until another lets go).")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes on one listening socket: one per core uses them all "
                   "(see docs/deployment.md).")
@with_appcontext
def serve_command(host, port, threads, connection_limit, processes):
    """Serve the portal with the production WSGI server (waitress)."""
    from waitress import serve

    app = current_app._get_current_object()
    options = {"threads": threads, "connection_limit": connection_limit, "ident": "En vag in"}
    click.echo(f"En väg in on http://{host}:{port}/" + (f" ({processes} processes)" if processes > 1 else ""))
    if processes == 1:
        start_background_tasks(app)
        serve(app, host=host, port=port, **options)
        return
    listener = prefork.listening_socket(host, port)

    def worker(number):
        shared = number == 0   # the tasks of the whole instance run in one process
        click.echo(f"worker {number} (pid {os.getpid()}): "
                   + ("all background tasks" if shared else "its own background tasks only"), err=True)
        start_background_tasks(app, shared=shared)
        serve(app, sockets=[listener], **options)

    prefork.Supervisor(processes, worker, before_fork=lambda: close_connections(app)).run()


def close_connections(app):
    """Before a fork: the parent's database connections must not be shared with a worker."""
    for engine in db.engines.values():
        engine.dispose()


@click.command("purge")
@with_appcontext
def purge_command():
    """Delete statistics past their retention period (the server also does this hourly)."""
    for name, count in tasks.purge_all().items():
        click.echo(f"{name}: {count} deleted")


@click.command("mail-deliver")
@with_appcontext
def mail_deliver_command():
    """Deliver the mail in the outbox whose next attempt is due (portal serve does it too)."""
    if not mail.is_configured():
        click.echo(mail.NOT_CONFIGURED)
    sent = mail.deliver_pending()
    counts = mail.outbox_counts()
    click.echo(f"Sent {sent}. In the outbox: {counts.get(mail.MailState.WAITING, 0)} waiting, "
               f"{counts.get(mail.MailState.FAILED, 0)} given up, "
               f"{counts.get(mail.MailState.SENDING, 0)} interrupted while sending.")


def parse_grant(text):
    """``agent`` | ``editor:TF`` | ``translator:en`` → (role, department_id, language)."""
    from portal.org.models import Department

    role, _sep, scope = text.partition(":")
    if role not in ROLE_LABELS:
        raise click.BadParameter(f"unknown role {role!r}; choose from {', '.join(ROLE_LABELS)}")
    if role in DEPARTMENT_ROLES:
        department = db.session.scalar(select(Department).where(Department.code == scope.upper()))
        if department is None:
            raise click.BadParameter(f"{role} needs a department code, e.g. {role}:TF")
        return role, department.id, None
    if role in LANGUAGE_ROLES:   # a translator may work on a language before it is enabled
        if scope not in i18n.all_languages():
            raise click.BadParameter(f"{role} needs a language, e.g. {role}:en")
        return role, None, scope
    return role, None, None


def parse_language(text):
    served = i18n.languages()
    if text not in served:
        raise click.BadParameter(f"choose from {', '.join(served)}", param_hint="--language")
    return text


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Full name shown in the portal.")
@click.option("--email", default="")
@click.option("--language", default="sv", show_default=True,
              help="The language of the mail the person gets, one of the languages served.")
@click.option("--role", "roles", multiple=True, required=True,
              help="agent, manager, admin, editor:<DEPT>, officer:<DEPT>, translator:<lang>; repeatable.")
@click.password_option(help="At least 12 characters; asked for when not given.")
@with_appcontext
def create_user_command(username, display_name, email, language, roles, password):
    """Create a staff account."""
    from portal.auth.models import User
    from portal.auth.operations import create_user, password_problems

    if db.session.scalar(select(User).where(User.username == username.lower())):
        raise click.ClickException(f"User {username} already exists.")
    problems = password_problems(password)
    if problems:
        raise click.ClickException(" ".join(problems))
    language = parse_language(language)
    user = create_user(username, display_name, password, [parse_grant(r) for r in roles], email=email)
    user.language = language
    db.session.commit()
    click.echo(f"Created {username}.")
