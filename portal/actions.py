"""State changes as actions, after Wagtail's: each one knows when it is allowed.

An action has ``check(target, user, **context)``, which raises
:class:`ActionRefused` with a message for the person when the change is not
allowed now, and ``execute(...)``, which checks, makes the change, sends its
signal and commits.  Views, the CLI, the demo loader and templates (which
show only the buttons whose ``allowed`` is true) all use the same objects, so
a precondition is written once.

If another request changed the same rows meanwhile (optimistic locking on a
version column) or a uniqueness rule fails, the change is rolled back and
refused with a message instead of failing with an error page.  An
``ActionRefused`` raised by ``apply`` itself (a room booked by someone else
an instant earlier, found only while writing) rolls back whatever ``apply``
had written before it, and reaches the caller as the refusal it is.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db

CONCURRENT_CHANGE = _l("Någon annan ändrade samtidigt. Ladda om sidan och försök igen.")


class ActionRefused(Exception):
    """Why an action is not allowed now, in words for the person who tried.

    ``link`` is an optional ``(url, label)`` that helps, such as the diff of
    what changed since the page was opened.
    """

    def __init__(self, message, link=None):
        super().__init__(str(message))
        self.message = str(message)
        self.link = link


def require(condition, message, link=None):
    if not condition:
        raise ActionRefused(message, link)


class Action:
    """Subclasses set ``name`` and ``label`` and implement ``check`` and ``apply``.

    ``check`` decides whether the person may take the action on the target as
    it is now (permissions, state, staleness): what ``allowed`` asks before
    a button is shown.  ``validate`` checks what they sent with it (a
    required comment); both run before ``apply``.  Actions are shared by all
    threads: they keep no state of their own.
    """

    name = ""
    label = ""

    def check(self, target, user, **context):
        raise NotImplementedError

    def validate(self, target, user, **context):
        """Refuse what the person sent with the action (nothing by default)."""

    def apply(self, target, user, **context):
        raise NotImplementedError

    def allowed(self, target, user, **context):
        try:
            self.check(target, user, **context)
        except ActionRefused:
            return False
        return True

    def execute(self, target, user, **context):
        """Check, change, commit; returns what ``apply`` returns."""
        self.check(target, user, **context)
        self.validate(target, user, **context)
        try:
            result = self.apply(target, user, **context)
            db.session.commit()
        except ActionRefused:
            db.session.rollback()
            raise
        except (StaleDataError, IntegrityError) as error:
            db.session.rollback()
            raise ActionRefused(self.conflict_message(error)) from error
        return result

    def conflict_message(self, error):
        """What to tell the person when the database refused the change."""
        return CONCURRENT_CHANGE
