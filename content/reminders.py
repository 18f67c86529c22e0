"""Review reminders by e-mail: the editor's dashboard as a message."""
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from content.models import Article
from portal.auth.models import EDITOR, RoleGrant, User
from portal.extensions import db


def reminder_for(user):
    """Lines of the reminder for one editor, or [] when nothing waits."""
    departments = user.department_ids(EDITOR)
    articles = db.session.scalars(select(Article).where(Article.department_id.in_(departments))).all()
    lines = []
    for article in articles:
        title = article.title_in("sv")
        if article.is_live() and article.review_due():
            lines.append(f"Granskas senast {article.review_before}: {title}")
        elif article.awaits_review and article.can_approve(user):
            lines.append(f"Väntar på ditt godkännande: {title}")
        elif article.is_unpublished_draft:
            lines.append(f"Utkast: {title}")
    return lines


def send_review_reminders(dry_run=False):
    editors = db.session.scalars(select(User).join(RoleGrant).where(RoleGrant.role == EDITOR)
                                 .distinct()).all()
    config = current_app.config
    for user in editors:
        lines = reminder_for(user)
        if not lines or not user.email:
            continue
        message = EmailMessage()
        message["Subject"] = f"Kunskapsbanken: {len(lines)} artiklar att se över"
        message["From"] = config["MAIL_SENDER"]
        message["To"] = user.email
        message.set_content("Hej!\n\nDet här väntar i din förvaltnings kunskapsbank:\n\n"
                            + "\n".join(f"- {line}" for line in lines)
                            + f"\n\n{config['PORTAL_BASE_URL']}/sv/redaktion\n")
        if dry_run or not config["MAIL_SERVER"]:
            yield message.as_string()
            continue
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"]) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        yield f"Sent to {user.email}: {len(lines)} items"
