"""Review reminders: one mail to each editor about what waits in their förvaltningar.

The mail lists what the editors' dashboard lists, and links to it: articles
waiting for the editor's approval, drafts, and live articles whose review date
is near or past.  It goes out in the editor's own language.
"""
from sqlalchemy import select

from content.queries import Worklist, worklist_for
from portal import mail
from portal.auth.models import EDITOR, RoleGrant, User
from portal.extensions import db

TEMPLATE = "content/mail/review_reminder"


def waiting_worklists() -> list[Worklist]:
    """The worklists of active editors who have an address and something waiting."""
    editors = db.session.scalars(
        select(User).join(RoleGrant)
        .where(RoleGrant.role == EDITOR, User.active.is_(True), User.email != "")
        .distinct().order_by(User.id)).all()
    return [worklist for worklist in map(worklist_for, editors) if worklist.article_count]


def preview_review_reminders():
    """``(address, RenderedMail)`` for each reminder, without sending or recording anything."""
    return [(w.editor.email, mail.render(TEMPLATE, w.editor.language, worklist=w))
            for w in waiting_worklists()]


def send_review_reminders():
    """Send each editor their reminder; returns the outbox rows."""
    return [mail.send(w.editor.email, TEMPLATE, w.editor.language, worklist=w)
            for w in waiting_worklists()]
