"""Handling cases: what officers, agents and citizens do to a case after it exists.

The changes a submission makes are in ``operations.py``; these are the rest,
each an action (``portal.actions``) that sends ``case_changed`` with its name:

- officers: take, assign, reply to the citizen, add an internal note, ask the
  citizen for more (the SLA clock stands still), solve, close, reroute to
  another förvaltning (the clocks start again there), mark a duplicate, decide;
- agents: log a contact (solved at first contact, forwarded with a handover,
  or referred to another authority) and register a visitor;
- citizens, through their link: reply and reopen a solved case;
- the shared mailbox (``mailin.py``): an e-mail becomes a case, or a message in
  the case whose reference its subject carries.

An officer's form carries the case's ``version`` as it was on the page
(``seen_version``) and the last timeline line shown (``seen_event``): if
someone else changed the case meanwhile, the action is refused with
:class:`CaseChanged`, which lists what happened since, instead of
overwriting it silently.
"""
import re
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from eservices import clocks, notify
from eservices.models import (
    Case, CaseEvent, CaseFile, CaseStatus, Channel, MailImport, MailOutcome, NotifyBy, Outcome,
    new_token,
)
from eservices.operations import next_reference
from portal.actions import Action, ActionRefused, require
from portal.auth.models import OFFICER
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department
from portal.signals import case_changed


class CaseChanged(ActionRefused):
    """The case changed after the page was opened; ``events`` are what happened since."""

    def __init__(self, events):
        super().__init__(_l("Någon annan har ändrat ärendet sedan du öppnade sidan. Läs vad som "
                            "hänt och gör om det du tänkte göra."))
        self.events = events


def event(case, kind, text="", public=False, user=None, **data):
    """Add a line to the case's timeline.  The case row is written too, so that its
    version moves on with every change (see ``require_unchanged``)."""
    case.events.append(CaseEvent(kind=kind, text=str(text), public=public, data=data,
                                 user_id=user.id if user else None))
    case.updated_at = utcnow()
    flag_modified(case, "updated_at")


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
        event(case, "message_out", text.strip(), public=True, user=user, channel=case.notify_by)
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
        event(case, "status", CaseStatus.CLOSED.label, public=True, user=user)


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


class CitizenReply(Action):
    """The citizen writes (and may attach files); a waiting case runs on."""

    name = "citizen_reply"

    def check(self, case, user=None, **context):
        require(case.status.is_open, _l("Ärendet är avslutat. Vill du att vi tittar på det igen, "
                                        "öppna det på nytt eller kontakta oss."))

    def validate(self, case, user=None, text="", **context):
        _require_text(text, _l("Skriv ditt meddelande."))

    def apply(self, case, user=None, text="", **context):
        if case.status == CaseStatus.WAITING:
            case.status = CaseStatus.OPEN
            clocks.resume(case)
        event(case, "message_in", text.strip(), public=True, channel="webb")
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


# --- mail in: the contact centre's shared mailbox (``mailin.py``) ----------------------
MAIL_FILE_FIELD = "epost"   # the field of the files that came with an e-mail


class ImportMessage(Action):
    """An e-mail (``mailin.InboundMail``) into the case system; returns the case.

    It is added to the case whose reference its subject carries when that case
    is open and the mail comes from the case's own contact address.  Otherwise
    it becomes a new case of the contact centre (``PORTAL_CONTACT_CENTRE``) on
    the channel e-post, with the sender as contact, and when the subject named
    another case the officers get a note saying why it was not added there: a
    reference anyone can copy into a subject must not open someone else's case.
    The sender of a new case gets its reference and tracking link, unless the
    mail came from a machine; that acknowledgement is no answer from the
    förvaltning, so the first-response clock runs on."""

    name = "import_message"

    def check(self, mail, user=None, **context):
        """Nothing to refuse: every message becomes a case or a message in one.  The same
        message imported twice is refused by ``MailImport``'s unique key."""

    def apply(self, mail, user=None, **context):
        named = case_named_in(mail.subject)
        if named is not None and named.status.is_open and same_address(named.contact_email, mail.sender):
            case = named
            if case.status == CaseStatus.WAITING:
                case.status = CaseStatus.OPEN
                clocks.resume(case)
        else:
            case = case_from_mail(mail)
            if named is not None:
                event(case, "note", why_not_added(named, mail), reference=named.reference)
        event(case, "message_in", mail.text or _l("(Mejlet hade ingen text.)"), public=True,
              channel=Channel.EMAIL.value)
        attach_mail_files(case, mail)
        db.session.add(MailImport(key=mail.key, outcome=MailOutcome.IMPORTED, case_id=case.id))
        if case is not named and mail.may_answer:
            notify.acknowledgement(case)
        case_changed.send(case.id, case=case, what=self.name)
        return case


def case_named_in(subject):
    """The case whose reference the subject carries (the first one), or None."""
    prefix = re.escape(current_app.config["PORTAL_CASE_PREFIX"])
    found = re.search(rf"\b{prefix}-\d{{4}}-\d{{6,}}\b", subject, re.IGNORECASE)
    if found is None:
        return None
    return db.session.scalar(select(Case).where(Case.reference == found[0].upper()))


def same_address(first, second):
    return bool(first) and first.strip().lower() == second.strip().lower()


def why_not_added(named, mail):
    if not same_address(named.contact_email, mail.sender):
        return _l("Ämnesraden nämner ärende %(reference)s, men mejlet kommer inte från den adress "
                  "som står i det ärendet. Därför har det blivit ett nytt ärende. Lämna inte ut "
                  "något ur det andra ärendet utan att först kontrollera vem som skriver.",
                  reference=named.reference)
    return _l("Mejlet svarar på ärende %(reference)s, som redan är klart eller avslutat. Därför har "
              "det blivit ett nytt ärende.", reference=named.reference)


def case_from_mail(mail):
    """A new case of the contact centre for an e-mail, its SLA clocks started."""
    now = utcnow()
    department = db.session.scalar(select(Department).where(
        Department.code == current_app.config["PORTAL_CONTACT_CENTRE"]))
    case = Case(reference=next_reference(now.year), title=(mail.subject or str(_l("(Inget ämne)")))[:200],
                summary=notify.shortened(mail.text), channel=Channel.EMAIL, department=department,
                lang=mail.lang, contact_name=mail.sender_name, contact_email=mail.sender,
                notify_by=NotifyBy.EMAIL, tracking_token=new_token())
    db.session.add(case)
    clocks.start(case, now)
    event(case, "received", _l("Ärendet har tagits emot."), public=True)
    db.session.flush()
    return case


def attach_mail_files(case, mail):
    """The files that passed the upload rules become the case's; the others are named in an
    internal note, so that the officers know to ask for them another way."""
    case.files.extend(CaseFile(field=MAIL_FILE_FIELD, stored_name=kept.stored_name,
                               original_name=kept.original_name, content_type=kept.content_type,
                               size=kept.size) for kept in mail.files)
    if mail.refused:
        heading = _l("Bilagor i mejlet som inte har sparats:")
        lines = "\n".join(f"- {name}: {reason}" for name, reason in mail.refused)
        event(case, "note", f"{heading}\n{lines}")


IMPORT_MESSAGE = ImportMessage()
