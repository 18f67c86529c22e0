"""The case officers' side (routes in ``eservices/blueprint.py``): the queue of their
förvaltningar's cases, the most urgent first; a case's page with everything needed
to handle it and a form for each action of ``casework.py`` (and the service's own
decision); and, for administrators, the audit log of who opened which case.

Every opening of a case or a file is recorded.  Every action form carries what the
page showed of the case (``SeenForm``): when someone else changed it meanwhile, the
page comes back with the officer's text kept and the timeline lines that are new
marked, instead of the change overwriting theirs.
"""
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from eservices import casework, clocks, operations, queries, registry, uploads
from eservices.answers import answer_rows
from eservices.forms import (
    AssignForm, AuditFilterForm, CloseForm, DuplicateForm, NoteForm, QueueFilterForm, ReplyForm,
    RequestInformationForm, RerouteForm, SeenForm, SolveForm, TakeForm,
)
from eservices.models import Case, CaseEvent, Channel, NotifyBy
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import ADMIN, AGENT, MANAGER, OFFICER
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import current_language
from portal.links import link_to
from portal.privacy import scrub

# --- the queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    case: Case
    title: str              # personnummer, e-mail addresses and phone numbers taken out
    state: str | None       # sla.OK, WARNING, OVERDUE; None when the case is done
    response_late: bool     # nobody answered or acknowledged it within the first clock


def queue_row(case, now):
    late = case.status.is_open and case.response_due_at is not None and case.response_due_at <= now
    return QueueRow(case, scrub(case.title), clocks.state(case, now), late)


@role_required(OFFICER)
def case_list():
    filters = QueueFilterForm(request.args, queries.question_types(current_language()))
    chosen = filters.chosen()
    now = utcnow()
    found = queries.queue(current_user, chosen, now)
    kept = {name: value for name, value in (("status", chosen.status), ("typ", chosen.question_type),
                                            ("sla", chosen.sla), ("handlaggare", chosen.assigned)) if value}
    return render_template("eservices/officer/queue.html", filters=filters, found=found, kept=kept,
                           rows=[queue_row(case, now) for case in found.cases])


# --- the case page -----------------------------------------------------------------------
ACTIONS = {**casework.OFFICER_ACTIONS, operations.DECIDE.name: operations.DECIDE}
FORMS = {"take": TakeForm, "assign": AssignForm, "reply": ReplyForm, "note": NoteForm,
         "request_information": RequestInformationForm, "solve": SolveForm, "close": CloseForm,
         "reroute": RerouteForm, "mark_duplicate": DuplicateForm}
DONE = {
    "take": _l("Du handlägger nu ärendet."), "assign": _l("Ärendet har fått en ny handläggare."),
    "reply": _l("Svaret är skickat."), "note": _l("Anteckningen är sparad."),
    "request_information": _l("Frågan är skickad. Tidsgränsen står still tills svaret kommer."),
    "solve": _l("Ärendet är klart."), "close": _l("Ärendet är avslutat."),
    "reroute": _l("Ärendet är flyttat till den andra förvaltningen."),
    "mark_duplicate": _l("Ärendet är avslutat som dubblett."), "decide": _l("Beslutet är fattat."),
}
# Where a refusal of the action's own input belongs: at this field, else at the form.
REFUSAL_FIELDS = {"assign": "officer", "reroute": "department", "mark_duplicate": "reference"}


def form_class(case, name):
    if name == operations.DECIDE.name:
        service = registry.get(case.service_code)
        return service.decision_form(case) if service else None
    return FORMS[name]


def shown(case, user, name):
    """Whether the page offers the action: allowed now, and not taking a case one already has."""
    if name == "take" and case.assigned_to_id == user.id:
        return False
    return ACTIONS[name].allowed(case, user)


def action_forms(case, user, posted=None):
    """``{name: form}`` of the actions the page offers, blank; the one ``posted`` holds
    what was sent (it is kept even when no longer offered, so that its refusal is shown)."""
    forms = {}
    for name in ACTIONS:
        cls = form_class(case, name)
        if cls is None or (name != posted and not shown(case, user, name)):
            continue
        forms[name] = cls(prefix=name) if name == posted else cls(prefix=name, formdata=None)
    _fill_choices(case, forms)
    return forms


