"""Handling cases: what officers, agents and citizens do to a case after it exists.

The changes a submission makes are in ``operations.py``; these are the rest,
each an action (``portal.actions``) that sends ``case_changed`` with its name:

- officers: take, assign, reply to the citizen, add an internal note, ask the
  citizen for more (the SLA clock stands still), solve, close, reroute to
  another förvaltning (the clocks start again there), mark a duplicate, decide;
- agents: log a contact (solved at first contact, forwarded with a handover,
  or referred to another authority) and register a visitor;
- citizens, through their link: reply (with files, kept as the case's and linked
  to the message) and reopen a solved case.

An officer's form carries the case's ``version`` as it was on the page
(``seen_version``) and the last timeline line shown (``seen_event``): if
someone else changed the case meanwhile, the action is refused with
:class:`CaseChanged`, which lists what happened since, instead of
overwriting it silently.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified

from eservices import clocks, notify, uploads
from eservices.models import CaseEvent, CaseFile, CaseStatus, Outcome
from eservices.registry import Attachment
from portal.actions import Action, ActionRefused, require
from portal.auth.models import OFFICER
from portal.clock import utcnow
from portal.signals import case_changed


class CaseChanged(ActionRefused):
    """The case changed after the page was opened; ``events`` are what happened since."""

    def __init__(self, events):
        super().__init__(_l("Någon annan har ändrat ärendet sedan du öppnade sidan. Läs vad som "
                            "hänt och gör om det du tänkte göra."))
        self.events = events


def event(case, kind, text="", public=False, user=None, **data):
    """Add a line to the case's timeline, and return it.  The case row is written too,
    so that its version moves on with every change (see ``require_unchanged``)."""
    line = CaseEvent(kind=kind, text=str(text), public=public, data=data, user_id=user.id if user else None)
    case.events.append(line)
    case.updated_at = utcnow()
    flag_modified(case, "updated_at")
    return line


def require_unchanged(case, seen_version, seen_event=0):
    """Refuse when the case is no longer the version the page showed; the timeline
    lines after ``seen_event`` (the last one on that page) say what happened."""
    if seen_version is not None and int(seen_version) != case.version:
        raise CaseChanged([e for e in case.events if e.id > int(seen_event or 0)])


class CaseAction(Action):
    """An officer's step on a case of their förvaltning.  ``open_only`` refuses it
    on a solved or closed case."""

    open_only = True

    def check(self, case, user, seen_version=None, seen_event=0, **context):
        require(case.can_handle(user), _l("Du har inte behörighet att handlägga ärendet."))
        require_unchanged(case, seen_version, seen_event)
        if self.open_only:
            require(case.status.is_open, _l("Ärendet är redan klart eller avslutat."))

    def apply(self, case, user, **context):
        result = self.change(case, user, **context)
        case_changed.send(case.id, case=case, what=self.name)
        return result

    def change(self, case, user, **context):
        raise NotImplementedError


def _start_work(case, user):
    """The first officer step on a new, forwarded or reopened case: it is being handled."""
    clocks.responded(case)
    if case.status in (CaseStatus.NEW, CaseStatus.FORWARDED, CaseStatus.REOPENED):
        case.status = CaseStatus.OPEN
    case.assigned_to_id = case.assigned_to_id or user.id


class Take(CaseAction):
    name = "take"

    def change(self, case, user, **context):
        _start_work(case, user)
        case.assigned_to_id = user.id
        event(case, "assigned", _l("%(name)s handlägger ärendet.", name=user.display_name), user=user,
              to=user.id)


class Assign(CaseAction):
    name = "assign"

    def validate(self, case, user, officer=None, **context):
        require(officer is not None and case.department_id in officer.department_ids(OFFICER),
                _l("Välj en handläggare i förvaltningen som har ärendet."))

    def change(self, case, user, officer=None, **context):
        clocks.responded(case)
        case.assigned_to_id = officer.id
        event(case, "assigned", _l("%(name)s handlägger ärendet.", name=officer.display_name),
              user=user, to=officer.id)


def _require_text(text, message):
    require((text or "").strip(), message)


class Reply(CaseAction):
    """A message to the citizen, sent the way they chose and shown on their page."""

    name = "reply"

    def validate(self, case, user, text="", **context):
        _require_text(text, _l("Skriv ett svar."))

    def change(self, case, user, text="", **context):
        _start_work(case, user)
        event(case, "message_out", text.strip(), public=True, user=user, channel=case.notify_by)
        notify.message(case, text.strip())


class Note(CaseAction):
    """An internal note: never shown to the citizen."""

    name = "note"
    open_only = False

    def validate(self, case, user, text="", **context):
        _require_text(text, _l("Skriv en anteckning."))

    def change(self, case, user, text="", **context):
        event(case, "note", text.strip(), user=user)


class RequestInformation(CaseAction):
    """Ask the citizen for more: the case waits and its clock stands still."""

    name = "request_information"

    def validate(self, case, user, text="", **context):
        _require_text(text, _l("Skriv vad du behöver veta."))

    def change(self, case, user, text="", **context):
        _start_work(case, user)
        case.status = CaseStatus.WAITING
        clocks.pause(case)
        event(case, "message_out", text.strip(), public=True, user=user, channel=case.notify_by,
              request=True)   # the tracking page says that the citizen is asked
        notify.message(case, text.strip())


class Solve(CaseAction):
    name = "solve"

    def validate(self, case, user, text="", **context):
        _require_text(text, _l("Skriv vad som gjorts, så att den som hörde av sig vet."))

    def change(self, case, user, text="", outcome=Outcome.SOLVED, **context):
        finish(case, CaseStatus.SOLVED, Outcome(outcome))
        case.assigned_to_id = case.assigned_to_id or user.id
        event(case, "solved", text.strip(), public=True, user=user)
        notify.news(case)


class Close(CaseAction):
    """Close for good (a solved case too: it can no longer be reopened)."""

    name = "close"
    open_only = False

    def check(self, case, user, **context):
        super().check(case, user, **context)
        require(case.status != CaseStatus.CLOSED, _l("Ärendet är redan avslutat."))

    def change(self, case, user, **context):
        finish(case, CaseStatus.CLOSED, case.outcome or Outcome.SOLVED)
        event(case, "status", CaseStatus.CLOSED.label, public=True, user=user, status=CaseStatus.CLOSED)


class Reroute(CaseAction):
    """Send the case to the förvaltning that should have it: its clocks start there,
    the history stays, and the citizen is told once."""

    name = "reroute"

    def validate(self, case, user, department=None, reason="", **context):
        require(department is not None and department.id != case.department_id,
                _l("Välj en annan förvaltning."))
        _require_text(reason, _l("Skriv varför ärendet flyttas."))

    def change(self, case, user, department=None, reason="", **context):
        old = case.department
        case.department_id, case.department = department.id, department
        case.assigned_to_id, case.status = None, CaseStatus.NEW
        clocks.start(case)
        event(case, "rerouted", _l("Ärendet har flyttats till %(department)s.",
                                    department=department.name_in(case.lang)),
              public=True, user=user, reason=reason.strip(), **{"from": old.code, "to": department.code})
        notify.news(case)


class MarkDuplicate(CaseAction):
    """Close a case that another one already covers; the citizen is pointed to nothing
    new (the other case is followed through its own link)."""

    name = "mark_duplicate"

    def validate(self, case, user, original=None, **context):
        require(original is not None and original.id != case.id and original.can_view(user),
                _l("Ange ärendenumret på ett annat ärende som du kan öppna."))

    def change(self, case, user, original=None, **context):
        case.duplicate_of_id = original.id
        finish(case, CaseStatus.CLOSED, Outcome.DUPLICATE)
        event(case, "duplicate", _l("Ärendet hanteras tillsammans med ett annat ärende."), public=True,
              user=user, original=original.reference)


def finish(case, status, outcome):
    case.status, case.outcome = status, outcome
    case.closed_at = utcnow()
    clocks.resume(case)


# --- the citizen, through the private link -------------------------------------------
def reopen_window():
    return timedelta(days=current_app.config["PORTAL_REOPEN_DAYS"])


# What a citizen may attach to a message: photos and documents, as the e-services' forms take them.
REPLY_FILES = Attachment("attachments", kinds=("image", "pdf"), max_files=3)


class FilesRefused(ActionRefused):
    """Files that cannot be taken; ``problems`` are the messages for the file field."""

    def __init__(self, problems):
        super().__init__(problems[0])
        self.problems = problems


def store_files(storages, rule):
    """Check and store the uploaded files (``FileStorage``) for ``rule``: all of them or
    none.  When one is refused, those stored before it are deleted again and
    :class:`FilesRefused` says what was wrong with each refused file."""
    storages = [storage for storage in storages if storage and storage.filename]
    if len(storages) > rule.max_files:
        raise FilesRefused([str(_l("Du kan bifoga högst %(n)d filer.", n=rule.max_files))])
    stored, problems = [], []
    try:
        for storage in storages:
            try:
                stored.append(uploads.accept(storage, rule.kinds, rule.max_bytes))
            except uploads.UploadRejected as error:
                problems.append(f"{storage.filename}: {error}")
        if problems:
            raise FilesRefused([*problems, str(_l("Meddelandet är inte skickat. Välj filerna igen."))])
    except BaseException:
        discard(stored)
        raise
    return stored


def discard(stored):
    for accepted in stored:
        uploads.delete_stored(accepted.stored_name)


class CitizenReply(Action):
    """The citizen writes, and may attach files (``REPLY_FILES``); a waiting case runs on.
    The files become the case's, linked to the message."""

    name = "citizen_reply"

    def check(self, case, user=None, **context):
        require(case.status.is_open, _l("Ärendet är avslutat. Vill du att vi tittar på det igen, "
                                        "öppna det på nytt eller kontakta oss."))

    def validate(self, case, user=None, text="", **context):
        _require_text(text, _l("Skriv ditt meddelande."))

    def execute(self, case, user=None, files=(), **context):
        """Check the reply before the files, which cost the most, and store the files before
        the reply is written; if the reply is then refused or cannot be saved the files are
        deleted again, so that no file is left without its message."""
        self.check(case, user, **context)
        self.validate(case, user, **context)
        stored = store_files(files, REPLY_FILES)
        try:
            return super().execute(case, user, stored=stored, **context)
        except BaseException:
            discard(stored)
            raise

    def apply(self, case, user=None, text="", stored=(), **context):
        if case.status == CaseStatus.WAITING:
            case.status = CaseStatus.OPEN
            clocks.resume(case)
        message = event(case, "message_in", text.strip(), public=True, channel="webb")
        for accepted in stored:
            case.files.append(CaseFile(
                field=REPLY_FILES.field, event=message, stored_name=accepted.stored_name,
                original_name=accepted.original_name, content_type=accepted.content_type, size=accepted.size))
        case_changed.send(case.id, case=case, what=self.name)
        return case


class Reopen(Action):
    """"Det är inte åtgärdat": a solved case opens again within ``PORTAL_REOPEN_DAYS``."""

    name = "reopen"

    def check(self, case, user=None, now=None, **context):
        now = now or utcnow()
        require(case.status == CaseStatus.SOLVED and case.closed_at is not None
                and now - case.closed_at <= reopen_window(),
                _l("Ärendet kan inte öppnas igen. Hör av dig till oss, så hjälper vi dig."))

    def validate(self, case, user=None, text="", **context):
        _require_text(text, _l("Skriv vad som inte är åtgärdat."))

    def apply(self, case, user=None, text="", **context):
        case.status, case.outcome, case.closed_at = CaseStatus.REOPENED, None, None
        clocks.start(case)
        event(case, "reopened", text.strip(), public=True)
        case_changed.send(case.id, case=case, what=self.name)
        return case


OFFICER_ACTIONS = {action.name: action for action in (
    Take(), Assign(), Reply(), Note(), RequestInformation(), Solve(), Close(), Reroute(),
    MarkDuplicate())}
CITIZEN_ACTIONS = {action.name: action for action in (CitizenReply(), Reopen())}
