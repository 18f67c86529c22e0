"""Handling cases: what officers, agents and citizens do to a case after it exists.

The changes a submission makes are in ``operations.py``; these are the rest,
each an action (``portal.actions``) that sends ``case_changed`` with its name:

- officers: take, assign, reply to the citizen, add an internal note, ask the
  citizen for more (the SLA clock stands still), solve, close, reroute to
  another förvaltning (the clocks start again there), mark a duplicate, decide;
- agents: log a contact (solved at first contact, forwarded with a handover,
  or referred to another authority) and register a visitor;
- citizens, through their link: reply (with files, kept as the case's and linked
  to the message) and reopen a solved case;
- the shared mailbox (``mailin.py``): an e-mail becomes a case, or a message in
  the case whose reference its subject carries.

An officer's form carries the case's ``version`` as it was on the page
(``seen_version``) and the last timeline line shown (``seen_event``): if
someone else changed the case meanwhile, the action is refused with
:class:`CaseChanged`, which lists what happened since, instead of
overwriting it silently.
"""
import re
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from eservices import clocks, notify, operations, uploads
from eservices.models import (
    Case, CaseEvent, CaseFile, CaseStatus, Channel, MailImport, MailOutcome, NotifyBy, Outcome,
    email_key, new_token,
)
from eservices.registry import Attachment
from portal import mail
from portal.actions import Action, ActionRefused, require
from portal.auth.models import AGENT, MANAGER, OFFICER
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import force_language, source_language
from portal.links import public_url
from portal.org.models import Department
from portal.privacy import scrub
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
        for duplicate in case.duplicates:   # merged into this one: their citizens hear it too
            event(duplicate, "solved", text.strip(), public=True, user=user, original=case.reference)
            notify.news(duplicate)


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
    """Merge a case into another that already covers the same matter: it is closed with
    a pointer to the other, whose officers see it among its duplicates with a note on
    their timeline, and its citizen is told that it is handled together with another
    case and hears again when that one is solved (``Solve``)."""

    name = "mark_duplicate"

    def validate(self, case, user, original=None, **context):
        require(original is not None and original.id != case.id and original.can_view(user)
                and original.duplicate_of_id is None,
                _l("Ange ärendenumret på ett annat ärende som du kan öppna."))

    def change(self, case, user, original=None, **context):
        case.duplicate_of = original
        finish(case, CaseStatus.CLOSED, Outcome.DUPLICATE)
        event(case, "duplicate", in_language(case, _l("Ärendet hanteras tillsammans med ett annat ärende. "
                                                      "Du får besked här när det är klart.")),
              public=True, user=user, original=original.reference)
        event(original, "note", _l("%(reference)s gäller samma sak och är sammanslaget med det här ärendet.",
                                   reference=case.reference), user=user, duplicate=case.reference)
        notify.news(case)


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


# --- the contact centre: a logged contact, a call back, a visitor ----------------------
CALLBACK_SERVICE = "bli-uppringd"   # eservices/services/bli_uppringd.py: the contact centre's own queue
HANDOVER = ("asked", "answered", "needs", "reach")
# The authorities callers are most often referred to (Case.referred_to holds the key).
AUTHORITIES = {
    "forsakringskassan": "Försäkringskassan", "skatteverket": "Skatteverket",
    "region": "Region Kalmar län (1177 Vårdguiden)", "polisen": "Polisen",
    "arbetsformedlingen": "Arbetsförmedlingen", "migrationsverket": "Migrationsverket",
    "kronofogden": "Kronofogden", "transportstyrelsen": "Transportstyrelsen",
    "lansstyrelsen": "Länsstyrelsen i Kalmar län", "pensionsmyndigheten": "Pensionsmyndigheten",
    "csn": "CSN", "lantmateriet": "Lantmäteriet", "trafikverket": "Trafikverket",
    "bolagsverket": "Bolagsverket", "konsumentverket": "Konsumentverket (Hallå konsument)",
}


class ContactOutcome(StrEnum):
    SOLVED = "solved"         # answered at once: closed, counts as first-contact resolution
    FORWARDED = "forwarded"   # handed to a förvaltning with a handover
    REFERRED = "referred"     # another authority's matter: closed as a referral


@dataclass
class Contact:
    """What an agent records of one call, visit, e-mail, chat or letter (``LogContact``)."""

    outcome: ContactOutcome
    channel: Channel
    question_type: str        # "topic:<slug>" or "eservice:<code>"
    text: str
    lang: str
    articles: list = field(default_factory=list)   # ids of the articles that answered it
    name: str = ""
    email: str = ""
    phone: str = ""
    notify_by: NotifyBy = NotifyBy.PAGE
    department: Department | None = None           # forwarded to
    handover: dict = field(default_factory=dict)   # HANDOVER → text
    authority: str = ""                            # referred to (a key of AUTHORITIES)


def in_language(case, message):
    """A timeline text in the case's language, which the citizen reads on the tracking page."""
    with force_language(case.lang):
        return str(message)


def is_callback(case):
    return case.service_code == CALLBACK_SERVICE


def _require_contact_centre(user):
    require(user.has_role(AGENT, MANAGER), _l("Det här gör kontaktcenter."))


