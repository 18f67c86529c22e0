"""The contact centre's side (routes in ``eservices/blueprint.py``): the workspace
where an agent logs a call, visit or e-mail beside the knowledge base, a
citizen's earlier cases, the call-back requests waiting, and the reception.

The workspace is one form, search included, so that nothing typed about the
contact is lost when the agent searches again without JavaScript: "Sök" sends
the form and gets it back with the hits.  Each article hit has a checkbox that
links it to the contact; the linked articles are kept in a list of their own,
so a new search does not drop them.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eservices import casework, queries, registry
from eservices.casework import AUTHORITIES, Contact, ContactOutcome
from eservices.contact_forms import CONTACT_CHANNELS, CallbackDoneForm, ContactLogForm, LookupForm
from eservices.contact_forms import ReceptionForm
from eservices.models import Channel, NotifyBy
from eservices.services.bli_uppringd import TIME_WINDOWS
from portal import search
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import AGENT, MANAGER
from portal.extensions import db
from portal.i18n import current_language
from portal.links import link_to
from portal.privacy import scrub
from portal.search import SearchRequest
from portal.security import form_limit

CONTACT_FORM_BYTES = 256 * 1024   # the free text and the four parts of a handover, in UTF-8 and URL-encoded
CALLBACK = "uppringning"          # ?uppringning=<case id>: the forward form filled in from a call-back request


# --- the workspace ------------------------------------------------------------------------
def contact_form(**kwargs):
    lang = current_language()
    return ContactLogForm(topics=queries.topics(), services=registry.all_services(),
                          departments=queries.departments(), lang=lang, **kwargs)


def prefilled_from(callback):
    """The form as the call-back request has it: the phone, the person and their question."""
    call = callback.answers.get("samtal", {})
    return {"channel": Channel.PHONE, "text": call.get("topic", ""), "name": callback.contact_name,
            "phone": callback.contact_phone, "callback": callback.id, "seen_version": callback.version,
            "lang": callback.lang}


@role_required(AGENT, MANAGER)
@form_limit(CONTACT_FORM_BYTES)
def contact_log():
    if request.method == "GET":
        callback = (queries.callback_or_404(request.args.get(CALLBACK, 0, type=int))
                    if CALLBACK in request.args else None)
        form = contact_form(data=prefilled_from(callback) if callback else None)
        return render_workspace(form, callback, request.args.get("q", ""), logged=True)
    form = contact_form()
    callback = queries.callback_or_404(int(form.callback.data)) if (form.callback.data or "").isdigit() else None
    if form.outcome is None:
        code = 200 if form.validate_search() else 400
        return render_workspace(form, callback, form.q.data, logged=True, code=code)
    if form.validate():
        try:
            case = casework.LOG_CONTACT.execute(callback, current_user, contact=contact_from(form),
                                                seen_version=form.seen_version.data or None)
        except ActionRefused as refusal:
            db.session.rollback()
            form.form_errors.append(refusal.message)
        else:
            flash(done_message(case, form.outcome), "success")
            return redirect(url_for("eservices.callbacks" if callback else "eservices.contact_log"))
    return render_workspace(form, callback, form.q.data, logged=False, code=400)


def contact_from(form):
    department = next((d for d in queries.departments() if d.code == form.department.data), None)
    return Contact(
        outcome=form.outcome, channel=Channel(form.channel.data), question_type=form.question_type.data,
        text=form.text.data, lang=form.lang.data, articles=[i for i, _link in linked_articles(form)],
        name=form.name.data or "", email=form.email.data or "", phone=form.phone.data or "",
        notify_by=NotifyBy(form.notify_by.data or NotifyBy.PAGE), department=department,
        handover={part: form[part].data or "" for part in casework.HANDOVER},
        authority=form.authority.data or "")


def done_message(case, outcome):
    if outcome == ContactOutcome.FORWARDED:
        return _("Kontakten är registrerad som %(reference)s och skickad till %(department)s.",
                 reference=case.reference, department=case.department.name_in(current_language()))
    if outcome == ContactOutcome.REFERRED:
        return _("Kontakten är registrerad som %(reference)s, hänvisad till %(authority)s.",
                 reference=case.reference, authority=AUTHORITIES[case.referred_to])
    return _("Kontakten är registrerad som %(reference)s, löst vid första kontakten.", reference=case.reference)


def linked_articles(form):
    """[(id, Link)] of the articles the form links that still exist."""
    links = ((article_id, link_to("article", article_id)) for article_id in form.articles.data or [])
    return [(article_id, link) for article_id, link in links if link is not None]


def knowledge_search(q, logged):
    """The knowledge base's hits for ``q``: the agents' scope for those who may read the
    agent layer (the manager searches what citizens find).  Only a search the agent
    asked for counts in the statistics, not the same hits shown again after an error."""
    if not (q or "").strip():
        return None
    scope = search.AGENT if current_user.has_role(AGENT) else search.PUBLIC
    return search.search(SearchRequest(q=q, lang=current_language(), scope=scope), log_query=logged)


def render_workspace(form, callback, q, logged, code=200):
    form.q.data = q
    return render_template("eservices/agent/workspace.html", form=form, callback=callback,
                           results=knowledge_search(q, logged), linked=linked_articles(form),
                           services=registry.all_services(), live=current_user.has_role(AGENT),
                           channels=CONTACT_CHANNELS), code


# --- a citizen's earlier cases ----------------------------------------------------------------
@role_required(AGENT, MANAGER)
def case_lookup():
    """Sent as a POST, so that an e-mail address or a phone number never stands in a
    URL (server logs, the browser's history)."""
    form = LookupForm()
    cases = None
    if form.validate_on_submit():
        condition = queries.lookup_condition(form.q.data)
        if condition is None:
            form.q.errors = [_("Skriv ett helt ärendenummer (som SJB-2026-000123), en e-postadress eller "
                               "ett telefonnummer.")]
        else:
            cases = queries.cases_found(current_user, condition)
    code = 400 if form.errors else 200
    return render_template("eservices/agent/lookup.html", form=form, cases=cases, scrub=scrub), code


# --- call-back requests ---------------------------------------------------------------------
@role_required(AGENT, MANAGER)
def callbacks():
    return render_template("eservices/agent/callbacks.html", callbacks=queries.waiting_callbacks(),
                           windows={choice.value: choice.label for choice in TIME_WINDOWS},
                           form=CallbackDoneForm(), scrub=scrub)


@role_required(AGENT, MANAGER)
def callback_done(case_id):
    case = queries.callback_or_404(case_id)
    form = CallbackDoneForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        casework.CALLED_BACK.execute(case, current_user, seen_version=form.seen_version.data or None)
        flash(_("%(reference)s är löst vid första kontakten.", reference=case.reference), "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    return redirect(url_for("eservices.callbacks"))


# --- the reception --------------------------------------------------------------------------
@role_required(AGENT, MANAGER)
def reception():
    form = ReceptionForm(officers=queries.officers_by_department(), lang=current_language())
    if form.validate_on_submit():
        department_id, officer_id = (int(part) for part in form.officer.data.split(":"))
        officer, department = queries.officer_and_department(officer_id, department_id)
        try:
            casework.REGISTER_VISIT.execute(None, current_user, visitor=form.visitor.data, officer=officer,
                                            department=department, note=form.note.data or "")
        except ActionRefused as refusal:
            db.session.rollback()
            form.form_errors.append(refusal.message)
        else:
            flash(_("%(officer)s har fått veta att %(visitor)s väntar.", officer=officer.display_name,
                    visitor=form.visitor.data.strip()), "success")
            return redirect(url_for("eservices.reception"))
    code = 400 if form.errors else 200
    return render_template("eservices/agent/reception.html", form=form), code
