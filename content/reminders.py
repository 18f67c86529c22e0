"""Mail to editors about what waits for them, each in the editor's own language.

A **review reminder** (``portal review-reminders``) lists what the editors'
dashboard lists, and links to it: articles waiting for the editor's approval,
drafts, and live articles whose review date is near or past.

A **review request** goes out when an article is sent for review, to the other
editors of its förvaltning: one mail each, once per version.
"""
from sqlalchemy import select

from content.queries import Worklist, reviewers_of, worklist_for
from portal import mail
from portal.auth.models import EDITOR, RoleGrant, User
from portal.extensions import db

TEMPLATE = "content/mail/review_reminder"
REQUEST_TEMPLATE = "content/mail/review_request"


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


def notify_reviewers(article, submitter):
    """Queue a review request to each reviewer of the article's förvaltning but
    ``submitter`` (it commits with the submission)."""
    for reviewer in reviewers_of(article.department_id, except_user=submitter):
        mail.queue(reviewer.email, REQUEST_TEMPLATE, reviewer.language, article=article,
                   submitter=submitter, reviewer=reviewer)