def _require_open_callback(case, seen_version):
    require(is_callback(case) and case.status.is_open,
            _l("Någon annan har redan tagit hand om uppringningen."))
    require_unchanged(case, seen_version)


def contact_centre_department():
    """Where the contact centre's own cases are kept (``PORTAL_CONTACT_CENTRE``)."""
    return db.session.scalar(select(Department).where(
        Department.code == current_app.config["PORTAL_CONTACT_CENTRE"]))


class LogContact(Action):
    """Record a contact with its outcome, in one transaction: a new case (or the
    call-back request the agent is answering, ``target``) that is closed as solved
    at the first contact, forwarded to a förvaltning with the handover they need
    (its clocks start there, its mailbox is told, and the citizen gets the receipt
    if they chose a way to hear from us), or closed as referred elsewhere."""

    name = "log_contact"

    def check(self, callback, user, seen_version=None, **context):
        _require_contact_centre(user)
        if callback is not None:
            _require_open_callback(callback, seen_version)

    def validate(self, callback, user, contact=None, **context):
        _require_text(contact.text, _l("Skriv vad kontakten gällde."))
        if contact.outcome == ContactOutcome.FORWARDED:
            require(contact.department is not None, _l("Välj förvaltningen som ska ta över ärendet."))
            require(all((contact.handover.get(part) or "").strip() for part in HANDOVER),
                    _l("Fyll i hela överlämningen till förvaltningen."))
        if contact.outcome == ContactOutcome.REFERRED:
            require(contact.authority in AUTHORITIES, _l("Välj myndigheten du hänvisade till."))

    def apply(self, callback, user, contact=None, **context):
        case = callback or _new_contact_case(user, contact)
        if callback is not None:
            event(case, "contact", contact.text.strip(), user=user, channel=contact.channel)
        case.question_type = contact.question_type
        case.linked_articles = sorted({*case.linked_articles, *contact.articles})
        _take_contact_details(case, contact)
        OUTCOME_STEPS[contact.outcome](case, user, contact)
        case_changed.send(case.id, case=case, what=self.name)
        return case


def _new_contact_case(user, contact):
    """A case for a contact, received by the contact centre."""
    first_line = scrub(contact.text.strip()).splitlines()[0]
    case = Case(reference=operations.next_reference(utcnow().year), title=notify.shortened(first_line, 80),
                summary=contact.text.strip(), channel=contact.channel, created_by_id=user.id,
                lang=contact.lang, tracking_token=new_token(), department=contact_centre_department())
    db.session.add(case)
    db.session.flush()
    event(case, "received", in_language(case, _l("Ärendet har tagits emot.")), public=True, user=user)
    return case


def _take_contact_details(case, contact):
    """What the agent wrote of the citizen, without erasing what the case already had."""
    case.contact_name = contact.name.strip() or case.contact_name
    case.contact_email = contact.email.strip() or case.contact_email
    case.contact_phone = contact.phone.strip() or case.contact_phone
    if contact.outcome == ContactOutcome.FORWARDED:
        case.notify_by = contact.notify_by


def _solved(case, user, contact):
    finish(case, CaseStatus.CLOSED, Outcome.FIRST_CONTACT)
    case.assigned_to_id = case.assigned_to_id or user.id
    event(case, "solved", in_language(case, Outcome.FIRST_CONTACT.label), public=True, user=user)


def _forwarded(case, user, contact):
    department, previous = contact.department, case.department
    case.department_id, case.department = department.id, department
    case.handover = {part: contact.handover[part].strip() for part in HANDOVER}
    case.status, case.assigned_to_id = CaseStatus.FORWARDED, None
    clocks.start(case)
    event(case, "forwarded", in_language(case, _l("Ärendet har skickats vidare till %(department)s.",
                                                  department=department.name_in(case.lang))),
          public=True, user=user, **{"from": getattr(previous, "code", None), "to": department.code})
    if department.contact_email:
        mail.queue(department.contact_email, "eservices/agent/mail/forwarded", source_language(), case=case,
                   case_url=public_url("eservices.case_page", case_id=case.id, lang_code=source_language()))
    if is_callback(case):
        notify.news(case)      # the citizen has had the receipt of their call-back request
    else:
        notify.receipt(case)


def _referred(case, user, contact):
    finish(case, CaseStatus.CLOSED, Outcome.REFERRED)
    case.referred_to = contact.authority
    case.assigned_to_id = case.assigned_to_id or user.id
    event(case, "referred", in_language(case, _l("Du har hänvisats till %(authority)s.",
                                                 authority=AUTHORITIES[contact.authority])),
          public=True, user=user)


OUTCOME_STEPS = {ContactOutcome.SOLVED: _solved, ContactOutcome.FORWARDED: _forwarded,
                 ContactOutcome.REFERRED: _referred}