def _fill_choices(case, forms):
    """The officers of the case's förvaltning to assign, the other förvaltningar to reroute
    to; ``form.picked`` maps a choice back to its object."""
    lang = current_language()
    if "assign" in forms:
        people = queries.officers_of(case.department_id)
        _choices(forms["assign"].officer, _("Välj handläggare"), {str(p.id): (p, p.display_name) for p in people})
    if "reroute" in forms:
        departments = queries.departments_except(case.department_id)
        _choices(forms["reroute"].department, _("Välj förvaltning"),
                 {str(d.id): (d, d.name_in(lang)) for d in departments})


def _choices(field, prompt, options):
    field.choices = [SelectChoice("", prompt), *(SelectChoice(value, label) for value, (_o, label) in options.items())]
    field.picked = {value: item for value, (item, _label) in options.items()}


def arguments(name, form):
    """What the action takes, from its form."""
    if name == "assign":
        return {"officer": form.officer.picked.get(form.officer.data)}
    if name == "reroute":
        return {"department": form.department.picked.get(form.department.data), "reason": form.reason.data}
    if name == "mark_duplicate":
        return {"original": queries.case_by_reference(form.reference.data)}
    if name == "decide":
        return {"decision": {field: operations.jsonable(value) for field, value in form.data.items()
                             if field != "csrf_token"}}
    return {field: value for field, value in form.data.items() if field in ("text", "outcome")}


@role_required(OFFICER, AGENT, MANAGER)   # the contact centre reads it (Case.can_view)
def case_page(case_id):
    case = queries.case_or_404(case_id)
    operations.record_read(case, current_user)
    return render_case(case, action_forms(case, current_user))


@role_required(OFFICER)
def case_action(case_id):
    case = queries.case_or_404(case_id)
    name, seen = request.form.get("action", ""), SeenForm(request.form)
    forms = action_forms(case, current_user, posted=name) if name in ACTIONS else {}
    form = forms.get(name)
    if form is None or not seen.validate():
        abort(400)
    if not form.validate_on_submit():
        return render_after_post(case, forms, name, seen, code=400)
    try:
        ACTIONS[name].execute(case, current_user, seen_version=seen.seen_version.data,
                              seen_event=seen.seen_event.data or 0, **arguments(name, form))
    except ActionRefused as refusal:
        db.session.rollback()
        return render_after_post(case, forms, name, seen, refusal=refusal, code=409)
    flash(DONE[name], "success")
    if not case.can_view(current_user):     # rerouted to a förvaltning the officer is not in
        return redirect(url_for("eservices.case_list"))
    return redirect(url_for("eservices.case_page", case_id=case.id))


def changes_since(case, seen):
    """The refusal that lists the timeline lines added since the page the officer sent
    from, or None when the case is as that page showed it."""
    try:
        casework.require_unchanged(case, seen.seen_version.data, seen.seen_event.data or 0)
    except casework.CaseChanged as changed:
        return changed
    return None


def render_after_post(case, forms, name, seen, refusal=None, code=400):
    """The page again after a form was refused, with what was typed: when the case
    changed meanwhile, that is the message, and the new lines are marked."""
    form = forms[name]
    changed = changes_since(case, seen)
    problem = changed or refusal
    if isinstance(problem, casework.CaseChanged) or (problem and name not in REFUSAL_FIELDS):
        form.form_errors.append(problem.message)
    elif problem:
        field = form[REFUSAL_FIELDS[name]]
        field.errors = [*field.errors, problem.message]
    new = {line.id for line in changed.events} if changed else set()
    return render_case(case, forms, failed=name, new_events=new, code=code)


def render_case(case, forms, failed=None, new_events=frozenset(), code=200):
    service, now = registry.get(case.service_code), utcnow()
    return render_template(
        "eservices/officer/case.html", case=case, service=service, forms=forms, failed=failed,
        form=forms.get(failed), answers=answer_rows(service, case.answers) if service else [],
        extra=service.case_extra(case) if service else "", state=clocks.state(case, now), now=now,
        timeline=timeline(case, new_events), first_new=min(new_events, default=None),
        articles=[link for link in (link_to("article", key) for key in case.linked_articles) if link],
        duplicates=case.duplicates, type_label=type_label(case),
        referred_to=casework.AUTHORITIES.get(case.referred_to, case.referred_to),
        handover=[(label, case.handover.get(key)) for key, label in HANDOVER if case.handover.get(key)],
        seen={"version": case.version, "event": case.events[-1].id if case.events else 0}), code


def type_label(case):
    return dict(queries.question_types(current_language())).get(case.question_type, case.question_type)


# The agent's handover, in the order the officer reads it.
HANDOVER = (("asked", _l("Vad frågade invånaren?")), ("answered", _l("Vad har kontaktcenter redan svarat?")),
            ("needs", _l("Vad behöver invånaren?")), ("reach", _l("Hur och när når man invånaren?")))


# --- the timeline ----------------------------------------------------------------------
EVENT_LABELS = {
    "received": _l("Mottaget"), "assigned": _l("Handläggare"), "message_out": _l("Meddelande till invånaren"),
    "message_in": _l("Meddelande från invånaren"), "note": _l("Intern anteckning"), "solved": _l("Klart"),
    "status": _l("Status"), "rerouted": _l("Flyttat"), "duplicate": _l("Dubblett"),
    "reopened": _l("Öppnat igen"), "decision": _l("Beslut"), "booking": _l("Bokning"),
    "cancelled": _l("Avbokat"), "open311": _l("Open311"), "forwarded": _l("Vidarebefordrat"),
    "contact": _l("Kontakt"), "visit": _l("Besök"), "referred": _l("Hänvisat till annan myndighet"),
}
SENT_BY = {NotifyBy.EMAIL: _l("Skickat med e-post."), NotifyBy.SMS: _l("Skickat med sms."),
           NotifyBy.PAGE: _l("Visas på ärendets sida.")}


@dataclass(frozen=True)
class TimelineLine:
    event: CaseEvent
    label: str
    detail: str     # what the officer needs besides the text: the channel, a reroute's reason
    new: bool       # added since the page the officer sent a form from


def timeline(case, new_events):
    """The case's events, the latest first."""
    return [TimelineLine(e, str(EVENT_LABELS.get(e.kind, _("Händelse"))), event_detail(e), e.id in new_events)
            for e in reversed(case.events)]


def event_detail(event):
    data = event.data or {}
    if event.kind == "message_out" and data.get("channel") in SENT_BY:
        return str(SENT_BY[NotifyBy(data["channel"])])
    if event.kind == "message_in" and data.get("channel") in set(Channel):
        return _("Kom in via %(channel)s.", channel=Channel(data["channel"]).label.lower())
    if event.kind == "rerouted":
        return _("Från %(old)s till %(new)s. Skäl: %(reason)s", old=data.get("from", ""), new=data.get("to", ""),
                 reason=data.get("reason", ""))
    if event.kind == "duplicate" and data.get("original"):
        return _("Samma sak som %(reference)s.", reference=data["original"])
    return ""


# --- files and the audit log -------------------------------------------------------------
@role_required(OFFICER, AGENT, MANAGER)
def case_file(case_id, file_id):
    case = queries.case_or_404(case_id)
    stored = next((f for f in case.files if f.id == file_id), None) or abort(404)
    operations.record_read(case, current_user, what=f"file:{stored.id}")
    return uploads.send_stored(stored.stored_name, stored.content_type, stored.original_name,
                               inline=stored.content_type.startswith("image/"))


@role_required(ADMIN)
def audit_log():
    """Who opened which case or file, and when: for one case, one person, or all."""
    filters = AuditFilterForm(request.args)
    reference, username, page = filters.chosen()
    rows, more = queries.case_reads(reference=reference, username=username, page=page)
    kept = {name: value for name, value in (("arende", reference), ("anvandare", username)) if value}
    return render_template("eservices/officer/audit_log.html", filters=filters, rows=rows, page=page,
                           more=more, kept=kept)