class CalledBack(Action):
    """"Ringt upp – löst": the agent called the citizen back and solved it on the phone."""

    name = "called_back"

    def check(self, case, user, seen_version=None, **context):
        _require_contact_centre(user)
        _require_open_callback(case, seen_version)

    def apply(self, case, user, **context):
        clocks.responded(case)
        finish(case, CaseStatus.SOLVED, Outcome.FIRST_CONTACT)
        case.assigned_to_id = user.id
        event(case, "solved", in_language(case, _l("Vi har ringt upp dig.")), public=True, user=user)
        notify.news(case)
        case_changed.send(case.id, case=case, what=self.name)
        return case


class RegisterVisit(Action):
    """A visitor at the reception who has come to meet an officer: a contact (channel
    besök) on that officer's desk, and the officer told by e-mail in their language.
    (Staff accounts have no phone number, so no text message goes out.)"""

    name = "register_visit"

    def check(self, target, user, **context):
        _require_contact_centre(user)

    def validate(self, target, user, visitor="", officer=None, department=None, **context):
        _require_text(visitor, _l("Skriv besökarens namn."))
        require(officer is not None and officer.active and department is not None
                and department.id in officer.department_ids(OFFICER),
                _l("Välj handläggaren som besökaren ska träffa."))

    def apply(self, target, user, visitor="", officer=None, department=None, note="", **context):
        case = Case(reference=operations.next_reference(utcnow().year), channel=Channel.VISIT,
                    title=str(_l("Besök hos %(officer)s", officer=officer.display_name))[:200],
                    summary=note.strip(), contact_name=visitor.strip(), created_by_id=user.id,
                    lang=source_language(), tracking_token=new_token(), department=department,
                    assigned_to_id=officer.id, status=CaseStatus.OPEN)
        db.session.add(case)
        db.session.flush()
        clocks.start(case)
        clocks.responded(case)   # on the officer's desk at once, as an assignment is
        event(case, "visit", _l("%(visitor)s väntar i receptionen.", visitor=visitor.strip()), user=user,
              officer=officer.id)
        if officer.email:
            mail.queue(officer.email, "eservices/agent/mail/visitor", officer.language, case=case,
                       case_url=public_url("eservices.case_page", case_id=case.id, lang_code=officer.language))
        case_changed.send(case.id, case=case, what=self.name)
        return case


LOG_CONTACT, CALLED_BACK, REGISTER_VISIT = LogContact(), CalledBack(), RegisterVisit()


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

    def check(self, inbound, user=None, **context):
        """Nothing to refuse: every message becomes a case or a message in one.  The same
        message imported twice is refused by ``MailImport``'s unique key."""

    def apply(self, inbound, user=None, **context):
        named = case_named_in(inbound.subject)
        if named is not None and named.status.is_open and same_address(named.contact_email, inbound.sender):
            case = named
            if case.status == CaseStatus.WAITING:
                case.status = CaseStatus.OPEN
                clocks.resume(case)
        else:
            case = case_from_mail(inbound)
            if named is not None:
                event(case, "note", why_not_added(named, inbound), reference=named.reference)
        event(case, "message_in", inbound.text or _l("(Mejlet hade ingen text.)"), public=True,
              channel=Channel.EMAIL.value)
        attach_mail_files(case, inbound)
        db.session.add(MailImport(key=inbound.key, outcome=MailOutcome.IMPORTED, case_id=case.id))
        if case is not named and inbound.may_answer:
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
    return bool(first) and email_key(first) == email_key(second)


def why_not_added(named, inbound):
    if not same_address(named.contact_email, inbound.sender):
        return _l("Ämnesraden nämner ärende %(reference)s, men mejlet kommer inte från den adress "
                  "som står i det ärendet. Därför har det blivit ett nytt ärende. Lämna inte ut "
                  "något ur det andra ärendet utan att först kontrollera vem som skriver.",
                  reference=named.reference)
    return _l("Mejlet svarar på ärende %(reference)s, som redan är klart eller avslutat. Därför har "
              "det blivit ett nytt ärende.", reference=named.reference)


def case_from_mail(inbound):
    """A new case of the contact centre for an e-mail, its SLA clocks started."""
    now = utcnow()
    department = contact_centre_department()
    case = Case(reference=operations.next_reference(now.year), title=(inbound.subject or str(_l("(Inget ämne)")))[:200],
                summary=notify.shortened(inbound.text), channel=Channel.EMAIL, department=department,
                lang=inbound.lang, contact_name=inbound.sender_name, contact_email=inbound.sender,
                notify_by=NotifyBy.EMAIL, tracking_token=new_token())
    db.session.add(case)
    clocks.start(case, now)
    event(case, "received", _l("Ärendet har tagits emot."), public=True)
    db.session.flush()
    return case


def attach_mail_files(case, inbound):
    """The files that passed the upload rules become the case's; the others are named in an
    internal note, so that the officers know to ask for them another way."""
    case.files.extend(CaseFile(field=MAIL_FILE_FIELD, stored_name=kept.stored_name,
                               original_name=kept.original_name, content_type=kept.content_type,
                               size=kept.size) for kept in inbound.files)
    if inbound.refused:
        heading = _l("Bilagor i mejlet som inte har sparats:")
        lines = "\n".join(f"- {name}: {reason}" for name, reason in inbound.refused)
        event(case, "note", f"{heading}\n{lines}")


IMPORT_MESSAGE = ImportMessage()
